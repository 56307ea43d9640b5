import Desk
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Web

/// Through the API: a stale session is asked for its password before a sensitive change.
@Suite struct ReauthenticationAPITests {
    @Test func aStaleSessionMustConfirmItsPasswordBeforeChangingARole() async throws {
        try await TestDesk.with { t in
            t.clock.advance(by: t.desk.configuration.reauthenticationWindow + 1)
            try await t.server.makeApplication().test(.router) { client in
                let agent = "/api/v1/staff/\(t.staff[.agent]!.id)"
                let admin = t.headers(for: .session(.admin))
                let refused = try await client.execute(uri: agent, method: .patch, headers: admin, body: body(["role": "operator"]))
                #expect(refused.status == .forbidden)
                #expect(refused.error?.code == "reauthentication_required")

                let wrong = try await client.execute(uri: "/api/v1/session/confirm", method: .post, headers: admin,
                                                     body: body(["password": "not the password"]))
                #expect(wrong.status == .unauthorized)
                #expect(wrong.error?.field == "password")
                let confirmed = try await client.execute(uri: "/api/v1/session/confirm", method: .post, headers: admin,
                                                         body: body(["password": strongPassword]))
                #expect(confirmed.status == .noContent)

                let changed = try await client.execute(uri: agent, method: .patch, headers: admin, body: body(["role": "operator"]))
                #expect(changed.status == .ok, "\(changed.text)")
                // An admin API token has no password to re-enter: scoped by its role, revocable instead.
                let byToken = try await client.execute(uri: agent, method: .patch, headers: t.headers(for: .token(.admin)),
                                                       body: body(["role": "agent"]))
                #expect(byToken.status == .ok)
            }
        }
    }
}
