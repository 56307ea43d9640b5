import Foundation

/// Why a provider did not take a message, and what the dispatcher should do about it: the one
/// table every channel maps its own error codes into (WhatsApp's Graph codes, Twilio's error
/// codes), so retries, failures and paused channels follow the same rules everywhere.
public struct SendFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Action: String, Sendable, Equatable {
        /// Try again later (backoff, or `retryAfter` when the provider said).
        case retry
        /// Do not try again; the message fails with `reason`.
        case fail
        /// Do not try again, and stop sending on this channel until an admin fixes it (the token
        /// expired or lost its permissions): every other send would fail the same way.
        case pauseChannel = "pause_channel"
    }

    /// Stable snake_case reasons, shown to staff and kept with the failed message.
    public struct Reason: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }
        /// The provider's throughput or pair-rate limit (WhatsApp 130429, 131056, 4, 80007; HTTP 429).
        public static let rateLimited = Reason("rate_limited")
        /// The provider is down or said "try later" (5xx, 1, 2, 131000, 131016, 131057), or no answer came.
        public static let providerUnavailable = Reason("provider_unavailable")
        /// Free-form messages need a customer message in the last 24 hours; send a template (131047).
        public static let windowClosed = Reason("customer_window_closed")
        /// The token is invalid, expired or lacks permission (0, 3, 10, 190, 200–299).
        public static let notAuthorised = Reason("channel_not_authorised")
        /// The person cannot receive it: not on WhatsApp, blocked, opted out of marketing (131026, 130403, 131050, 130472, 131049).
        public static let recipientUnreachable = Reason("recipient_unreachable")
        /// The person asked not to be messaged on this channel (Twilio 21610, after they texted
        /// STOP): never retried; sending resumes only after they opt back in.
        public static let optedOut = Reason("recipient_opted_out")
        /// The number cannot receive this kind of message at all (Twilio 21211, 21614: not a valid
        /// or not a mobile number).
        public static let invalidNumber = Reason("invalid_number")
        /// The request itself was refused (bad parameter, template problem, media type, …).
        public static let rejected = Reason("rejected_by_provider")
        public var description: String { rawValue }
    }

    public var reason: Reason
    public var action: Action
    /// Seconds the provider asked us to wait (Retry-After), if it did.
    public var retryAfter: Double?
    /// The provider's own code (a Graph error code; an HTTP status when there was no body).
    public var providerCode: Int?
    /// The provider's message, for staff and the log (never a token).
    public var message: String
    /// The Graph error itself when the refusal came with one: its subcode and the words Meta
    /// wrote for people (`error_user_msg`) say which part of a template it refused.
    public var graphError: GraphError?

    public init(_ reason: Reason, _ action: Action, providerCode: Int? = nil, message: String, retryAfter: Double? = nil) {
        (self.reason, self.action, self.providerCode, self.message, self.retryAfter) = (reason, action, providerCode, message, retryAfter)
    }

    /// What a refused send means: the provider's own entry in the table when its error body had
    /// one (`parsed`; a retry then waits as `Retry-After` says), else what the HTTP status alone
    /// says (a proxy's 502, a bare 429).
    static func classify(status: Int, parsed: SendFailure?, provider: String, retryAfter: String?, now: Date) -> SendFailure {
        let wait = RetryAfter.seconds(retryAfter, now: now)
        if var failure = parsed {
            if failure.action == .retry { failure.retryAfter = wait }
            return failure
        }
        let message = "HTTP \(status) without a \(provider) error body"
        switch status {
        case 429: return SendFailure(.rateLimited, .retry, providerCode: status, message: message, retryAfter: wait)
        case 408, 500...599: return SendFailure(.providerUnavailable, .retry, providerCode: status, message: message, retryAfter: wait)
        case 401, 403: return SendFailure(.notAuthorised, .pauseChannel, providerCode: status, message: message)
        default: return SendFailure(.rejected, .fail, providerCode: status, message: message)
        }
    }

    public var description: String {
        "\(reason) (\(action.rawValue)\(providerCode.map { ", code \($0)" } ?? "")): \(message)"
    }
}
