import Foundation

/// A Twilio REST error response (wire-protocols.md §5.6: `{"code","message","more_info","status"}`,
/// or the newer RFC 9457 shape with `title`) and where its code goes in `SendFailure`'s table
/// (§5.8). The same table reads the `ErrorCode` of a status callback.
public struct TwilioError: Sendable, Equatable {
    public var code: Int
    public var message: String
    /// Twilio's page about the code.
    public var moreInfo: String?

    /// Reads a Twilio error body; nil when it is not one.
    public init?(body: some Collection<UInt8>) {
        guard let root = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any],
              let code = JSON.int(root["code"]) else { return nil }
        self.code = code
        message = JSON.string(root["message"]) ?? JSON.string(root["detail"]) ?? JSON.string(root["title"]) ?? "Twilio error \(code)"
        moreInfo = JSON.string(root["more_info"])
    }

    init(code: Int, message: String) { (self.code, self.message) = (code, message) }

    /// What a failed send means: by Twilio code when the body has one, else by HTTP status. A 5xx
    /// is Twilio failing, not refusing: its body (20500 "Internal Server Error", 20503, or a code
    /// we do not know) never makes it a permanent failure — it is retried.
    public static func classify(status: Int, body: some Collection<UInt8>, retryAfter: String?, now: Date = Date()) -> SendFailure {
        let failure = SendFailure.classify(status: status, parsed: TwilioError(body: body)?.failure, provider: "Twilio",
                                           retryAfter: retryAfter, now: now)
        guard (500...599).contains(status), failure.action == .fail else { return failure }
        return SendFailure(.providerUnavailable, .retry, providerCode: failure.providerCode, message: failure.message,
                           retryAfter: RetryAfter.seconds(retryAfter, now: now))
    }

    /// The table's entry for a code alone (a status callback's `ErrorCode`).
    public static func failure(forCode code: Int) -> SendFailure {
        TwilioError(code: code, message: "Twilio error \(code)").failure
    }

    /// This error's place in the table.
    public var failure: SendFailure {
        func make(_ reason: SendFailure.Reason, _ action: SendFailure.Action) -> SendFailure {
            SendFailure(reason, action, providerCode: code, message: message)
        }
        switch code {
        case 21610: return make(.optedOut, .fail)
        case 21211, 21614: return make(.invalidNumber, .fail)
        case 20429, 30001: return make(.rateLimited, .retry)
        // 20003: the Account SID or auth token is wrong; 30002: the account is suspended;
        // 21606: the sending number is not ours or cannot send SMS. Every send would fail alike.
        case 20003, 20005, 30002, 21606: return make(.notAuthorised, .pauseChannel)
        case 21408, 21612, 21635, 30003, 30005, 30006: return make(.recipientUnreachable, .fail)
        default: return make(.rejected, .fail)
        }
    }
}
