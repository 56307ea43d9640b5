import Foundation
import Storage

/// Where the assistant stands in one conversation, kept beside it: the last customer message it
/// has dealt with (so a job that runs twice answers once) and how many turns in a row it could
/// only ask back.
struct AssistantState: Codable, Sendable, Equatable {
    let conversationID: DocumentID
    /// The newest inbound message a turn has covered (answered, handed off, or skipped).
    var handledThrough: DocumentID?
    var lowConfidenceTurns: Int
    /// The language the customer writes in, once known.
    var language: String?
}

/// The input of an `assistant.turn` job.
struct TurnPayload: Codable, Sendable {
    let conversation: String
    /// When the first message of the turn arrived (ms since 1970): the burst cap counts from it.
    let firstAt: Int64
    enum CodingKeys: String, CodingKey { case conversation, firstAt = "first_at" }
}

/// Human first and bursts (issue: "Deciding"): each customer message (re)schedules the
/// conversation's one turn job at `now + humanFirstSeconds`, but never later than
/// `burstCapSeconds` after the turn's first message. Messages that arrive while it waits are
/// read together when it runs. Called inside the ingest's write transaction, so the message
/// and its turn are one commit.
enum AssistantTurn {
    static func jobID(_ conversation: DocumentID) -> String { "assistant.\(conversation)" }
    /// A message that arrives while the turn job is running gets a second job, so the running
    /// one's completion (which removes its own record) cannot remove the new turn.
    static func followUpID(_ conversation: DocumentID) -> String { "assistant.\(conversation).next" }

    /// Whether the assistant may speak in this conversation at all: on for it, nobody owns it,
    /// it is open, and the contact can be written to.
    /// Whether the assistant reads the conversation's messages at all: not a blocked or archived
    /// one, nor an opted-out contact's.
    static func mayUnderstand(_ conversation: Conversation, contact: Contact) -> Bool {
        (conversation.status == .open || conversation.status == .pendingHuman) && !contact.blocked && !contact.optedOut
    }

    static func mayAnswer(_ conversation: Conversation, contact: Contact) -> Bool {
        conversation.aiEnabled && conversation.assigneeID == nil && conversation.status == .open
            && !contact.blocked && !contact.optedOut
    }

    /// Schedules (or moves) the conversation's turn after `message`; false when the assistant
    /// has nothing to do with it.
    static func schedule(after message: Message, in conversation: Conversation, contact: Contact, receivedAt: Date,
                         in txn: borrowing WriteTransaction) throws -> Bool {
        guard message.direction == .inbound, message.type != "reaction", message.type != "call",
              mayUnderstand(conversation, contact: contact) else { return false }
        let settings = try AssistantSettingsKey.settings(in: txn)
        guard settings.enabled else { return false }
        // A person owns the conversation: the message is only read (insights for staff), at once.
        let answering = mayAnswer(conversation, contact: contact)
        var id = jobID(conversation.id)
        var firstAt = receivedAt
        // The job stored under the id written below, read once (the put needs it for the indexes).
        var replaced = try Collections.jobs.get(Key(id), in: txn)
        if let existing = replaced {
            if existing.state == .running {
                id = followUpID(conversation.id)
                replaced = try Collections.jobs.get(Key(id), in: txn)
                if let next = replaced, let payload = try? next.input(as: TurnPayload.self) {
                    firstAt = Date(timeIntervalSince1970: Double(payload.firstAt) / 1000)
                }
            } else if existing.state == .pending, let payload = try? existing.input(as: TurnPayload.self) {
                firstAt = Date(timeIntervalSince1970: Double(payload.firstAt) / 1000)
            }
        }
        let due = !answering ? receivedAt : min(receivedAt.addingTimeInterval(Double(settings.humanFirstSeconds)),
                                                max(receivedAt, firstAt.addingTimeInterval(Double(settings.burstCapSeconds))))
        let payload = TurnPayload(conversation: conversation.id.description, firstAt: Int64((firstAt.timeIntervalSince1970 * 1000).rounded(.down)))
        let job = try Jobs.pending(Attendant.turnJob, payload: payload, id: id, createdAt: receivedAt, due: due)
        try Collections.jobs.put(job, replacing: replaced, in: txn)
        return true
    }
}

/// The one key of the settings document, and the one way to read it.
enum AssistantSettingsKey {
    static let key = Key("assistant")

    /// The settings as stored, or the defaults when none were saved. Read for every inbound
    /// message: the collection remembers them decoded while the stored bytes are unchanged.
    static func settings(in txn: borrowing some TransactionReading & ~Copyable) throws -> AssistantSettings {
        try Collections.assistantSettings.get(key, in: txn) ?? AssistantSettings()
    }
}
