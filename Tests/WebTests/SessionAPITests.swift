import Desk
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Web

@Suite struct SessionAPITests {
    @Test func setupCreatesTheOwnerSignsThemInAndCannotRunTwice() async throws {
        try await TestDesk.with(seeded: false) { t in
            let token = try #require(try await t.desk.beginSetup())
            try await t.server.makeApplication().test(.router) { client in
                let status = try await client.execute(uri: "/api/v1/setup", method: .get)
                #expect(try status.json()["required"] as? Bool == true)
                let setup = body(["token": token, "name": "Ana", "email": "ana@example.com", "password": strongPassword])
                let created = try await client.execute(uri: "/api/v1/setup", method: .post, headers: [.atendeCSRF: "1"], body: setup)
                #expect(created.status == .created)
                let cookie = try #require(created.headers[.setCookie])
                #expect(cookie.hasPrefix("atende_sid=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"))
                #expect(!cookie.contains("Secure"))
                let again = try await client.execute(uri: "/api/v1/setup", method: .post, headers: [.atendeCSRF: "1"], body: setup)
                #expect(again.status == .conflict)
                #expect(again.error?.code == "already_set_up")
                let sid = String(cookie.dropFirst("atende_sid=".count).prefix { $0 != ";" })
                let me = try await client.execute(uri: "/api/v1/session", method: .get, headers: [.cookie: "atende_sid=\(sid)"])
                let json = try me.json()
                #expect((json["staff"] as? [String: Any])?["email"] as? String == "ana@example.com")
                #expect((json["permissions"] as? [String: String])?["settings"] == "full")
            }
        }
    }

    @Test func aWrongSetupTokenIs403() async throws {
        try await TestDesk.with(seeded: false) { t in
            _ = try await t.desk.beginSetup()
            let response = try await t.server.makeApplication().test(.router) { client in
                try await client.execute(uri: "/api/v1/setup", method: .post, headers: [.atendeCSRF: "1"],
                                         body: body(["token": "nope", "name": "Ana", "email": "ana@example.com", "password": strongPassword]))
            }
            #expect(response.status == .forbidden)
            #expect(response.error?.code == "invalid_setup_token")
        }
    }

    @Test func loginFailuresAre401ThenThrottledWith429AndRetryAfter() async throws {
        try await TestDesk.with { t in
            try await t.server.makeApplication().test(.router) { client in
                for i in 0..<10 {
                    let response = try await client.execute(uri: "/api/v1/session", method: .post, headers: [.atendeCSRF: "1"],
                                                            body: body(["email": "owner@example.com", "password": "wrong \(i) password"]))
                    #expect(response.status == .unauthorized)
                    #expect(response.error?.code == "invalid_credentials")
                }
                let unknown = try await client.execute(uri: "/api/v1/session", method: .post, headers: [.atendeCSRF: "1"],
                                                       body: body(["email": "nobody@example.com", "password": "whatever it is"]))
                #expect(unknown.error?.message == "The email or password is not right.")
                let throttled = try await client.execute(uri: "/api/v1/session", method: .post, headers: [.atendeCSRF: "1"],
                                                         body: body(["email": "owner@example.com", "password": strongPassword]))
                #expect(throttled.status == .tooManyRequests)
                #expect(throttled.error?.code == "too_many_attempts")
                #expect(throttled.headers[.retryAfter] == "1")
            }
        }
    }

    @Test func logoutEndsTheSessionAndClearsTheCookie() async throws {
        try await TestDesk.with { t in
            let headers = t.headers(for: .session(.manager))
            try await t.server.makeApplication().test(.router) { client in
                let out = try await client.execute(uri: "/api/v1/session", method: .delete, headers: headers)
                #expect(out.status == .noContent)
                #expect(out.headers[.setCookie]?.contains("Max-Age=0") == true)
                let after = try await client.execute(uri: "/api/v1/session", method: .get, headers: headers)
                #expect(after.status == .unauthorized)
            }
        }
    }

