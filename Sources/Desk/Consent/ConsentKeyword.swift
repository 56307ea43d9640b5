import Foundation

/// The channels a contact gives or withdraws consent on, separately: texting STOP to the SMS
/// number does not stop WhatsApp, and the other way round.
public enum ConsentChannel: String, Codable, Sendable, CaseIterable {
    case sms, whatsapp
}

/// A one-word message that changes consent or asks for help (wire-protocols.md §5.9): the
/// carriers' and Twilio's English words, and the Portuguese and Spanish ones our customers use.
/// Matched on the whole message only — "quero cancelar a consulta" is a request, not an opt-out —
/// ignoring case, accents and the punctuation around the word.
public enum ConsentKeyword: String, Sendable {
    case optOut = "opt_out"
    case optIn = "opt_in"
    case help

    static let optOutWords: Set<String> = [
        "stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout",
        "parar", "pare", "sair", "cancelar", "descadastrar",
    ]
    static let optInWords: Set<String> = ["start", "unstop", "voltar"]
    static let helpWords: Set<String> = ["help", "ajuda", "ayuda"]
    /// Twilio acts on these too, but only on SMS: on WhatsApp "yes" and "info" are conversation.
    static let smsOptInWords: Set<String> = ["yes"]
    static let smsHelpWords: Set<String> = ["info"]

    /// What surrounds a keyword without making it another message: "STOP!", " ajuda. ".
    private static let around = CharacterSet.whitespacesAndNewlines.union(.punctuationCharacters).union(.symbols)

    /// The keyword `text` is on `channel`, or nil when it is a message like any other.
    public static func classify(_ text: String?, on channel: ConsentChannel) -> ConsentKeyword? {
        guard let text, text.utf8.count <= 64, !hasTwoWords(text) else { return nil }
        let trimmed = text.trimmingCharacters(in: around)
        guard !trimmed.isEmpty, !trimmed.contains(where: \.isWhitespace) else { return nil }
        let word = trimmed.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        if optOutWords.contains(word) { return .optOut }
        if optInWords.contains(word) || (channel == .sms && smsOptInWords.contains(word)) { return .optIn }
        if helpWords.contains(word) || (channel == .sms && smsHelpWords.contains(word)) { return .help }
        return nil
    }

    /// Whether a space stands between two ASCII letters: most messages are sentences, told apart
    /// here before Foundation's (costly) trimming and folding.
    private static func hasTwoWords(_ text: String) -> Bool {
        var letterBefore = false, spaceAfterLetter = false
        for byte in text.utf8 {
            if (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") {
                if spaceAfterLetter { return true }
                letterBefore = true
            } else if byte == UInt8(ascii: " ") {
                spaceAfterLetter = letterBefore
            } else {
                letterBefore = false
                spaceAfterLetter = false
            }
        }
        return false
    }

    /// Twilio's Advanced Opt-Out names the keyword it handled (`OptOutType`: STOP, START, HELP).
    public init?(optOutType: String?) {
        switch optOutType?.uppercased() {
        case "STOP": self = .optOut
        case "START": self = .optIn
        case "HELP": self = .help
        default: return nil
        }
    }
}
