import Foundation

/// What a refused Google call means, and what to do about it: the one table for Google's two
/// error shapes. The Calendar API answers `{"error":{"code","message","errors":[{"domain",
/// "reason","message"}]}}`; the OAuth token endpoint answers `{"error":"invalid_grant",
/// "error_description":…}` (RFC 6749 §5.2).
public struct GoogleFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Action: String, Sendable, Equatable {
        /// Try again later (backoff, or `retryAfter` when Google said).
        case retry
        /// Do not try again: the request itself is refused (400, 403 without a rate reason, 404).
        case fail
        /// The access token was refused (401): get a new one, then try once more.
        case refreshToken = "refresh_token"
        /// The refresh token or the OAuth client is refused (`invalid_grant`, `invalid_client`,
        /// `unauthorized_client`): nothing works until an admin connects Google again.
        case reconnect
    }

    public var action: Action
    /// The HTTP status (0 when no answer came).
    public var status: Int
    /// Google's reason (`rateLimitExceeded`, `duplicate`, `notFound`) or OAuth error code (`invalid_grant`).
    public var reason: String?
    /// Google's words, for staff and the log (never a token).
    public var message: String
    public var retryAfter: Double?

    public init(_ action: Action, status: Int, reason: String? = nil, message: String, retryAfter: Double? = nil) {
        (self.action, self.status, self.reason, self.message, self.retryAfter) = (action, status, reason, message, retryAfter)
    }

    public var description: String {
        "Google \(status == 0 ? "unreachable" : "HTTP \(status)")\(reason.map { " \($0)" } ?? ""): \(message)"
    }

    /// Reasons Google documents as "slow down and retry" even though they come with 403
    /// (Calendar API, "Handle API errors": usageLimits).
    static let rateReasons: Set<String> = ["rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded"]

    /// A Calendar API refusal: 401 refreshes the token, 429, 5xx and 403 rate limits are retried,
    /// anything else (400, 403, 404, 409, 410) is final for this request — the caller decides
    /// whether 404/409/410 mean "done".
    public static func calendar(status: Int, body: some Collection<UInt8>, retryAfter: String?, now: Date = Date()) -> GoogleFailure {
        let root = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        let error = root?["error"] as? [String: Any]
        let first = (error?["errors"] as? [Any])?.first as? [String: Any]
        let reason = first?["reason"] as? String ?? (error?["status"] as? String)
        let message = (error?["message"] as? String) ?? (root?["error"] as? String) ?? "HTTP \(status) without a Google error body"
        let wait = RetryAfter.seconds(retryAfter, now: now)
        let action: Action
        switch status {
        case 401: action = .refreshToken
        case 403 where reason.map(rateReasons.contains) == true: action = .retry
        case 408, 429, 500...599: action = .retry
        default: action = .fail
        }
        return GoogleFailure(action, status: status, reason: reason, message: String(message.prefix(500)),
                             retryAfter: action == .retry ? wait : nil)
    }

    /// A token endpoint refusal (RFC 6749 §5.2): a refused grant or client needs a reconnect;
    /// 5xx and 429 are retried; anything else is final.
    public static func oauth(status: Int, body: some Collection<UInt8>, retryAfter: String?, now: Date = Date()) -> GoogleFailure {
        let root = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
        let code = root?["error"] as? String
        let description = root?["error_description"] as? String
        let message = description ?? code ?? "HTTP \(status) without an OAuth error body"
        let action: Action
        switch (status, code) {
        case (_, "invalid_grant"), (_, "invalid_client"), (_, "unauthorized_client"): action = .reconnect
        case (408, _), (429, _), (500...599, _): action = .retry
        default: action = .fail
        }
        return GoogleFailure(action, status: status, reason: code, message: String(message.prefix(500)),
                             retryAfter: action == .retry ? RetryAfter.seconds(retryAfter, now: now) : nil)
    }

    /// No answer (timeout, refused connection, shutting down): tried again later; an answer too
    /// large will be as large next time.
    static func transport(_ error: ChannelError) -> GoogleFailure {
        GoogleFailure(error.code == .responseTooLarge ? .fail : .retry, status: 0, message: error.message)
    }
}
