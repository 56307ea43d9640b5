public import Foundation
public import Storage

/// One change of a contact's consent, kept for ever (who said what, when, on which channel): the
/// answer to "why did this customer stop getting our messages?".
public struct ConsentChange: Codable, Sendable, Equatable {
    public enum Source: String, Codable, Sendable {
        /// The customer texted a keyword.
        case keyword
        /// Staff changed it in the inbox.
        case staff
        /// The provider refused a send because the customer had opted out (Twilio 21610).
        case provider
    }
    public let id: DocumentID
    public let contactID: DocumentID
    /// `ConsentChannel` raw value, or `all` for staff's opt-out of every channel.
    public let channel: String
    public let optedOut: Bool
    public let source: Source
    /// The keyword as the customer wrote it, the staff member's id, or the provider's code.
    public let detail: String?
    public let at: Date
}

/// Consent, enforced where every send passes (`Outbox.queue` and the send job refuse an opted-out
/// contact) and recorded in the ledger (`Collections.consentLedger`) whenever it changes.
enum Consent {
    /// Answers a HELP/AJUDA (scheduled in the transaction that stored the keyword).
    static let helpJob: JobKind = "consent.help"
    static let author = MessageAuthor(kind: .system, id: nil, name: "Help")
    /// Applies `keyword` from `contact` on `channel` in the caller's transaction: updates the
    /// contact and writes the ledger under `id` (the message's own id: one entry per message).
    /// Returns the contact as it is now (unchanged for help).
    static func apply(_ keyword: ConsentKeyword, text: String, from contact: Contact, on channel: ConsentChannel,
                      id: DocumentID, at: Date, in txn: borrowing WriteTransaction) throws -> Contact {
        var updated = contact
        var channels = Set(contact.optedOutChannels ?? [])
        switch keyword {
        case .help: return contact
        case .optOut: channels.insert(channel.rawValue)
        case .optIn:
            channels.remove(channel.rawValue)
            // The customer asking to hear from us again wins over an earlier opt-out of everything.
            updated.optedOut = false
        }
        updated.optedOutChannels = channels.isEmpty ? nil : channels.sorted()
        guard updated != contact else { return contact }
        updated.updatedAt = at
        try record(ConsentChange(id: id, contactID: contact.id, channel: channel.rawValue, optedOut: keyword == .optOut,
                                 source: .keyword, detail: String(text.prefix(64)), at: at), in: txn)
        return updated
    }

    static func record(_ change: ConsentChange, in txn: borrowing WriteTransaction) throws {
        try Collections.consentLedger.insert(change, in: txn)
    }

    /// The ledger of one contact, oldest first.
    static func history(of contactID: DocumentID, in txn: borrowing some TransactionReading & ~Copyable) throws -> [ConsentChange] {
        try Collections.consentLedger.page(index: "contact", equals: Key(contactID), limit: 500, in: txn).items
    }

    /// What HELP/AJUDA is answered with, in the business language.
    static func helpText(business: String, language: String) -> String {
        let name = business.isEmpty ? "" : "\(business): "
        switch language {
        case "es": return "\(name)responde a este mensaje y te atendemos. Para no recibir más mensajes, envía PARAR; para volver, envía START."
        case "en": return "\(name)reply to this message and we will help you. To stop receiving messages, send STOP; to start again, send START."
        default: return "\(name)responda esta mensagem e nós atendemos você. Para não receber mais mensagens, envie PARAR; para voltar, envie VOLTAR."
        }
    }
}
