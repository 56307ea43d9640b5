public import Foundation

/// When to try a job again. Pure: the random source is passed in, so tests check the spread.
///
/// Full jitter (reliability.md A4, after Brooker 2015): the n-th retry waits a random time in
/// `[0, min(cap, base · 2^(n-1))]`, so retries after an outage do not arrive together. A wait the
/// provider asked for (`Retry-After`) is honoured instead, at most `maxRetryAfter`.
public struct RetryPolicy: Sendable {
    public var base: TimeInterval = 1
    public var cap: TimeInterval = 300
    /// Attempts in all, the first included; then the job fails.
    public var maxAttempts = 8
    /// Longer Retry-After values are taken as this (reliability.md B6: absurd values capped at 1 h).
    public var maxRetryAfter: TimeInterval = 3600

    public init() {}

    /// The wait before the next attempt, after `attempts` attempts have been made; nil when no
    /// attempt is left.
    public func delay(afterAttempts attempts: Int, retryAfter: TimeInterval?,
                      using random: inout some RandomNumberGenerator) -> TimeInterval? {
        guard attempts < maxAttempts else { return nil }
        if let retryAfter { return min(max(0, retryAfter), maxRetryAfter) }
        let bound = min(cap, base * pow(2, Double(min(max(attempts - 1, 0), 40))))
        return Double.random(in: 0...bound, using: &random)
    }
}
