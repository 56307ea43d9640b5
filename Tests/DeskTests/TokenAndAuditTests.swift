import Desk
import Foundation
import Testing

@Suite struct TokenAndAuditTests {
    @Test func aTokenAuthenticatesWithItsRoleUntilRevoked() async throws {
        try await withDesk { desk, clock in
            _ = try await desk.makeOwner()
            let created = try await desk.createToken(name: "CRM", role: "operator", by: .commandLine)
            #expect(created.secret.hasPrefix("atd_"))
            #expect(created.token.prefix == String(created.secret.prefix(8)))
            #expect(created.token.lastUsedAt == nil)
            clock.advance(by: 5)
            guard case .token(let token)? = try await desk.authenticate(bearer: created.secret) else {
                Issue.record("the token did not authenticate"); return
            }
            #expect(token.role == .operator)
            let listed = try desk.listTokens(try PageRequest(cursor: nil, limit: nil)).items
            #expect(listed.first?.lastUsedAt == clock.now)
            try await desk.revokeToken(created.token.id, by: .commandLine)
            #expect(try await desk.authenticate(bearer: created.secret) == nil)
            #expect(try await desk.authenticate(bearer: "atd_" + String(repeating: "A", count: 43)) == nil)
        }
    }

    @Test func theAuditLogRecordsWhoDidWhatNewestFirstAndNoSecrets() async throws {
        try await withDesk { desk, _ in
            _ = try await desk.makeOwner()
            let owner = try #require(try await desk.authenticate(sessionID: try await desk.login(
                email: "owner@example.com", password: strongPassword, ip: "192.0.2.9").id))
            let by = owner.requester(ip: "192.0.2.9")
            let agent = try await desk.createStaff(name: "Bia", email: "bia@example.com", role: "agent", password: strongPassword, by: by)
            _ = try await desk.updateStaff(agent.id, role: "operator", by: by)
            _ = try await desk.updateStaff(agent.id, disabled: true, by: by)
            let token = try await desk.createToken(name: "CRM", role: "agent", by: by)
            try await desk.revokeToken(token.token.id, by: by)
            try await desk.recordAudit(.secretSet, object: "secret:whatsapp_token", by: by)
            await expectDeskError(.invalidCredentials) {
                _ = try await desk.login(email: "owner@example.com", password: "wrong guess here", ip: "192.0.2.66")
            }
            let entries = try desk.listAudit(try PageRequest(cursor: nil, limit: 200)).items
            #expect(entries.map(\.action.rawValue) == [
                "login.failure", "secret.set", "token.revoked", "token.created", "staff.disabled", "staff.role_changed",
                "staff.created", "login.success", "staff.created", "setup.completed",
            ])
            #expect(entries[5].actor?.name == "Owner")
            #expect(entries[5].object.contains("agent->operator"))
            #expect(entries[0].actor == nil)
            #expect(entries[0].ip == "192.0.2.66")
            let text = entries.map { "\($0)" }.joined()
            #expect(!text.contains(strongPassword) && !text.contains("wrong guess") && !text.contains(token.secret))
        }
    }

    @Test func theAuditLogPagesWithACursor() async throws {
        try await withDesk { desk, _ in
            _ = try await desk.makeOwner()
            for i in 0..<5 { try await desk.recordAudit(.secretSet, object: "secret:s\(i)", by: .commandLine) }
            let first = try desk.listAudit(try PageRequest(cursor: nil, limit: 3))
            let cursor = try #require(first.nextCursor)
            let second = try desk.listAudit(try PageRequest(cursor: cursor, limit: 3))
            #expect(first.items.map(\.object) == ["secret:s4", "secret:s3", "secret:s2"])
            #expect(second.items.prefix(2).map(\.object) == ["secret:s1", "secret:s0"])
            #expect(second.items[2].action == .staffCreated)
            #expect(second.items.count == 3 && second.nextCursor != nil)
        }
    }

    @Test func aBadCursorOrLimitIsAnInvalidField() {
        #expect(throws: DeskError.self) { try PageRequest(cursor: nil, limit: 0) }
        #expect(throws: DeskError.self) { try PageRequest(cursor: nil, limit: 201) }
        #expect(throws: DeskError.self) { try PageRequest(cursor: "!!", limit: 10) }
    }
}
