import Channels
import Foundation

/// Why sending on a number stopped, as the provider said it — our reason code (`SendFailure`'s
/// table), the provider's own code (Graph's `190`, or an HTTP status) and its words — with what
/// that means for the Admin in plain words (`summary`) and what to do (`action`).
///
/// Stored in the channel record. Records written before it held one string,
/// `"channel_not_authorised: (#190) Invalid OAuth access token…"`; they still decode: the
/// prefix is the reason and a `(#190)` in the words is the provider's code.
public struct PauseReason: Codable, Sendable, Equatable {
    /// `SendFailure.Reason`'s raw value, e.g. `channel_not_authorised`.
    public var reason: String
    /// The provider's code: a Graph error code, or an HTTP status when there was no Graph body.
    public var providerCode: Int?
    /// The provider's words, as they came (never a token: Graph does not echo it).
    public var providerMessage: String

    public init(reason: String, providerCode: Int?, providerMessage: String) {
        (self.reason, self.providerCode, self.providerMessage) = (reason, providerCode, String(providerMessage.prefix(500)))
    }

    init(_ failure: SendFailure) {
        self.init(reason: failure.reason.rawValue, providerCode: failure.providerCode, providerMessage: failure.message)
    }

    private enum CodingKeys: String, CodingKey { case reason, providerCode, providerMessage }

    public init(from decoder: any Decoder) throws {
        if let legacy = try? decoder.singleValueContainer().decode(String.self) {
            self = Self(legacy: legacy)
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        reason = try c.decode(String.self, forKey: .reason)
        providerCode = try c.decodeIfPresent(Int.self, forKey: .providerCode)
        providerMessage = try c.decodeIfPresent(String.self, forKey: .providerMessage) ?? ""
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(reason, forKey: .reason)
        try c.encodeIfPresent(providerCode, forKey: .providerCode)
        try c.encode(providerMessage, forKey: .providerMessage)
    }

    /// Reads the one string older records kept: `"<reason>: <provider's words>"`.
    init(legacy: String) {
        var reason = "channel_not_authorised", words = legacy
        if let colon = legacy.range(of: ": "), !legacy[..<colon.lowerBound].isEmpty,
           legacy[..<colon.lowerBound].allSatisfy({ $0 == "_" || ("a"..."z").contains($0) }) {
            reason = String(legacy[..<colon.lowerBound])
            words = String(legacy[colon.upperBound...])
        }
        // Graph puts its code in its message: "(#190) Invalid OAuth access token."
        var code: Int?
        if let open = words.range(of: "(#"), let close = words[open.upperBound...].firstIndex(of: ")") {
            code = Int(words[open.upperBound..<close])
        }
        self.init(reason: reason, providerCode: code, providerMessage: words)
    }

    /// The one line the log and older clients read: `"<reason>: <provider's words>"`.
    public var line: String { providerMessage.isEmpty ? reason : "\(reason): \(providerMessage)" }

    /// What happened, in plain words, with the provider's code for whoever asks Meta.
    public var summary: String {
        let code = providerCode.map { " (\($0))" } ?? ""
        switch (reason, providerCode) {
        case ("channel_not_authorised", 190?):
            return "Meta refused the access token\(code): it is invalid, expired or was revoked."
        case ("channel_not_authorised", let value?) where value == 10 || (200...299).contains(value):
            return "Meta says the access token lacks a permission this number needs\(code)."
        case ("channel_not_authorised", let value?) where value == 401 || value == 403:
            return "The WhatsApp API refused the access token\(code)."
        case ("channel_not_authorised", _):
            return "Meta refused this number's credentials\(code)."
        default:
            return "Meta refused to send on this number\(code)."
        }
    }

    /// What the Admin does about it.
    public var action: String {
        switch (reason, providerCode) {
        case ("channel_not_authorised", let value?) where value == 10 || (200...299).contains(value):
            return "Give the token the whatsapp_business_messaging and whatsapp_business_management permissions in Meta's Business settings, then paste it in Settings → Channels."
        default:
            return "Paste a new access token in Settings → Channels; sending resumes when it is saved."
        }
    }
}
