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
public struct LoginThrottle: Sendable {
    public struct Policy: Sendable {
        public var freeAttempts = 10
        public var window: TimeInterval = 60
        public var baseDelay: TimeInterval = 1
        public var maxDelay: TimeInterval = 300
        /// Keys kept at most; the stalest are dropped first (bounded memory under a flood).
        public var maxKeys = 50_000
        public init() {}
    }

    public enum Decision: Equatable, Sendable {
        case allow
        /// Refuse without checking the password; retry after this many whole seconds.
        case deny(retryAfter: Int)
    }

    struct Entry: Sendable {
        var failures: [Date] = []
        var streak = 0
        var blockedUntil: Date?
        var lastFailure: Date
    }

    public let policy: Policy
    private(set) var entries: [String: Entry] = [:]

    public init(policy: Policy = Policy()) { self.policy = policy }

    /// Whether an attempt touching every key in `keys` may be checked at `now`.
    public func decide(_ keys: [String], now: Date) -> Decision {
        var wait: TimeInterval = 0
        for key in keys {
            if let until = entries[key]?.blockedUntil, until > now { wait = max(wait, until.timeIntervalSince(now)) }
        }
        return wait > 0 ? .deny(retryAfter: Int(wait.rounded(.up))) : .allow
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
