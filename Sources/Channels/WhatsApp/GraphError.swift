import Foundation

/// A Graph API error response (wire-protocols.md §2.4) and where it goes in `SendFailure`'s
/// table (§2.5). Branches on `error.code`, as Meta asks, not on the HTTP status — except when
/// there is no Graph body at all (a proxy's 502, say).
public struct GraphError: Sendable, Equatable {
    public var code: Int
    public var message: String
    public var details: String?
    /// Meta's trace id, to quote to their support.
    public var traceID: String?
    /// Deprecated by Meta but still sent with template validation errors (2388xxx).
    public var subcode: Int?
    /// The title and words Meta wrote for people (`error_user_title`, `error_user_msg`).
    public var userTitle: String?
    public var userMessage: String?

    /// Reads `{"error":{…}}`; nil when the body is not a Graph error.
    public init?(body: some Collection<UInt8>) {
        guard let root = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any],
              let error = root["error"] as? [String: Any], let code = JSON.int(error["code"]) else { return nil }
        self.code = code
        message = JSON.string(error["message"]) ?? "Graph error \(code)"
        // error_data is an object in WhatsApp errors and sometimes a string elsewhere; template
        // and account errors explain themselves to people in error_user_msg instead.
        details = JSON.string((error["error_data"] as? [String: Any])?["details"]) ?? JSON.string(error["error_data"])
            ?? JSON.string(error["error_user_msg"])
        traceID = JSON.string(error["fbtrace_id"])
        subcode = JSON.int(error["error_subcode"])
        userTitle = JSON.string(error["error_user_title"])
        userMessage = JSON.string(error["error_user_msg"])
    }

    /// What a failed send means: by Graph code when the body has one, else by HTTP status.
    public static func classify(status: Int, body: some Collection<UInt8>, retryAfter: String?, now: Date = Date()) -> SendFailure {
        .classify(status: status, parsed: GraphError(body: body)?.failure, provider: "Graph", retryAfter: retryAfter, now: now)
    }

    /// The table's reason for a Graph error code alone (a status webhook's failure).
    public static func reason(forCode code: Int) -> SendFailure.Reason {
        GraphError(code: code, message: "").failure.reason
    }

    init(code: Int, message: String) { (self.code, self.message) = (code, message) }

    /// This error's place in the table.
    public var failure: SendFailure {
        let text = details.map { "\(message): \($0)" } ?? message
        func make(_ reason: SendFailure.Reason, _ action: SendFailure.Action) -> SendFailure {
            var failure = SendFailure(reason, action, providerCode: code, message: text)
            failure.graphError = self
            return failure
        }
        switch code {
        case 4, 80007, 130429, 131056: return make(.rateLimited, .retry)
        case 1, 2, 131000, 131016, 131057: return make(.providerUnavailable, .retry)
        case 131047: return make(.windowClosed, .fail)
        case 0, 3, 10, 190, 200...299: return make(.notAuthorised, .pauseChannel)
        case 131026, 130403, 131050, 130472, 131049: return make(.recipientUnreachable, .fail)
        default: return make(.rejected, .fail)
        }
    }
}
