public import Foundation

/// Counts failed logins per key (one key per account, one per client address) and answers
/// whether another attempt may be checked now. Pure: no I/O, no clock of its own — callers pass
/// `now`, so tests drive it through hours in microseconds.
///
/// Rule (OWASP Authentication Cheat Sheet; issue 4): the first `freeAttempts` failures inside
/// `window` cost nothing; from then on every failure blocks the key for an exponentially growing
/// delay (`baseDelay` doubling, capped at `maxDelay`), so guessing slows to a crawl while the
/// real owner is never locked out for long. A success clears the account's key (not the
/// address's: one valid account must not reset an attacker's address).
///
/// Counting failures after the hash is not enough on its own: requests that arrive together
/// would all pass `decide` before the first failure is recorded (issue 8: 100 concurrent guesses
/// from one address were all hashed). So a check is admitted with `begin`, counted in flight
/// until `finish`, and at most `checksPerAccount` run at once for an account, `checksPerAddress`
/// for an address and `checksInFlight` in all; beyond those the answer comes at once, without
/// hashing: `.deny` (429) for one key's excess, `.busy` (503) when the whole server is busy.
public struct LoginThrottle: Sendable {
    public struct Policy: Sendable {
        public var freeAttempts = 10
        public var window: TimeInterval = 60
        public var baseDelay: TimeInterval = 1
        public var maxDelay: TimeInterval = 300
        /// Keys kept at most; the stalest are dropped first (bounded memory under a flood).
        public var maxKeys = 50_000
        /// Password checks running at once for one account: one, so guesses at an account are
        /// checked one after the other and each failure counts before the next is tried.
        public var checksPerAccount = 1
        /// Password checks running at once from one address (two, so two people behind one
        /// office router can sign in together). A flood from one address holds at most this many
        /// hashing threads, so it cannot delay anyone else's sign-in by more than one hash.
        public var checksPerAddress = 2
        /// Password checks running or queued at once in all (one hash at cost 12 is ~0.25 s).
        public var checksInFlight = 8
        public init() {}
    }

    public enum Decision: Equatable, Sendable {
        case allow
        /// Refuse without checking the password; retry after this many whole seconds.
        case deny(retryAfter: Int)
        /// Refuse without checking: too many password checks are running on the whole server.
        case busy
    }

    /// The keys an attempt counts against: its account and, when known, its client address.
    public static func keys(email: String, ip: String?) -> [String] {
        ["account:\(email.prefix(254))"] + (ip.map { ["ip:\($0)"] } ?? [])
    }

    struct Entry: Sendable {
        var failures: [Date] = []
        var streak = 0
        var blockedUntil: Date?
        var lastFailure: Date
    }

    public let policy: Policy
    private(set) var entries: [String: Entry] = [:]
    /// Checks admitted by `begin` and not yet finished, per key and in all.
    private var running: [String: Int] = [:]
    private var runningTotal = 0

    public init(policy: Policy = Policy()) { self.policy = policy }

    /// Whether an attempt touching every key in `keys` may be checked at `now`.
    public func decide(_ keys: [String], now: Date) -> Decision {
        var wait: TimeInterval = 0
        for key in keys {
            if let until = entries[key]?.blockedUntil, until > now { wait = max(wait, until.timeIntervalSince(now)) }
        }
        return wait > 0 ? .deny(retryAfter: Int(wait.rounded(.up))) : .allow
    }

    /// Admits one password check against `keys` (counted in flight until `finish`), or says why
    /// not: a key is blocked (`.deny` with its wait), a key already has as many checks running as
    /// it may (`.deny(retryAfter: 1)`), or the server has `checksInFlight` running (`.busy`).
    public mutating func begin(_ keys: [String], now: Date) -> Decision {
        let decision = decide(keys, now: now)
        guard decision == .allow else { return decision }
        for key in keys where running[key, default: 0] >= limit(of: key) { return .deny(retryAfter: 1) }
        guard runningTotal < policy.checksInFlight else { return .busy }
        for key in keys { running[key, default: 0] += 1 }
        runningTotal += 1
        return .allow
    }

    /// Ends a check `begin` admitted: records its failure against every key, or its success
    /// (clearing the account's key, the first), or neither when it could not run (`nil`).
    public mutating func finish(_ keys: [String], succeeded: Bool?, now: Date) {
        for key in keys {
            let left = running[key, default: 1] - 1
            running[key] = left > 0 ? left : nil
        }
        runningTotal = max(0, runningTotal - 1)
        switch succeeded {
        case true?: if let account = keys.first { recordSuccess(account) }
        case false?: recordFailure(keys, now: now)
        case nil: break
        }
    }

    /// Checks running now (for tests and metrics).
    public var checksRunning: Int { runningTotal }

    private func limit(of key: String) -> Int {
        key.hasPrefix("account:") ? policy.checksPerAccount : policy.checksPerAddress
    }

    /// Records one failed attempt against every key.
    public mutating func recordFailure(_ keys: [String], now: Date) {
        for key in keys {
            var entry = entries[key] ?? Entry(lastFailure: now)
            entry.failures = entry.failures.filter { now.timeIntervalSince($0) < policy.window } + [now]
            entry.lastFailure = now
            // Once over the threshold, every further failure doubles the delay — even when the
            // earlier failures have left the window — until the key has been quiet long enough
            // to be pruned, so slow guessing stays slow.
            if entry.failures.count >= policy.freeAttempts || entry.streak > 0 {
                entry.streak += 1
                let delay = min(policy.maxDelay, policy.baseDelay * pow(2, Double(min(entry.streak - 1, 30))))
                entry.blockedUntil = now.addingTimeInterval(delay)
            }
            entries[key] = entry
        }
        if entries.count > policy.maxKeys { prune(now: now) }
    }

    /// Forgets `key` (a successful login clears its account's count).
    public mutating func recordSuccess(_ key: String) {
        entries[key] = nil
    }

    /// Drops keys with no failure in the window and no block in force; if still too many, the
    /// keys whose last failure is oldest.
    public mutating func prune(now: Date) {
        entries = entries.filter { _, entry in
            (entry.blockedUntil.map { $0 > now } ?? false)
                || now.timeIntervalSince(entry.lastFailure) < max(policy.window, policy.maxDelay)
        }
        if entries.count > policy.maxKeys {
            let keep = entries.sorted { $0.value.lastFailure > $1.value.lastFailure }.prefix(policy.maxKeys)
            entries = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
        }
    }

    /// How many keys are tracked (for tests and metrics).
    public var trackedKeys: Int { entries.count }
}
