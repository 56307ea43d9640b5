import Desk
import Foundation
import Testing

/// Sensitive changes from a browser session need the password entered within the window.
@Suite struct ReauthenticationTests {
    /// The owner (signed in through setup) and an agent; the owner's principal `minutes` later.
    private func owner(_ desk: Desk, _ clock: ManualDeskClock, after minutes: Double) async throws -> (Principal, String, StaffMember) {
        let session = try await desk.makeOwner()
        let bia = try await desk.createStaff(name: "Bia", email: "bia@example.com", role: "agent", password: strongPassword, by: .commandLine)
        clock.advance(by: minutes * 60)
        return (try #require(try await desk.authenticate(sessionID: session.id)), session.id, bia)
    }

    @Test func aFreshSignInMayMakeSensitiveChanges() async throws {
        try await withDesk { desk, clock in
            let (admin, _, bia) = try await owner(desk, clock, after: 9)
            _ = try await desk.updateStaff(bia.id, role: "operator", by: admin.requester(ip: nil))
            _ = try await desk.createToken(name: "crm", role: "agent", by: admin.requester(ip: nil))
        }
    }

    @Test func afterTheWindowRoleAccessPasswordAndTokenChangesNeedThePasswordAgain() async throws {
        try await withDesk { desk, clock in
            let (admin, _, bia) = try await owner(desk, clock, after: 11)
            let by = admin.requester(ip: nil)
            await expectDeskError(.reauthenticationRequired) { _ = try await desk.updateStaff(bia.id, role: "manager", by: by) }
            await expectDeskError(.reauthenticationRequired) { _ = try await desk.updateStaff(bia.id, disabled: true, by: by) }
            await expectDeskError(.reauthenticationRequired) { try await desk.resetPassword(of: bia.id, to: "a fresh long passphrase", by: by) }
            await expectDeskError(.reauthenticationRequired) { _ = try await desk.createToken(name: "crm", role: "agent", by: by) }
            await expectDeskError(.reauthenticationRequired) {
                _ = try await desk.createStaff(name: "Caio", email: "caio@example.com", role: "admin", password: strongPassword, by: by)
            }
            #expect(try await desk.updateStaff(bia.id, name: "Bia Lima", by: by).name == "Bia Lima")   // renaming is not sensitive
            #expect(try desk.staffMember(bia.id)?.role == .agent)
        }
    }

    @Test func anAdminChangesTheirOwnPasswordKnowingItNotByAReset() async throws {
        try await withDesk { desk, clock in
            let (admin, sessionID, _) = try await owner(desk, clock, after: 1)
            guard case .staff(let me, _) = admin else { Issue.record("not a staff principal"); return }
            await expectDeskError(.conflict) { try await desk.resetPassword(of: me.id, to: "a fresh long passphrase", by: admin.requester(ip: nil)) }
            #expect(try await desk.authenticate(sessionID: sessionID) != nil)      // the session asking is still there
        }
    }

    @Test func confirmingThePasswordOpensTheWindowAgainForThatSession() async throws {
        try await withDesk { desk, clock in
            let (admin, sessionID, bia) = try await owner(desk, clock, after: 11)
            guard case .staff(let member, let handle) = admin else { Issue.record("a session principal"); return }
            await expectDeskError(.invalidCredentials) { try await desk.confirmPassword("not it", of: member, session: handle, ip: nil) }
            try await desk.confirmPassword(strongPassword, of: member, session: handle, ip: nil)
            let confirmed = try #require(try await desk.authenticate(sessionID: sessionID))
            _ = try await desk.updateStaff(bia.id, role: "manager", by: confirmed.requester(ip: nil))
            let audit = try desk.listAudit(PageRequest(cursor: nil, limit: 10)).items.map(\.action)
            #expect(audit.contains(.reauthenticated))
        }
    }

    @Test func wrongConfirmationsAreThrottledLikeSignIns() async throws {
        try await withDesk { desk, clock in
            let (admin, _, _) = try await owner(desk, clock, after: 11)
            guard case .staff(let member, let handle) = admin else { Issue.record("a session principal"); return }
            for _ in 0..<10 {
                await expectDeskError(.invalidCredentials) { try await desk.confirmPassword("wrong guess", of: member, session: handle, ip: "192.0.2.9") }
            }
            await expectDeskError(.tooManyAttempts) { try await desk.confirmPassword(strongPassword, of: member, session: handle, ip: "192.0.2.9") }
        }
    }

    @Test func tokensAndTheCommandLineHaveNoPasswordToReenter() async throws {
        try await withDesk { desk, clock in
            let (_, _, bia) = try await owner(desk, clock, after: 0)
            let token = try await desk.createToken(name: "ops", role: "admin", by: .commandLine)
            clock.advance(by: 3600)
            let principal = try #require(try await desk.authenticate(bearer: token.secret))
            _ = try await desk.updateStaff(bia.id, role: "operator", by: principal.requester(ip: nil))
            _ = try await desk.updateStaff(bia.id, role: "manager", by: .commandLine)
        }
    }
}
