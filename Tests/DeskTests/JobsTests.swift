import AtendeTesting
import Desk
import Foundation
import ServiceLifecycle
import Storage
import Synchronization
import Testing

/// Jobs over a real store in a temporary directory, with a manual clock: tests move the clock and
/// call `runDue()` instead of sleeping.
func withJobs<R>(policy: RetryPolicy = RetryPolicy(), clock: any DeskClock = ManualDeskClock(),
                 _ body: (Jobs, Store) async throws -> R) async throws -> R {
    try await withTemporaryStore(schema: Desk.schema) { store, _ in
        try await body(Jobs(store: store, clock: clock, policy: policy, logger: .quiet), store)
    }
}

/// Counts calls; thread-safe.
final class Calls: Sendable {
    private let count = Mutex(0)
    func tick() -> Int { count.withLock { $0 += 1; return $0 } }
    var value: Int { count.withLock { $0 } }
}

@Suite struct JobsTests {
    let clock = ManualDeskClock()

    @Test func aJobIsScheduledInTheCallersTransactionOrNotAtAll() async throws {
        try await withJobs(clock: clock) { jobs, store in
            let kept = try jobs.make("note", payload: ["text": "kept"])
            let lost = try jobs.make("note", payload: ["text": "lost"])
            try await store.write { txn in try jobs.schedule(kept, in: txn) }
            await #expect(throws: (any Error).self) {
                try await store.write { txn in
                    try jobs.schedule(lost, in: txn)
                    throw DeskError(.invalidField, "the caller's change failed")
                }
            }
            #expect(try jobs.job(kept.id)?.input(as: [String: String].self) == ["text": "kept"])
            #expect(try jobs.job(lost.id) == nil)
        }
    }

    @Test func aJobRunsWhenItIsDueAndIsGoneOnceDone() async throws {
        try await withJobs(clock: clock) { jobs, _ in
            let calls = Calls()
            jobs.register("note") { _ in _ = calls.tick(); return .done }
            let job = try jobs.make("note", at: clock.now.addingTimeInterval(60))
            try await jobs.schedule(job)
            #expect(try await jobs.runDue() == 0)
            clock.advance(by: 59)
            #expect(try await jobs.runDue() == 0)
            clock.advance(by: 1)
            #expect(try await jobs.runDue() == 1)
            #expect(calls.value == 1)
            #expect(try jobs.job(job.id) == nil)
        }
    }

    @Test func aFailingJobIsRetriedWithJitteredBackoffThenFailsWithItsReason() async throws {
        var policy = RetryPolicy()
        policy.maxAttempts = 4
        try await withJobs(policy: policy, clock: clock) { jobs, _ in
            jobs.register("flaky") { _ in throw DeskError(.storeUnavailable, "provider down") }
            let job = try jobs.make("flaky")
            try await jobs.schedule(job)
            for attempt in 1...3 {
                let before = clock.now
                #expect(try await jobs.runDue() == 1)
                let waiting = try #require(try jobs.job(job.id))
                #expect(waiting.state == .pending)
                #expect(waiting.attempts == attempt)
                #expect(waiting.lastError?.contains("provider down") == true)
                let bound = min(policy.cap, policy.base * pow(2, Double(attempt - 1)))
                #expect(waiting.nextAt >= before && waiting.nextAt <= before.addingTimeInterval(bound))
                clock.advance(by: bound)
            }
            #expect(try await jobs.runDue() == 1)
            let failed = try #require(try jobs.job(job.id))
            #expect(failed.state == .failed)
            #expect(failed.lastError?.contains("gave up after 4 attempts") == true)
            clock.advance(by: 3600)
            #expect(try await jobs.runDue() == 0)                // a failed job is kept, not run
            #expect(try jobs.statistics().failed == 1)
        }
    }

    @Test func aProvidersRetryAfterIsHonouredAndAbsurdOnesCappedAtAnHour() async throws {
        try await withJobs(clock: clock) { jobs, _ in
            jobs.register("limited") { job in .retry(reason: "429", after: try job.input(as: [String: Double].self)["after"]) }
            let polite = try jobs.make("limited", payload: ["after": 30.0])
            let absurd = try jobs.make("limited", payload: ["after": 1e9])
            try await jobs.schedule(polite)
            try await jobs.schedule(absurd)
            #expect(try await jobs.runDue() == 2)
            #expect(try jobs.job(polite.id)?.nextAt == clock.now.addingTimeInterval(30))
            #expect(try jobs.job(absurd.id)?.nextAt == clock.now.addingTimeInterval(3600))
        }
    }

    @Test func aJobCanFailForGoodOrComeBackLater() async throws {
        try await withJobs(clock: clock) { jobs, _ in
            jobs.register("refused") { _ in .fail(reason: "131047 window closed") }
            jobs.register("daily") { _ in .again(at: clock.now.addingTimeInterval(86_400)) }
            let refused = try jobs.make("refused"), daily = try jobs.make("daily"), orphan = try jobs.make("nobody-handles-this")
            for job in [refused, daily, orphan] { try await jobs.schedule(job) }
            #expect(try await jobs.runDue() == 3)
            #expect(try jobs.job(refused.id)?.state == .failed)
            #expect(try jobs.job(refused.id)?.lastError == "131047 window closed")
            #expect(try jobs.job(orphan.id)?.lastError?.contains("no handler") == true)
            let again = try #require(try jobs.job(daily.id))
            #expect(again.state == .pending && again.attempts == 0 && again.nextAt == clock.now.addingTimeInterval(86_400))
            #expect(try jobs.statistics() == { var s = JobStatistics(); s.failed = 2; return s }())
        }
    }

    @Test func fullJitterSpreadsRetriesOverTheWholeBound() {
        let policy = RetryPolicy()
        var generator = SystemRandomNumberGenerator()
        for attempts in [1, 3, 7] {
            let bound = min(policy.cap, policy.base * pow(2, Double(attempts - 1)))
            let delays = (0..<10_000).map { _ in policy.delay(afterAttempts: attempts, retryAfter: nil, using: &generator)! }
            #expect(delays.allSatisfy { (0...bound).contains($0) })
            let mean = delays.reduce(0, +) / Double(delays.count)
            #expect(abs(mean - bound / 2) <= bound * 0.05, "mean \(mean) for bound \(bound)")
        }
        #expect(policy.delay(afterAttempts: policy.maxAttempts, retryAfter: nil, using: &generator) == nil)
    }

    @Test func theRunnerRunsAJobScheduledWhileItSleepsAndParksARunningOneOnShutdown() async throws {
        try await withJobs(clock: SystemDeskClock()) { jobs, _ in
            let (started, startedSink) = AsyncStream.makeStream(of: String.self)
            jobs.register("quick") { job in startedSink.yield(job.id); return .done }
            jobs.register("slow") { job in
                startedSink.yield(job.id)
                try await Task.sleep(for: .seconds(3600))     // until the runner is told to stop
                return .done
            }
            let group = ServiceGroup(configuration: .init(services: [JobRunner(jobs: jobs, maxSleep: .seconds(60))], logger: .quiet))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                var iterator = started.makeAsyncIterator()
                try await Task.sleep(for: .milliseconds(100))       // the runner is asleep, for up to 60 s
                let quick = try jobs.make("quick")
                try await jobs.schedule(quick)                      // wakes it
                #expect(await iterator.next() == quick.id)
                let slow = try jobs.make("slow")
                try await jobs.schedule(slow)
                #expect(await iterator.next() == slow.id)
                #expect(try jobs.job(slow.id)?.state == .running)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                let parked = try #require(try jobs.job(slow.id))
                #expect(parked.state == .pending)
                #expect(parked.attempts == 0)
                #expect(try jobs.job(quick.id) == nil)
            }
        }
    }
}