    @Test func overTLSBehindTheLocalProxyTheCookieIsHostPrefixedAndSecureAndHSTSIsSent() async throws {
        try await TestDesk.with { t in
            let response = try await t.server.makeApplication().test(.live) { client in
                try await client.execute(uri: "/api/v1/session", method: .post, headers: [.atendeCSRF: "1", .forwardedProto: "https"],
                                         body: body(["email": "owner@example.com", "password": strongPassword]))
            }
            #expect(response.status == .ok)
            let cookie = try #require(response.headers[.setCookie])
            #expect(cookie.hasPrefix("__Host-atende_sid=") && cookie.contains("Secure") && cookie.contains("Path=/"))
            #expect(response.headers[.strictTransportSecurity]?.contains("max-age=63072000") == true)
        }
    }

    @Test func aTokenCanBeCreatedUsedAndRevokedOverHTTP() async throws {
        try await TestDesk.with { t in
            try await t.server.makeApplication().test(.router) { client in
                let created = try await client.execute(uri: "/api/v1/tokens", method: .post, headers: t.headers(for: .session(.admin)),
                                                       body: body(["name": "Zap", "role": "manager"]))
                #expect(created.status == .created)
                let json = try created.json()
                let secret = try #require(json["secret"] as? String)
                let id = try #require((json["token"] as? [String: Any])?["id"] as? String)
                let bearer: HTTPFields = [.authorization: "Bearer \(secret)"]
                let list = try await client.execute(uri: "/api/v1/staff", method: .get, headers: bearer)
                #expect(list.status == .ok)
                #expect(!list.text.contains(secret))
                let revoked = try await client.execute(uri: "/api/v1/tokens/\(id)", method: .delete, headers: t.headers(for: .session(.admin)))
                #expect(revoked.status == .noContent)
                let after = try await client.execute(uri: "/api/v1/staff", method: .get, headers: bearer)
                #expect(after.status == .unauthorized)
                #expect(after.error?.code == "invalid_token")
                let audit = try await client.execute(uri: "/api/v1/audit?limit=2", method: .get, headers: t.headers(for: .session(.admin)))
                let actions = (try audit.json()["items"] as? [[String: Any]])?.compactMap { $0["action"] as? String }
                #expect(actions == ["token.revoked", "token.created"])
                #expect(!audit.text.contains(secret))
            }
        }
    }

    @Test func theLastAdminCannotDemoteThemselvesOverHTTP() async throws {
        try await TestDesk.with { t in
            let response = try await t.server.makeApplication().test(.router) { client in
                try await client.execute(uri: "/api/v1/staff/\(t.staff[.admin]!.id)", method: .patch,
                                         headers: t.headers(for: .session(.admin)), body: body(["role": "agent"]))
            }
            #expect(response.status == .conflict)
            #expect(response.error?.code == "last_admin")
        }
    }

    /// Appointment and slot times are shown in the business's zone, which only roles that see the
    /// assistant's settings could read; the session gives it to every role, and follows a change.
    @Test func everyRolesSessionNamesTheBusinessTimeZoneAndFollowsAChange() async throws {
        try await TestDesk.with { t in
            try await t.server.makeApplication().test(.router) { client in
                for role in Role.allCases {
                    let me = try await client.execute(uri: "/api/v1/session", method: .get, headers: t.headers(for: .session(role)))
                    #expect(me.status == .ok)
                    #expect(try me.json()["business_time_zone"] as? String == "America/Sao_Paulo", "\(role)")
                }
                let changed = try await client.execute(uri: "/api/v1/assistant/settings", method: .put, headers: t.headers(for: .session(.admin)),
                                                       body: body(["time_zone": "America/Manaus"]))
                #expect(changed.status == .ok)
                let agent = try await client.execute(uri: "/api/v1/session", method: .get, headers: t.headers(for: .session(.agent)))
                #expect(try agent.json()["business_time_zone"] as? String == "America/Manaus")
                let login = try await client.execute(uri: "/api/v1/session", method: .post, headers: [.atendeCSRF: "1"],
                                                     body: body(["email": "agent@example.com", "password": strongPassword]))
                #expect(login.status == .ok)
                #expect(try login.json()["business_time_zone"] as? String == "America/Manaus")
            }
        }
    }
}
