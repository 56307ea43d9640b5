import Foundation
import Storage

extension Desk {
    /// Runs one password check under the login throttle. The check is admitted before any
    /// hashing (`LoginThrottle.begin`), so attempts that arrive together cannot all slip past the
    /// count; its outcome is recorded when it ends, and a check that throws counts as neither.
    /// `check` returns its value and whether the password was right.
    /// - Throws: `.tooManyAttempts` (429) or `.busy` (503), both with `retryAfter`, without
    ///   running `check`; or what `check` throws.
    func throttledCheck<T>(_ keys: [String], ip: String?,
                           _ check: () async throws -> (T, Bool)) async throws -> (T, succeeded: Bool) {
        switch throttle.withLock({ $0.begin(keys, now: now) }) {
        case .allow:
            break
        case .deny(let seconds):
            logger.warning("password check refused: throttled", metadata: ["atende.client.ip": "\(ip ?? "-")"])
            throw DeskError(.tooManyAttempts, "Too many failed attempts. Wait \(seconds) s and try again.", retryAfter: seconds)
        case .busy:
            logger.warning("password check refused: too many checks running", metadata: ["atende.client.ip": "\(ip ?? "-")"])
            throw DeskError(.busy, "The server is busy checking other sign-ins. Try again in a moment.", retryAfter: 1)
        }
        let result: (T, Bool)
        do {
            result = try await check()
        } catch {
            throttle.withLock { $0.finish(keys, succeeded: nil, now: now) }
            throw error
        }
        throttle.withLock { $0.finish(keys, succeeded: result.1, now: now) }
        return result
    }

    /// Audits a wrong password, within `FailureAuditBudget`: an unauthenticated client must not
    /// be able to grow the store without bound by failing sign-ins (issue 8). Repeats of the same
    /// object within the budget's window, and every failure past its rate, are only counted, and
    /// the count rides on the next row written ("+N more").
    func recordFailedPassword(object: String, by requester: Requester) async throws {
        guard let suppressed = failureAudit.withLock({ $0.admit(object, now: now) }) else { return }
        let detail = suppressed > 0 ? "\(object) (+\(suppressed) more failed sign-ins not recorded one by one)" : object
        let entry = auditRecord(.loginFailure, object: detail, by: requester)
        try await store.write { txn in try Collections.audit.insert(entry, in: txn) }
    }
}

/// How many failed-sign-in rows reach the audit log: the first failure for an object (an account
/// or an unknown email) in each `window`, at most `perMinute` rows a minute in all. What is left
/// out is counted and reported on the next row. Pure: the caller passes `now`.
struct FailureAuditBudget: Sendable {
    var window: TimeInterval = 600
    var perMinute = 10
    /// Objects kept at most (the oldest are forgotten first; forgetting only means one more row).
    var maxObjects = 10_000

    private var lastWritten: [String: Date] = [:]
    private var minute: Date = .distantPast
    private var writtenThisMinute = 0
    private var suppressed = 0

    /// Whether to write a row for `object` now: nil to skip it (counted), else how many earlier
    /// failures were skipped since the last row (to report on this one).
    mutating func admit(_ object: String, now: Date) -> Int? {
        if now.timeIntervalSince(minute) >= 60 { minute = now; writtenThisMinute = 0 }
        if let last = lastWritten[object], now.timeIntervalSince(last) < window { suppressed += 1; return nil }
        guard writtenThisMinute < perMinute else { suppressed += 1; return nil }
        writtenThisMinute += 1
        if lastWritten.count >= maxObjects {
            lastWritten = lastWritten.filter { now.timeIntervalSince($0.value) < window }
            if lastWritten.count >= maxObjects { lastWritten.removeAll(keepingCapacity: true) }
        }
        lastWritten[object] = now
        defer { suppressed = 0 }
        return suppressed
    }
}
