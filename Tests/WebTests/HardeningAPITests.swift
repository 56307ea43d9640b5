import AtendeTesting
import Desk
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Web

/// Issue 8 through the API, as the findings were made: duplicate JSON keys, a demoted and
/// disabled creator's token, and live sockets per account.
@Suite struct HardeningAPITests {
    @Test(arguments: [
        #"{"name":"Eve","email":"eve@example.com","password":"correct horse battery staple","role":"admin","role":"agent"}"#,
        #"{"name":"Eve","email":"eve@example.com","password":"correct horse battery staple","role":"agent","r\u006fle":"admin"}"#,
    ])
    func aBodyWithAKeyTwiceIsRefusedAndNothingIsCreated(_ json: String) async throws {
        try await TestDesk.with { t in
            try await t.server.makeApplication().test(.router) { client in
                let response = try await client.execute(uri: "/api/v1/staff", method: .post, headers: t.headers(for: .session(.admin)),
                                                        body: ByteBuffer(string: json))
                #expect(response.status == .badRequest)
                #expect(response.error?.code == "duplicate_key")
                #expect(response.error?.field == "role")
                #expect(try t.desk.staffMember(email: "eve@example.com") == nil)
            }
        }
    }

    @Test func aTokenLosesItsCreatorsPowerWhenTheCreatorIsDemotedAndDisabled() async throws {
        try await TestDesk.with { t in
            try await t.server.makeApplication().test(.router) { client in
                let admin = t.headers(for: .session(.admin))
                let created = try await client.execute(uri: "/api/v1/staff", method: .post, headers: admin, body: body([
                    "name": "Ana", "email": "ana@example.com", "password": strongPassword, "role": "admin"]))
                #expect(created.status == .created)
                let anaID = try #require(try created.json()["id"] as? String)
                let ana = try await t.desk.login(email: "ana@example.com", password: strongPassword, ip: nil)
                var anaHeaders = admin
                anaHeaders[.cookie] = "atende_sid=\(ana.id)"
                let minted = try await client.execute(uri: "/api/v1/tokens", method: .post, headers: anaHeaders,
                                                      body: body(["name": "Ana's CRM", "role": "admin"]))
                #expect(minted.status == .created)
                let secret = try #require(try minted.json()["secret"] as? String)
                let bearer: HTTPFields = [.authorization: "Bearer \(secret)", .contentType: "application/json"]
                #expect(try await client.execute(uri: "/api/v1/tokens", method: .get, headers: bearer).status == .ok)

                let demoted = try await client.execute(uri: "/api/v1/staff/\(anaID)", method: .patch, headers: admin, body: body(["role": "agent"]))
                #expect(demoted.status == .ok)
                // Before the fix: 200, 201 and 200.
                #expect(try await client.execute(uri: "/api/v1/tokens", method: .get, headers: bearer).status == .forbidden)
                #expect(try await client.execute(uri: "/api/v1/tokens", method: .post, headers: bearer,
                                                 body: body(["name": "x", "role": "admin"])).status == .forbidden)
                #expect(try await client.execute(uri: "/api/v1/staff/\(anaID)", method: .patch, headers: bearer,
                                                 body: body(["role": "admin"])).status == .forbidden)

                #expect(try await client.execute(uri: "/api/v1/staff/\(anaID)", method: .patch, headers: admin,
                                                 body: body(["disabled": true])).status == .ok)
                #expect(try await client.execute(uri: "/api/v1/tokens", method: .get, headers: bearer).status == .unauthorized)
                #expect(try await client.execute(uri: "/api/v1/staff/\(anaID)", method: .patch, headers: bearer,
                                                 body: body(["disabled": false])).status == .unauthorized)
                // Re-enabled and re-promoted, Ana signs in again — but the token stays revoked.
                #expect(try await client.execute(uri: "/api/v1/staff/\(anaID)", method: .patch, headers: admin,
                                                 body: body(["disabled": false, "role": "admin"])).status == .ok)
                #expect(try await client.execute(uri: "/api/v1/tokens", method: .get, headers: bearer).status == .unauthorized)
            }
        }
    }
}

@Suite struct LiveAccountLimitTests {
    @Test func signingInAgainDoesNotMultiplyOnesLiveSockets() async throws {
        var desk = DeskConfiguration()
        desk.live = .init(maxPerCredential: 2, maxPerAccount: 3)
        try await LiveServer.with(desk: desk) { live in
            var kept = [try await live.open(.session(.agent)).0, try await live.open(.session(.agent)).0]
            // A second session of the same agent: one more socket fits the account, the next does not.
            let second = try await live.t.desk.login(email: "agent@example.com", password: strongPassword, ip: nil).id
            let cookie = [("Cookie", "atende_sid=\(second)")]
            let (third, _) = try await RawWebSocket.connect(port: live.port, path: "/api/v1/live", headers: cookie)
            kept.append(try #require(third))
            let (fourth, handshake) = try await RawWebSocket.connect(port: live.port, path: "/api/v1/live", headers: cookie)
            let refused = try #require(fourth, "\(handshake.status)")
            #expect(try await refused.closeCode() == 4029)
            _ = try await live.open(.session(.operator))   // another account is not affected
            _ = kept
        }
    }

    @Test func theServerHoldsNoMoreLiveSocketsThanItsLimit() async throws {
        var desk = DeskConfiguration()
        desk.live = .init(maxSubscribers: 3)
        try await LiveServer.with(desk: desk) { live in
            let kept = [try await live.open(.session(.agent)).0, try await live.open(.session(.operator)).0,
                        try await live.open(.token(.manager)).0]
            let (fourth, handshake) = try await RawWebSocket.connect(port: live.port, path: "/api/v1/live",
                                                                    headers: live.headers(for: .session(.admin)))
            let refused = try #require(fourth, "\(handshake.status)")
            #expect(try await refused.closeCode() == 4029)
            _ = kept
        }
    }
}
