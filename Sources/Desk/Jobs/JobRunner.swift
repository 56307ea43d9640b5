import Foundation
import Logging
public import ServiceLifecycle

/// The service that runs jobs: at start it takes back jobs a stopped process left running, then
/// leases due jobs (up to `concurrency` at once), runs them, and sleeps until the next one is due
/// or `Jobs.wake()` says something new is. On SIGTERM it stops leasing and cancels running
/// handlers; their jobs are parked (pending, due now) for the next start.
public struct JobRunner: Service {
    let jobs: Jobs
    let concurrency: Int
    /// The longest it sleeps without looking (a clock change or a missed wake costs at most this).
    let maxSleep: Duration

    public init(jobs: Jobs, concurrency: Int = 4, maxSleep: Duration = .seconds(60)) {
        precondition(concurrency >= 1, "a runner runs at least one job at a time")
        self.jobs = jobs
        self.concurrency = concurrency
        self.maxSleep = maxSleep
    }

    public func run() async throws {
        try await jobs.requeueAbandoned()
        let jobs = self.jobs, concurrency = self.concurrency, maxSleep = self.maxSleep
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                // Under load every webhook wakes the runner.
                var metricsAt: ContinuousClock.Instant?
                while !Task.isCancelled {
                    do {
                        while jobs.runningCount < concurrency, !Task.isCancelled, let job = try await jobs.leaseNext() {
                            group.addTask {
                                await jobs.execute(job)
                                jobs.wake()
                            }
                        }
                    } catch {
                        jobs.logger.error("cannot lease jobs", metadata: ["atende.error": "\(error)"])
                    }
                    // Metrics at most once a second (they read the store), but the running count,
                    // held in memory, as it changes: a send that hangs for 20 s shows at once.
                    if metricsAt.map({ $0.duration(to: .now) >= .seconds(1) }) ?? true {
                        JobMetrics.update(try? jobs.statistics())
                        metricsAt = .now
                    } else {
                        JobMetrics.running.record(jobs.runningCount)
                    }
                    await jobs.wakeup.wait(upTo: Self.sleep(jobs: jobs, concurrency: concurrency, maxSleep: maxSleep))
                }
            }
        }
    }

    /// How long to sleep: until the next job is due, but never past `maxSleep`; with every slot
    /// busy, until one frees (its end wakes the runner).
    static func sleep(jobs: Jobs, concurrency: Int, maxSleep: Duration) -> Duration {
        guard jobs.runningCount < concurrency, let next = try? jobs.nextWake() else { return maxSleep }
        let seconds = next.timeIntervalSince(jobs.clock.now)
        if seconds <= 0 { return .milliseconds(10) }
        return min(maxSleep, .milliseconds(Int64(seconds * 1000) + 1))
    }
}
