import AtendeTesting
import Desk
import Foundation
import Testing

/// Issue 8, finding 2: a token never does more than the staff member who made it may do now.
@Suite struct TokenOwnershipTests {
    /// Ana, an admin signed in a moment ago, and an admin token she made.
    func withAnaAndHerToken(_ body: (Desk, StaffMember, NewAPIToken) async throws -> Void) async throws {
        try await withDesk { desk, _ in
            _ = try await desk.makeOwner()
            let ana = try await desk.createStaff(name: "Ana", email: "ana@example.com", role: "admin",
                                                 password: strongPassword, by: .commandLine)
            let session = try await desk.login(email: "ana@example.com", password: strongPassword, ip: "192.0.2.5")
            let principal = try #require(try await desk.authenticate(sessionID: session.id))
            let token = try await desk.createToken(name: "CRM", role: "admin", by: principal.requester(ip: "192.0.2.5"))
            try await body(desk, ana, token)
        }
    }

    @Test func aDemotedOwnersTokenActsWithTheOwnersNewRoleAndRegainsItsOwnWithThePromotion() async throws {
        try await withAnaAndHerToken { desk, ana, token in
            _ = try await desk.updateStaff(ana.id, role: "agent", by: .commandLine)
            let demoted = try #require(try await desk.authenticate(bearer: token.secret))
            #expect(demoted.role == .agent)
            // What the finding saw it do: mint an admin token, re-promote its owner.
            await expectDeskError(.forbidden) { _ = try await desk.createToken(name: "x", role: "admin", by: demoted.requester(ip: nil)) }
            await expectDeskError(.forbidden) { _ = try await desk.updateStaff(ana.id, role: "admin", by: demoted.requester(ip: nil)) }
            #expect(try desk.isStillValid(demoted))
            _ = try await desk.updateStaff(ana.id, role: "admin", by: .commandLine)
            #expect(try desk.isStillValid(demoted) == false)      // its live sockets reconnect with the new role
            #expect(try await desk.authenticate(bearer: token.secret)?.role == .admin)
        }
    }

    @Test func disablingTheOwnerRevokesTheirTokensForGoodEvenAfterReEnabling() async throws {
        try await withAnaAndHerToken { desk, ana, token in
            let principal = try #require(try await desk.authenticate(bearer: token.secret))
            // A token the token made is Ana's too.
            let child = try await desk.createToken(name: "child", role: "manager", by: principal.requester(ip: nil))
            let cliToken = try await desk.createToken(name: "cli", role: "operator", by: .commandLine)
            _ = try await desk.updateStaff(ana.id, disabled: true, by: .commandLine)
            #expect(try await desk.authenticate(bearer: token.secret) == nil)
            #expect(try await desk.authenticate(bearer: child.secret) == nil)
            #expect(try desk.isStillValid(principal) == false)
            let listed = try desk.listTokens(try PageRequest(cursor: nil, limit: 200)).items.map(\.id)
            #expect(listed == [cliToken.token.id])
            let audit = try desk.listAudit(try PageRequest(cursor: nil, limit: 200)).items
            #expect(audit.filter { $0.action == .tokenRevoked }.count == 2)
            _ = try await desk.updateStaff(ana.id, disabled: false, by: .commandLine)
            #expect(try await desk.authenticate(bearer: token.secret) == nil)
            #expect(try await desk.authenticate(bearer: cliToken.secret)?.role == .operator)   // no owner: not touched
        }
    }

    @Test func aDemotedOwnersTokenMintsNothingAboveTheNewRole() async throws {
        try await withAnaAndHerToken { desk, ana, token in
            _ = try await desk.updateStaff(ana.id, role: "manager", by: .commandLine)
            let principal = try #require(try await desk.authenticate(bearer: token.secret))
            #expect(principal.role == .manager)
            // Managers cannot manage tokens at all, so the demoted token cannot either.
            await expectDeskError(.forbidden) { _ = try await desk.createToken(name: "x", role: "manager", by: principal.requester(ip: nil)) }
            await expectDeskError(.forbidden) { try await desk.revokeToken(token.token.id, by: principal.requester(ip: nil)) }
        }
    }
}
