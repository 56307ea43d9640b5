public import Foundation

/// A token bucket: `rate` sends a second on average, bursts up to `capacity` (WhatsApp allows 80
/// messages a second per number by default; wire-protocols.md §2.7). Pure: callers pass `now`.
public struct TokenBucket: Sendable, Equatable {
    public let rate: Double
    public let capacity: Double
    private var tokens: Double
    private var updatedAt: Date

    public init(rate: Double, capacity: Double, now: Date) {
        precondition(rate > 0 && capacity >= 1, "a bucket must refill and hold at least one token")
        (self.rate, self.capacity, tokens, updatedAt) = (rate, capacity, capacity, now)
    }

    /// Takes a token if one is there and returns 0; otherwise takes nothing and returns how many
    /// seconds until one will be.
    public mutating func take(now: Date) -> TimeInterval {
        let elapsed = max(0, now.timeIntervalSince(updatedAt))
        tokens = min(capacity, tokens + elapsed * rate)
        updatedAt = max(updatedAt, now)
        // Within a rounding error of a whole token counts as one: a wait shorter than a Date can
        // tell apart would otherwise never end.
        guard tokens >= 1 - 1e-9 else { return max((1 - tokens) / rate, 1e-6) }
        tokens = max(0, tokens - 1)
        return 0
    }
}

/// WhatsApp's pair rate (§2.7): on average one message per `gap` (6 s) to the same person, with
/// bursts of up to `burst` — a person typing three quick lines is not held back, a loop sending
/// hundreds is. Pure; forgets people it has not seen for a while so it stays small.
public struct RecipientPacing: Sendable {
    public let gap: TimeInterval
    public let burst: Double
    private var buckets: [String: TokenBucket] = [:]

    public init(gap: TimeInterval = 6, burst: Double = 10) { (self.gap, self.burst) = (gap, burst) }

    /// The earliest time a message to `recipient` may go; when that is `now`, counts it as sent now.
    public mutating func reserve(_ recipient: String, now: Date) -> Date {
        var bucket = buckets[recipient] ?? TokenBucket(rate: 1 / gap, capacity: burst, now: now)
        let wait = bucket.take(now: now)
        buckets[recipient] = bucket
        if buckets.count > 10_000 { buckets = buckets.filter { $0.value.isBelowCapacity(now: now) } }
        return now.addingTimeInterval(wait)
    }
}

extension TokenBucket {
    /// Whether the bucket would not be full yet at `now` (a full one can be forgotten).
    func isBelowCapacity(now: Date) -> Bool {
        var copy = self
        for _ in 0..<Int(capacity) { if copy.take(now: now) > 0 { return true } }
        return false
    }
}
