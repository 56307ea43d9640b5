import Desk
import Testing

@Suite struct SessionTests {
    @Test func aSessionEndsAfterThirtyIdleMinutes() async throws {
        try await withDesk { desk, clock in
            let session = try await desk.makeOwner()
            clock.advance(by: 29 * 60)
            #expect(try await desk.authenticate(sessionID: session.id) != nil)
            clock.advance(by: 29 * 60)                      // used a moment ago: still alive
            #expect(try await desk.authenticate(sessionID: session.id) != nil)
            clock.advance(by: 30 * 60)
            #expect(try await desk.authenticate(sessionID: session.id) == nil)
            #expect(try await desk.authenticate(sessionID: session.id) == nil)   // and it stays gone
        }
    }

    @Test func aSessionEndsTwelveHoursAfterSignInEvenWhenUsed() async throws {
        try await withDesk { desk, clock in
            let session = try await desk.makeOwner()
            for _ in 0..<35 {                                 // 35 × 20 min = 11 h 40 min
                clock.advance(by: 20 * 60)
                #expect(try await desk.authenticate(sessionID: session.id) != nil)
            }
            clock.advance(by: 20 * 60)
            #expect(try await desk.authenticate(sessionID: session.id) == nil)
        }
    }

    @Test func timeoutsAreConfigurable() async throws {
        try await withDesk({ $0.sessionIdleTimeout = 60 }) { desk, clock in
            let session = try await desk.makeOwner()
            clock.advance(by: 61)
            #expect(try await desk.authenticate(sessionID: session.id) == nil)
        }
    }

    @Test func logoutEndsTheSession() async throws {
        try await withDesk { desk, _ in
            let session = try await desk.makeOwner()
            let principal = try #require(try await desk.authenticate(sessionID: session.id))
            guard case .staff(_, let handle) = principal else { Issue.record("not a staff session"); return }
            try await desk.logout(handle, by: principal.requester(ip: nil))
            #expect(try await desk.authenticate(sessionID: session.id) == nil)
        }
    }

    @Test func loginRotatesTheSessionAndEndsTheOneItReplaces() async throws {
        try await withDesk { desk, _ in
            let first = try await desk.makeOwner()
            let second = try await desk.login(email: "owner@example.com", password: strongPassword, ip: nil, replacing: first.id)
            #expect(second.id != first.id)
            #expect(try await desk.authenticate(sessionID: first.id) == nil)
            #expect(try await desk.authenticate(sessionID: second.id) != nil)
        }
    }

    @Test func changingThePasswordEndsEveryOtherSessionButKeepsThisOne() async throws {
        try await withDesk { desk, _ in
            let here = try await desk.makeOwner()
            let elsewhere = try await desk.login(email: "owner@example.com", password: strongPassword, ip: nil)
            guard case .staff(let member, let handle)? = try await desk.authenticate(sessionID: here.id) else {
                Issue.record("no session"); return
            }
            try await desk.changePassword(of: member, current: strongPassword, new: "a new long passphrase", keeping: handle, ip: nil)
            #expect(try await desk.authenticate(sessionID: here.id) != nil)
            #expect(try await desk.authenticate(sessionID: elsewhere.id) == nil)
            await expectDeskError(.invalidCredentials) {
                _ = try await desk.login(email: "owner@example.com", password: strongPassword, ip: nil)
            }
            _ = try await desk.login(email: "owner@example.com", password: "a new long passphrase", ip: nil)
        }
    }

    @Test func aWrongCurrentPasswordIsRefusedWhenChangingIt() async throws {
        try await withDesk { desk, _ in
            let here = try await desk.makeOwner()
            guard case .staff(let member, let handle)? = try await desk.authenticate(sessionID: here.id) else { return }
            let error = await expectDeskError(.invalidCredentials) {
                try await desk.changePassword(of: member, current: "not it at all", new: "a new long passphrase", keeping: handle, ip: nil)
            }
            #expect(error?.field == "current_password")
        }
    }

    @Test func disablingAStaffMemberEndsTheirSessionsAndTheirLogins() async throws {
        try await withDesk { desk, _ in
            _ = try await desk.makeOwner()
            let agent = try await desk.createStaff(name: "Bia", email: "bia@example.com", role: "agent",
                                                   password: strongPassword, by: .commandLine)
            let session = try await desk.login(email: "bia@example.com", password: strongPassword, ip: nil)
            _ = try await desk.updateStaff(agent.id, disabled: true, by: .commandLine)
            #expect(try await desk.authenticate(sessionID: session.id) == nil)
            await expectDeskError(.invalidCredentials) {
                _ = try await desk.login(email: "bia@example.com", password: strongPassword, ip: nil)
            }
        }
    }

    @Test func anAdminPasswordResetEndsTheTargetsSessions() async throws {
        try await withDesk { desk, _ in
            _ = try await desk.makeOwner()
            let agent = try await desk.createStaff(name: "Bia", email: "bia@example.com", role: "agent",
                                                   password: strongPassword, by: .commandLine)
            let session = try await desk.login(email: "bia@example.com", password: strongPassword, ip: nil)
            try await desk.resetPassword(of: agent.id, to: "another long passphrase", by: .commandLine)
            #expect(try await desk.authenticate(sessionID: session.id) == nil)
        }
    }

    @Test func anUnknownSessionIdIsNobody() async throws {
        try await withDesk { desk, _ in
            _ = try await desk.makeOwner()
            #expect(try await desk.authenticate(sessionID: "AAAAAAAAAAAAAAAAAAAAAA") == nil)
            #expect(try await desk.authenticate(sessionID: "") == nil)
        }
    }
}
