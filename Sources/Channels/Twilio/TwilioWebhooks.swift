// Typed views of Twilio's webhook forms (wire-protocols.md §5.1–§5.3, §5.7). Each reads the
// fields Atende uses from an already-parsed (and signature-checked) `TwilioForm`, and is nil when a
// field it needs is missing or empty. Twilio adds parameters without notice; unknown ones are
// ignored here but stay in the form, which is what the signature covers.

extension TwilioForm {
    /// The first value of `name` when it is not empty.
    func nonEmpty(_ name: String) -> String? { self[name].flatMap { $0.isEmpty ? nil : $0 } }

    /// The first non-empty value among `names`, in that order.
    func nonEmpty(_ names: String...) -> String? { names.lazy.compactMap { nonEmpty($0) }.first }

    /// The first value of `name` as a whole number.
    func integer(_ name: String) -> Int? { self[name].flatMap { Int($0) } }
}

/// An inbound SMS, MMS or WhatsApp-via-Twilio message (§5.1).
public struct TwilioInboundMessage: Sendable {
    /// The most files read from one message (Twilio sends at most 10).
    public static let maxMedia = 10

    /// `MessageSid`, or the deprecated `SmsMessageSid`/`SmsSid` when it is absent.
    public let messageSID: String
    public let accountSID: String
    /// The sender: E.164 when Twilio could normalise it, else the raw caller id (`whatsapp:+…` on WhatsApp).
    public let from: String
    public let to: String
    /// The text; empty for a media-only message.
    public let body: String
    /// `MediaUrlN` and `MediaContentTypeN` for N below `NumMedia` (at most `maxMedia`); an entry
    /// without a URL is skipped.
    public let media: [(url: String, contentType: String?)]
    /// WhatsApp's profile name (`ProfileName`), when sent.
    public let profileName: String?
    /// `STOP`, `START` or `HELP` when Twilio's Advanced Opt-Out handled a keyword (`OptOutType`).
    public let optOutType: String?

    public init?(_ form: TwilioForm) {
        guard let messageSID = form.nonEmpty("MessageSid", "SmsMessageSid", "SmsSid"), let accountSID = form.nonEmpty("AccountSid"),
              let from = form.nonEmpty("From"), let to = form.nonEmpty("To") else { return nil }
        (self.messageSID, self.accountSID, self.from, self.to) = (messageSID, accountSID, from, to)
        body = form["Body"] ?? ""
        let count = min(max(form.integer("NumMedia") ?? 0, 0), Self.maxMedia)
        media = (0..<count).compactMap { n in
            form.nonEmpty("MediaUrl\(n)").map { ($0, form.nonEmpty("MediaContentType\(n)")) }
        }
        profileName = form.nonEmpty("ProfileName")
        optOutType = form.nonEmpty("OptOutType")
    }
}

/// A message status callback (§5.7): what became of a message we sent.
public struct TwilioMessageStatus: Sendable, Equatable {
    public let messageSID: String
    /// Twilio's status (`MessageStatus`, or the legacy `SmsStatus`): `queued`, `sent`, `delivered`, …
    public let status: String
    /// `ErrorCode` on `failed`/`undelivered` (30xxx); `TwilioError.failure(forCode:)` says what it means.
    public let errorCode: Int?

    public init?(_ form: TwilioForm) {
        guard let messageSID = form.nonEmpty("MessageSid", "SmsSid", "SmsMessageSid"),
              let status = form.nonEmpty("MessageStatus", "SmsStatus") else { return nil }
        (self.messageSID, self.status) = (messageSID, status)
        errorCode = form.integer("ErrorCode")
    }

    /// The delivery state to record for this status, in our names: nil while Twilio still holds
    /// the message (`queued`, `accepted`, `scheduled`, `sending`) or for a status we do not know,
    /// `sent` once a carrier took it, `delivered`, `read` (WhatsApp), and `failed` for
    /// `undelivered`, `failed` and `canceled`.
    public var deliveryStatus: String? {
        switch status {
        case "sent": "sent"
        case "delivered": "delivered"
        case "read": "read"
        case "undelivered", "failed", "canceled": "failed"
        default: nil
        }
    }
}

