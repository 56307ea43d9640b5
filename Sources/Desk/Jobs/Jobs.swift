public import Foundation
public import Logging
import Metrics
public import Storage
import Synchronization

/// The one mechanism for everything that happens later (ARCHITECTURE.md "The one path every
/// message takes"): sends and their retries, timers, reminders, housekeeping.
///
/// A job is scheduled inside the caller's write transaction (`schedule(_:in:)`), so "store this
/// and do that later" is one commit. `JobRunner` leases due jobs, runs their handlers and records
/// the outcome; a job is removed only in the transaction that records its success, so a kill -9
/// at any instant loses none — a job may run again after a crash, so handlers are idempotent.
public final class Jobs: Sendable {
    /// Runs one attempt of a job.
    public typealias Handler = @Sendable (Job) async throws -> JobOutcome

    let store: Store
    let clock: any DeskClock
    let logger: Logger
    public let policy: RetryPolicy
    /// How long a running job's lease lasts: if this process dies mid-job, the next one picks the
    /// job up at start (`requeueAbandoned`); the lease only matters as a backstop.
    public let lease: TimeInterval
    private let handlers = Mutex<[JobKind: Handler]>([:])
    private let running = Mutex<Set<String>>([])
    let wakeup = Wakeup()

    public init(store: Store, clock: any DeskClock = SystemDeskClock(), policy: RetryPolicy = RetryPolicy(),
                lease: TimeInterval = 600, logger: Logger) {
        self.store = store
        self.clock = clock
        self.policy = policy
        self.lease = lease
        self.logger = logger
    }

    /// Registers the handler for `kind` (at wiring time, before the runner starts).
    public func register(_ kind: JobKind, _ handler: @escaping Handler) {
        handlers.withLock { $0[kind] = handler }
    }

    /// A new job due at `due` (now by default). Make it before the write that schedules it: a
    /// write may be replayed, and its id and due time must not change (ARCHITECTURE.md).
    /// `id` names a job of which there is only one (scheduling it again replaces it).
    public func make(_ kind: JobKind, payload: some Encodable = [String: String](), at due: Date? = nil,
                     id: String? = nil) throws -> Job {
        try Self.pending(kind, payload: payload, id: id, createdAt: clock.now, due: due)
    }

    /// A pending job created at `createdAt`, due at `due` (then, when nil); for code that runs
    /// inside a write transaction with its own times rather than the clock's.
    static func pending(_ kind: JobKind, payload: some Encodable, id: String? = nil, createdAt: Date, due: Date? = nil) throws -> Job {
        Job(id: id ?? DocumentID(now: createdAt).description, kind: kind,
            payload: String(decoding: try payloadEncoder.encode(payload), as: UTF8.self),
            createdAt: createdAt, state: .pending, nextAt: due ?? createdAt, attempts: 0, lastError: nil)
    }

    private static let payloadEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    /// Schedules `job` in the caller's write transaction; a job with the same id is replaced.
    /// Call `wake()` after the commit so a sleeping runner looks again.
    public func schedule(_ job: Job, in txn: borrowing WriteTransaction) throws {
        try Collections.jobs.put(job, in: txn)
    }

    /// Schedules `job` in a transaction of its own and wakes the runner.
    public func schedule(_ job: Job) async throws {
        try await store.write { txn in try Collections.jobs.put(job, in: txn) }
        wake()
    }

    /// Tells the runner that something may be due earlier than it thought.
    public func wake() { wakeup.signal() }

    /// The job with `id`, or nil (done, or never scheduled).
    public func job(_ id: String) throws -> Job? {
        try store.read { txn in try Collections.jobs.get(Key(id), in: txn) }
    }

    /// Runs every job due now, one after another, until none is left, and returns how many
    /// attempts ran. Tests move a manual clock and call this instead of sleeping.
    @discardableResult
    public func runDue() async throws -> Int {
        var count = 0
        while let job = try await leaseNext() {
            await execute(job)
            count += 1
        }
        return count
    }

    // MARK: The runner's steps

    /// Jobs left running by a process that died go back to pending, due now, their attempt not
    /// counted. Only one process owns the data directory, so any running job at start is such a one.
    @discardableResult
    func requeueAbandoned() async throws -> Int {
        let at = clock.now
        let abandoned = try store.read { txn -> [Job] in
            var found: [Job] = []
            try Collections.jobs.forEach(in: txn) { job in
                if job.state == .running { found.append(job) }
                return true
            }
            return found
        }
        guard !abandoned.isEmpty else { return 0 }
        try await store.write { txn in
            for var job in abandoned {
                job.state = .pending
                job.nextAt = at
                job.attempts = max(0, job.attempts - 1)
                try Collections.jobs.put(job, in: txn)
            }
        }
        logger.notice("jobs left running by a stopped process are due again", metadata: ["atende.jobs.count": "\(abandoned.count)"])
        return abandoned.count
    }

