public import Foundation
import Storage

/// Where the Twilio REST API is; a setting like the others (`twilio_api_url`).
public struct TwilioAPISettings: Sendable {
    public var apiURL = "https://api.twilio.com"
    /// How long one Twilio API call may take before it counts as no answer (and is retried).
    public var timeout: Duration = .seconds(15)
    public init() {}
}

/// Settings → Channels → Twilio (one document): the account, where calls ring, and the missed-call
/// text-back. The auth token is in the vault (`twilio.auth_token`), never here.
public struct TwilioSetup: Codable, Sendable, Equatable {
    static let key = Key("twilio")

    /// `AC` and 32 hex digits; nil until an Admin connects Twilio.
    public var accountSID: String?
    /// The business phone an incoming call rings (E.164); nil: calls go straight to the missed-call path.
    public var forwardTo: String?
    /// Seconds the business phone rings before the call counts as missed (5–60; 20).
    public var ringSeconds = 20
    public var textBackEnabled = true
    /// The text-back per language (`pt`, `es`, `en`); a language left out uses the default.
    public var textBack: [String: String] = [:]
    /// A caller gets at most one text-back in this many hours (1–168; 24).
    public var textBackPeriodHours = 24
    /// While quiet, a text-back waits for the quiet hours to end, unless `textBackDuringQuietHours`.
    public var quietHours: QuietHours?
    public var textBackDuringQuietHours = false
    /// A missed caller hears a short greeting in the business language and may leave a message.
    public var voicemail = false
    /// Where the text-back goes; nil is SMS.
    public var textBackVia: TextBackVia?
    /// With `.whatsapp`: the approved template sent (its one parameter, if it has one, is the
    /// business's name).
    public var textBackTemplate: TemplateRef?

    /// `sms`; or `whatsapp`: a template on WhatsApp when the caller already has a WhatsApp
    /// conversation with the business (they are a known WhatsApp contact), SMS otherwise.
    public enum TextBackVia: String, Codable, Sendable { case sms, whatsapp }

    public struct TemplateRef: Codable, Sendable, Equatable {
        public var name: String
        public var language: String
        public init(name: String, language: String) { (self.name, self.language) = (name, language) }
    }
    public var updatedAt: Date?

    public init() {}

    /// From `start` to `end` ("HH:mm", business time zone); crossing midnight when end < start.
    public struct QuietHours: Codable, Sendable, Equatable {
        public var start: String
        public var end: String
        public init(start: String, end: String) { (self.start, self.end) = (start, end) }

        /// When the quiet hours that hold `date` end, or nil when `date` is not in them.
        public func end(containing date: Date, in zone: TimeZone) -> Date? {
            guard let from = Self.minutes(start), let to = Self.minutes(end), from != to else { return nil }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let parts = calendar.dateComponents([.hour, .minute], from: date)
            let now = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
            let quiet = from < to ? (now >= from && now < to) : (now >= from || now < to)
            guard quiet else { return nil }
            let day = calendar.startOfDay(for: date)
            let endDay = (from > to && now >= from) ? calendar.date(byAdding: .day, value: 1, to: day) ?? day : day
            return calendar.date(bySettingHour: to / 60, minute: to % 60, second: 0, of: endDay)
        }

        static func minutes(_ text: String) -> Int? {
            let parts = text.split(separator: ":")
            guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let h = Int(parts[0]), let m = Int(parts[1]),
                  (0..<24).contains(h), (0..<60).contains(m) else { return nil }
            return h * 60 + m
        }
    }

    /// The text-back in `language`, or the default with the business's name.
    public func textBack(in language: String, business: String) -> String {
        if let text = textBack[language], !text.isEmpty { return text }
        return Self.defaultTextBack(in: language, business: business)
    }

    /// Seed 001's "Oi! Aqui é a [Empresa], desculpe não atender. Como podemos ajudar?"
    public static func defaultTextBack(in language: String, business: String) -> String {
        let named = !business.isEmpty
        switch language {
        case "es": return named ? "¡Hola! Somos \(business), perdón por no atender tu llamada. ¿Cómo podemos ayudarte?"
                                : "¡Hola! Perdón por no atender tu llamada. ¿Cómo podemos ayudarte?"
        case "en": return named ? "Hi! This is \(business), sorry we missed your call. How can we help?"
                                : "Hi! Sorry we missed your call. How can we help?"
        default: return named ? "Oi! Aqui é a \(business), desculpe não atender. Como podemos ajudar?"
                              : "Oi! Desculpe não atender. Como podemos ajudar?"
        }
    }

    /// The voicemail greeting in `language` (Twilio's `<Say>` language code with it).
    static func voicemailGreeting(_ language: String, business: String) -> (text: String, voiceLanguage: String) {
        switch language {
        case "es": return ("No podemos atender ahora. Deja tu mensaje después del tono y te respondemos por mensaje.", "es-ES")
        case "en": return ("We can't take your call right now. Leave a message after the tone and we will text you back.", "en-US")
        default: return ("No momento não podemos atender. Deixe sua mensagem após o sinal e responderemos por mensagem.", "pt-BR")
        }
    }
}

/// When a caller last got a text-back (the once-per-period rule), by their number's digits.
struct TextBackRecord: Codable, Sendable {
    let caller: String
    var lastAt: Date
}

/// What an Admin sends to change the Twilio settings (nil keeps a value).
public struct TwilioSetupInput: Sendable {
    public var accountSID: String?
    /// Write-only; never returned.
    public var authToken: String?
    /// Replaces the list of Twilio numbers (E.164).
    public var numbers: [String]?
    /// `.some(nil)` clears it.
    public var forwardTo: String??
    public var ringSeconds: Int?
    public var textBackEnabled: Bool?
    public var textBack: [String: String]?
    public var textBackPeriodHours: Int?
    /// `.some(nil)` removes quiet hours.
    public var quietHours: TwilioSetup.QuietHours??
    public var textBackDuringQuietHours: Bool?
    public var voicemail: Bool?
    public var textBackVia: TwilioSetup.TextBackVia?
    /// `.some(nil)` clears it.
    public var textBackTemplate: TwilioSetup.TemplateRef??
    public init() {}
}
