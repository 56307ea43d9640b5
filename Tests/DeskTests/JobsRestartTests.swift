@testable import Desk
import AtendeTesting
import Foundation
import Storage
import Testing

/// A process that dies while running a job must not lose it. The lease step is internal, so this
/// one test reaches in (`@testable`) to stop a run half-way, as a kill -9 would.
@Suite struct JobsRestartTests {
    @Test func aJobLeftRunningByAProcessThatDiedRunsAgainAtTheNextStart() async throws {
        let clock = ManualDeskClock()
        try await withTemporaryStore(schema: Desk.schema) { store, _ in
            let before = Jobs(store: store, clock: clock, logger: .quiet)
            let job = try before.make("note")
            try await before.schedule(job)
            let leased = try #require(try await before.leaseNext())        // … and the process dies here
            #expect(try before.job(job.id)?.state == .running)
            #expect(leased.attempts == 1)

            let after = Jobs(store: store, clock: clock, logger: .quiet)     // the next start
            let calls = Calls()
            after.register("note") { _ in _ = calls.tick(); return .done }
            #expect(try await after.requeueAbandoned() == 1)
            #expect(try after.job(job.id)?.attempts == 0)
            #expect(try await after.runDue() == 1)
            #expect(calls.value == 1)
            #expect(try after.job(job.id) == nil)
        }
    }
}
