import AtendeTesting
import Desk
import Foundation
import Testing

/// Issue 8, findings 4 and 10: sessions per account are capped, and what time ends is swept.
@Suite struct SessionLimitTests {
    @Test func signingInMoreThanTenTimesEndsTheLeastRecentlyUsedSessions() async throws {
        try await withDesk { desk, clock in
            _ = try await desk.makeOwner()
            var ids: [String] = []
            for _ in 0..<12 {
                clock.advance(by: 1)
                ids.append(try await desk.login(email: "owner@example.com", password: strongPassword, ip: "192.0.2.1").id)
            }
            // Setup's own session and the first two sign-ins were the least recently used.
            for id in ids.prefix(2) { #expect(try await desk.authenticate(sessionID: id) == nil) }
            for id in ids.dropFirst(2) { #expect(try await desk.authenticate(sessionID: id) != nil) }
        }
    }

    @Test func aSweepEndsIdleSessionsAndForgetsOldFailedSignInsOnly() async throws {
        try await withDesk { desk, clock in
            _ = try await desk.makeOwner()
            let idle = try await desk.login(email: "owner@example.com", password: strongPassword, ip: "192.0.2.1").id
            await expectDeskError(.invalidCredentials) {
                _ = try await desk.login(email: "owner@example.com", password: "wrong guess here", ip: "192.0.2.9")
            }
            #expect(try await desk.sweep() == SweepReport())          // nothing has expired yet
            clock.advance(by: 31 * 60)
            let fresh = try await desk.login(email: "owner@example.com", password: strongPassword, ip: "192.0.2.1").id
            var report = try await desk.sweep()
            #expect(report.sessionsEnded == 2)                       // the idle one and setup's
            #expect(try await desk.authenticate(sessionID: fresh) != nil)
            #expect(try await desk.authenticate(sessionID: idle) == nil)
            clock.advance(by: 31 * 24 * 60 * 60)
            report = try await desk.sweep()
            #expect(report.failedSignInsForgotten == 1)
            let actions = try desk.listAudit(try PageRequest(cursor: nil, limit: 200)).items.map(\.action)
            #expect(!actions.contains(.loginFailure))
            #expect(actions.contains(.loginSuccess) && actions.contains(.setupCompleted))
        }
    }

    @Test func failedSignInsReachTheAuditLogAtABoundedRate() async throws {
        var policy = LoginThrottle.Policy()
        policy.freeAttempts = 1_000_000          // let every attempt be checked: only the audit budget bounds it
        try await withDesk({ $0.throttle = policy }) { desk, clock in
            _ = try await desk.makeOwner()
            let before = try desk.listAudit(try PageRequest(cursor: nil, limit: 200)).items.count
            for i in 0..<300 {
                await expectDeskError(.invalidCredentials) {
                    _ = try await desk.login(email: "nobody\(i % 30)@example.com", password: "wrong guess", ip: "2001:db8::\(i)")
                }
            }
            var audit = try desk.listAudit(try PageRequest(cursor: nil, limit: 200)).items
            // Before the fix: 300 rows. Now: at most ten a minute.
            #expect(audit.count - before == 10)
            clock.advance(by: 61)
            await expectDeskError(.invalidCredentials) {
                _ = try await desk.login(email: "someone@example.com", password: "wrong guess", ip: "2001:db8::1")
            }
            audit = try desk.listAudit(try PageRequest(cursor: nil, limit: 200)).items
            #expect(audit.first?.object.contains("+290 more") == true, "\(audit.first?.object ?? "")")
        }
    }
}
