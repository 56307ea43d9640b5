import Desk
import Foundation
import Testing

/// Desk ends live subscriptions when the access behind them changes, and publishes the staff
/// and token changes it commits.
@Suite struct LiveAccessTests {
    /// A staff member signed in twice (two sessions), for tests that end one of them.
    struct Member {
        let member: StaffMember
        let first: Principal, second: Principal
        let firstSessionID: String
    }

    private func member(_ desk: Desk, role: Role = .operator, email: String = "op@example.com") async throws -> Member {
        let member = try await desk.createStaff(name: "Op", email: email, role: role.rawValue, password: strongPassword, by: .commandLine)
        let one = try await desk.login(email: email, password: strongPassword, ip: nil)
        let two = try await desk.login(email: email, password: strongPassword, ip: nil)
        return Member(member: member, first: try #require(try await desk.authenticate(sessionID: one.id)),
                      second: try #require(try await desk.authenticate(sessionID: two.id)), firstSessionID: one.id)
    }

    private func subscription(_ desk: Desk, _ principal: Principal, since: UInt64? = nil) throws -> LiveSubscription {
        guard case .subscribed(let subscription) = desk.subscribe(principal, since: since) else {
            throw HubTestFailure("expected a subscription, got reload")
        }
        return subscription
    }

    /// How `subscription` ended, or nil if it is still open after a short wait.
    private func ending(of subscription: LiveSubscription) async -> LiveEnding? {
        await withTaskGroup(of: LiveEnding?.self) { group in
            group.addTask { await subscription.ended() }
            group.addTask { try? await Task.sleep(for: .milliseconds(300)); return nil }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// The next event, or nil when none comes within a short wait.
    private func nextEvent(of subscription: LiveSubscription) async -> LiveEvent? {
        await withTaskGroup(of: LiveEvent?.self) { group in
            group.addTask { if case .event(let event)? = await subscription.next() { return event }; return nil }
            group.addTask { try? await Task.sleep(for: .milliseconds(300)); return nil }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    @Test func disablingAStaffMemberClosesEveryOneOfTheirSubscriptions() async throws {
        try await withDesk { desk, _ in
            let op = try await member(desk)
            let a = try subscription(desk, op.first), b = try subscription(desk, op.second)
            _ = try await desk.updateStaff(op.member.id, disabled: true, by: .commandLine)
            #expect(await ending(of: a) == .revoked(.accountDisabled))
            #expect(await ending(of: b) == .revoked(.accountDisabled))
        }
    }

    @Test func changingARoleClosesTheSubscriptionsButRenamingDoesNot() async throws {
        try await withDesk { desk, _ in
            let op = try await member(desk)
            let sub = try subscription(desk, op.first)
            _ = try await desk.updateStaff(op.member.id, name: "Op Renamed", by: .commandLine)
            #expect(await ending(of: sub) == nil)
            _ = try await desk.updateStaff(op.member.id, role: "agent", by: .commandLine)
            #expect(await ending(of: sub) == .revoked(.roleChanged))
        }
    }

    @Test func loggingOutClosesThatSessionsSubscriptionOnly() async throws {
        try await withDesk { desk, _ in
            let op = try await member(desk)
            let out = try subscription(desk, op.first), kept = try subscription(desk, op.second)
            guard case .staff(_, let handle) = op.first else { Issue.record("a session principal"); return }
            try await desk.logout(handle, by: op.first.requester(ip: nil))
            #expect(await ending(of: out) == .revoked(.sessionEnded))
            #expect(await ending(of: kept) == nil)
        }
    }

    @Test func changingMyPasswordClosesMyOtherSessionsSubscriptionsAndKeepsThisOne() async throws {
        try await withDesk { desk, _ in
            let op = try await member(desk)
            let other = try subscription(desk, op.first), current = try subscription(desk, op.second)
            guard case .staff(let staff, let handle) = op.second else { Issue.record("a session principal"); return }
            try await desk.changePassword(of: staff, current: strongPassword, new: "a brand new passphrase", keeping: handle, ip: nil)
            #expect(await ending(of: other) == .revoked(.sessionEnded))
            #expect(await ending(of: current) == nil)
        }
    }

    @Test func anAdminsPasswordResetClosesEverySubscriptionOfThatMember() async throws {
        try await withDesk { desk, _ in
            let op = try await member(desk)
            let a = try subscription(desk, op.first), b = try subscription(desk, op.second)
            try await desk.resetPassword(of: op.member.id, to: "another long passphrase", by: .commandLine)
            #expect(await ending(of: a) == .revoked(.sessionEnded))
            #expect(await ending(of: b) == .revoked(.sessionEnded))
        }
    }

    @Test func revokingATokenClosesItsSubscription() async throws {
        try await withDesk { desk, _ in
            let made = try await desk.createToken(name: "crm", role: "operator", by: .commandLine)
            let other = try await desk.createToken(name: "other", role: "operator", by: .commandLine)
            let principal = try #require(try await desk.authenticate(bearer: made.secret))
            let otherPrincipal = try #require(try await desk.authenticate(bearer: other.secret))
            let sub = try subscription(desk, principal), kept = try subscription(desk, otherPrincipal)
            try await desk.revokeToken(made.token.id, by: .commandLine)
            #expect(await ending(of: sub) == .revoked(.sessionEnded))
            #expect(await ending(of: kept) == nil)
            #expect(try desk.isStillValid(principal) == false)
            #expect(try desk.isStillValid(otherPrincipal))
        }
    }

    @Test func staffChangesReachSettingsViewersOnly() async throws {
        try await withDesk { desk, _ in
            let owner = try await desk.makeOwner()
            let manager = try await member(desk, role: .manager, email: "manager@example.com")
            let agent = try await member(desk, role: .agent, email: "agent@example.com")
            let admin = try #require(try await desk.authenticate(sessionID: owner.id))
            let subs = try [admin, manager.first, agent.first].map { try subscription(desk, $0) }
            let added = try await desk.createStaff(name: "Nova", email: "nova@example.com", role: "agent",
                                                   password: strongPassword, by: admin.requester(ip: nil))
            for sub in subs.prefix(2) {
                let event = try #require(await nextEvent(of: sub))
                #expect(event.type == "staff.created")
                #expect(event.data.contains(#""id":"\#(added.id)""#))
                #expect(event.data.contains(#""email":"nova@example.com""#))
                #expect(!event.data.contains("password"))
            }
            #expect(await nextEvent(of: subs[2]) == nil)
            _ = try await desk.createToken(name: "crm", role: "agent", by: admin.requester(ip: nil))
            #expect(await nextEvent(of: subs[0])?.type == "token.created")
            #expect(await nextEvent(of: subs[1]) == nil)   // managers do not manage tokens
            #expect(await nextEvent(of: subs[0]) == nil)
        }
    }

    @Test func checkingASessionForTheLiveSocketDoesNotKeepItAlive() async throws {
        try await withDesk { desk, clock in
            let op = try await member(desk)
            let idle = desk.configuration.sessionIdleTimeout
            clock.advance(by: idle - 10)
            #expect(try desk.isStillValid(op.first))
            clock.advance(by: 20)
            #expect(try desk.isStillValid(op.first) == false)
            #expect(try await desk.authenticate(sessionID: op.firstSessionID) == nil)
        }
    }

    @Test func aSessionWhoseRoleChangedIsNoLongerValidForTheSocket() async throws {
        try await withDesk { desk, _ in
            let op = try await member(desk)
            #expect(try desk.isStillValid(op.first))
            _ = try await desk.updateStaff(op.member.id, role: "agent", by: .commandLine)
            #expect(try desk.isStillValid(op.first) == false)
        }
    }
}
