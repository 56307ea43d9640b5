import Foundation
import Storage

extension ContactIntelligence {
    /// `contact` with its intelligence assessed again from the insights on its messages, in every
    /// conversation it has (the newest `messagesRead` of each). Called inside the turn's write
    /// transaction, after the turn's insights were stored, so both are one commit; and when staff
    /// opt the contact in or out, since no turn runs for an opted-out contact.
    static func reassessed(_ contact: Contact, at: Date, in txn: borrowing some TransactionReading & ~Copyable) throws -> Contact {
        // Suggested tags are the business's words: in its language.
        let language = try AssistantSettingsKey.settings(in: txn).language.rawValue
        var customerMessages = 0
        var insights: [(id: DocumentID, ai: MessageAI)] = []
        let conversations = try Collections.conversations.page(index: "contact", equals: Key(contact.id), limit: 1000, in: txn).items
        for conversation in conversations {
            let newest = try Collections.messages.page(index: "conversation", equals: Key(conversation.id), after: nil,
                                                       limit: messagesRead, reverse: true, in: txn).items
            for message in newest where message.direction == .inbound && message.type != "reaction" {
                customerMessages += 1
                if let ai = message.ai { insights.append((message.id, ai)) }
            }
        }
        var contact = contact
        let assessed = assess(
            customerMessages: customerMessages, insights: insights.sorted { $0.id < $1.id }.map(\.ai), optedOut: contact.optedOut,
            tags: contact.tags, dismissed: contact.intelligence?.dismissedTags ?? [], language: language, at: at)
        // Below the minimum nothing is said; once said, it is only ever refreshed.
        if let assessed { contact.intelligence = assessed }
        return contact
    }
}