    /// Leases the earliest job due now that this process is not already running, or nil.
    func leaseNext() async throws -> Job? {
        let at = clock.now
        let mine = running.withLock { $0 }
        let candidate = try store.read { txn -> Job? in
            var found: Job?
            try Collections.jobs.forEach(index: "next", in: txn) { job in
                guard job.nextAt <= at else { return false }
                if !mine.contains(job.id) { found = job }
                return found == nil
            }
            return found
        }
        guard var job = candidate else { return nil }
        let expected = job
        job.state = .running
        job.nextAt = at.addingTimeInterval(lease)
        job.attempts += 1
        let leased = job
        let taken = try await store.write { txn -> Bool in
            // Only if nobody changed it since it was read (a new schedule with the same id, say).
            guard try Collections.jobs.get(Key(expected.id), in: txn) == expected else { return false }
            try Collections.jobs.put(leased, in: txn)
            return true
        }
        guard taken else { return try await leaseNext() }
        running.withLock { _ = $0.insert(leased.id) }
        return leased
    }

    /// Runs a leased job's handler and records what came of it. A job whose runner is stopping
    /// (its task cancelled: SIGTERM) is parked — pending again, due now, the attempt not counted.
    func execute(_ job: Job) async {
        defer { running.withLock { _ = $0.remove(job.id) } }
        let handler = handlers.withLock { $0[job.kind] }
        let outcome: JobOutcome
        let started = ContinuousClock.now
        if let handler {
            do {
                outcome = try await handler(job)
            } catch {
                // Parked: pending again, due now, the attempt not counted — a wait that ends at once.
                if Task.isCancelled { await record(.wait(until: clock.now), of: job); return }
                outcome = .retry(reason: String("\(error)".prefix(500)))
            }
        } else {
            outcome = .fail(reason: "no handler for jobs of kind \(job.kind)")
        }
        JobMetrics.attempts(job.kind, outcome).increment()
        JobMetrics.duration.record(duration: ContinuousClock.now - started)
        await record(outcome, of: job)
    }

    private func record(_ outcome: JobOutcome, of job: Job) async {
        let at = clock.now
        var next = job
        var generator = SystemRandomNumberGenerator()
        switch outcome {
        case .done:
            break
        case .again(let date):
            (next.state, next.nextAt, next.attempts, next.lastError) = (.pending, date, 0, nil)
        case .wait(let date):
            (next.state, next.nextAt, next.attempts) = (.pending, date, max(0, job.attempts - 1))
        case .retry(let reason, let after):
            if let delay = policy.delay(afterAttempts: job.attempts, retryAfter: after, using: &generator) {
                (next.state, next.nextAt, next.lastError) = (.pending, at.addingTimeInterval(delay), reason)
            } else {
                (next.state, next.nextAt, next.lastError) = (.failed, at, "gave up after \(job.attempts) attempts: \(reason)")
            }
        case .fail(let reason):
            (next.state, next.nextAt, next.lastError) = (.failed, at, reason)
        }
        let updated = next
        do {
            try await store.write { txn in
                // Only the attempt that holds the lease records; a replaced job is left alone.
                guard try Collections.jobs.get(Key(job.id), in: txn) == job else { return }
                if case .done = outcome {
                    _ = try Collections.jobs.delete(Key(job.id), in: txn)
                } else {
                    try Collections.jobs.put(updated, in: txn)
                }
            }
        } catch {
            // Not recorded: the job stays running and is picked up again (at the next start, or
            // when its lease ends), so at worst it runs once more.
            logger.error("job outcome not recorded", metadata: ["atende.job.id": "\(job.id)", "atende.error": "\(error)"])
        }
        if outcome != .done, updated.state == .failed {
            logger.warning("job failed", metadata: ["atende.job.id": "\(job.id)", "atende.job.kind": "\(job.kind)",
                                                    "atende.job.error": "\(updated.lastError ?? "")"])
        }
    }

    /// Jobs this process runs now.
    var runningCount: Int { running.withLock { $0.count } }

    /// The earliest time a job is due or a lease ends, or nil with no job waiting.
    func nextWake() throws -> Date? {
        try store.read { txn in try Collections.jobs.page(index: "next", limit: 1, in: txn).items.first?.nextAt }
    }

    /// What `/metrics` shows: jobs due, running here, failed, and the age of the oldest due job.
    public func statistics() throws -> JobStatistics {
        let at = clock.now
        var stats = JobStatistics()
        stats.running = runningCount
        // Decodes only the due jobs (and the first one not due yet); counts failed ones without reading them.
        try store.read { txn in
            try Collections.jobs.forEach(index: "next", in: txn) { job in
                guard job.nextAt <= at else { return false }
                if job.state == .pending {
                    stats.due += 1
                    stats.oldestDueAge = max(stats.oldestDueAge, at.timeIntervalSince(job.nextAt))
                }
                return true
            }
            stats.failed = try Collections.jobs.count(index: "failed", in: txn)
        }
        return stats
    }
}

/// Counts of jobs by state, for `/metrics` and tests.
public struct JobStatistics: Sendable, Equatable {
    public var due = 0
    public var running = 0
    public var failed = 0
    /// Seconds the oldest due job has waited past its due time (0 when none is due).
    public var oldestDueAge: TimeInterval = 0
    public init() {}
}
