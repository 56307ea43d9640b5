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

/// At most one message per `gap` to the same person (WhatsApp's pair rate: about one per 6 s;
/// §2.7). Pure; forgets people it has not seen for a while so it stays small.
public struct RecipientPacing: Sendable {
    public let gap: TimeInterval
    private var lastSent: [String: Date] = [:]

    public init(gap: TimeInterval = 6) { self.gap = gap }

    /// The earliest time a message to `recipient` may go; when that is `now`, records it as sent now.
    public mutating func reserve(_ recipient: String, now: Date) -> Date {
        if let last = lastSent[recipient], now.timeIntervalSince(last) < gap { return last.addingTimeInterval(gap) }
        lastSent[recipient] = now
        if lastSent.count > 10_000 { lastSent = lastSent.filter { now.timeIntervalSince($0.value) < gap } }
        return now
    }
}