/// An incoming call, or a call status callback (§5.2).
public struct TwilioCall: Sendable, Equatable {
    public let callSID: String
    public let accountSID: String
    public let from: String
    public let to: String
    /// `queued`, `initiated`, `ringing`, `in-progress`, `completed`, `busy`, `failed`, `no-answer`, `canceled`.
    public let callStatus: String
    /// `inbound`, `outbound-api` or `outbound-dial`.
    public let direction: String
    /// `CallerName`, only when caller-id lookup is on.
    public let callerName: String?

    /// Needs who calls whom; a missing status or direction reads as a new inbound call (what the
    /// voice URL is asked for), so a call is never dropped for a parameter Twilio left out.
    public init?(_ form: TwilioForm) {
        guard let callSID = form.nonEmpty("CallSid"), let accountSID = form.nonEmpty("AccountSid"),
              let from = form.nonEmpty("From"), let to = form.nonEmpty("To") else { return nil }
        (self.callSID, self.accountSID, self.from, self.to) = (callSID, accountSID, from, to)
        (callStatus, direction) = (form.nonEmpty("CallStatus") ?? "ringing", form.nonEmpty("Direction") ?? "inbound")
        callerName = form.nonEmpty("CallerName")
    }
}

/// The `action` request of a `<Dial>` (§5.3): how the forwarded leg ended.
public struct TwilioDialResult: Sendable, Equatable {
    /// The parent (inbound) call's `CallSid`.
    public let callSID: String
    public let from: String
    public let to: String
    /// `completed`, `answered`, `busy`, `no-answer`, `failed` or `canceled`.
    public let dialCallStatus: String
    /// Seconds the dialed leg lasted (`DialCallDuration`), when sent.
    public let dialCallDuration: Int?
    /// Whether the legs were connected (`DialBridged` `true`/`false`), when sent.
    public let bridged: Bool?

    public init?(_ form: TwilioForm) {
        guard let callSID = form.nonEmpty("CallSid"), let from = form.nonEmpty("From"), let to = form.nonEmpty("To"),
              let dialCallStatus = form.nonEmpty("DialCallStatus") else { return nil }
        (self.callSID, self.from, self.to, self.dialCallStatus) = (callSID, from, to, dialCallStatus)
        dialCallDuration = form.integer("DialCallDuration")
        bridged = switch form["DialBridged"]?.lowercased() {
        case "true": true
        case "false": false
        default: nil
        }
    }

    /// Whether nobody took the call: the dialed leg was not answered, busy, failed or cancelled,
    /// or Twilio says the legs were never bridged and the status is not an answered one (§5.3).
    public var missed: Bool {
        switch dialCallStatus {
        case "no-answer", "busy", "failed", "canceled": true
        case "completed", "answered": false
        default: bridged == false
        }
    }
}

/// A recording Twilio finished (`<Record action>` or a recording status callback): a voicemail.
public struct TwilioRecording: Sendable, Equatable {
    public let callSID: String
    /// `RecordingUrl`; the file is fetched from it (with `.mp3`/`.wav` appended) like MMS media.
    public let recordingURL: String
    public let recordingSID: String
    /// Seconds (`RecordingDuration`), when sent.
    public let recordingDuration: Int?

    public init?(_ form: TwilioForm) {
        guard let callSID = form.nonEmpty("CallSid"), let recordingURL = form.nonEmpty("RecordingUrl"),
              let recordingSID = form.nonEmpty("RecordingSid") else { return nil }
        (self.callSID, self.recordingURL, self.recordingSID) = (callSID, recordingURL, recordingSID)
        recordingDuration = form.integer("RecordingDuration")
    }
}
