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

/// The input of an `assistant.turn` job. When the turn's first message arrived (the burst cap
/// counts from it) is the job's `createdAt`.
struct TurnPayload: Codable, Sendable {
    let conversation: String
}

/// Human first and bursts (issue: "Deciding"): the turn runs `humanFirstSeconds` after the
/// customer's newest message, but never later than `burstCapSeconds` after the turn's first
/// one; messages that arrive while it waits are read together when it runs. The turn job is
/// written once per turn, by its first message (in the ingest's write transaction, so the
/// message and its turn are one commit), and due at that message's wait; when it runs while the
/// customer is still writing it waits on (`Attendant.runTurn`). A message of a burst so writes
/// no job: every page a commit touches is a page written to disk.
enum AssistantTurn {
    static func jobID(_ conversation: DocumentID) -> String { "assistant.\(conversation)" }
    /// A message that arrives while the turn job is running gets a second job, so the running
    /// one's completion (which removes its own record) cannot remove the new turn.
    static func followUpID(_ conversation: DocumentID) -> String { "assistant.\(conversation).next" }

    /// Whether the assistant reads the conversation's messages at all: not a blocked or archived
    /// one, nor an opted-out contact's.
    static func mayUnderstand(_ conversation: Conversation, contact: Contact) -> Bool {
        (conversation.status == .open || conversation.status == .pendingHuman) && !contact.blocked && !contact.optedOut
    }

    /// Whether the assistant may speak in this conversation at all: on for it, nobody owns it,
    /// it is open, and the contact can be written to.
    static func mayAnswer(_ conversation: Conversation, contact: Contact) -> Bool {
        conversation.aiEnabled && conversation.assigneeID == nil && conversation.status == .open
            && !contact.blocked && !contact.optedOut
    }

    /// When a turn whose first message came at `firstAt` and newest at `newestAt` is due: at once
    /// when the assistant only reads it (a person owns the conversation), else after the human-first
    /// wait from the newest message, capped from the first.
    static func due(firstAt: Date, newestAt: Date, answering: Bool, settings: AssistantSettings) -> Date {
        guard answering else { return newestAt }
        return min(newestAt.addingTimeInterval(Double(settings.humanFirstSeconds)),
                   max(newestAt, firstAt.addingTimeInterval(Double(settings.burstCapSeconds))))
    }

    /// Schedules the conversation's turn after `message` unless one already waits that comes due
    /// no later; false when the assistant has nothing to do with the message.
    static func schedule(after message: Message, in conversation: Conversation, contact: Contact, receivedAt: Date,
                         in txn: borrowing WriteTransaction) throws -> Bool {
        guard message.direction == .inbound, message.type != "reaction", message.type != "call",
              mayUnderstand(conversation, contact: contact) else { return false }
        let settings = try AssistantSettingsKey.settings(in: txn)
        guard settings.enabled else { return false }
        var id = jobID(conversation.id)
        // The job stored under the id written below, read once (the put needs it for the indexes).
        var replaced = try Collections.jobs.get(Key(id), in: txn)
        if replaced?.state == .running {
            id = followUpID(conversation.id)
            replaced = try Collections.jobs.get(Key(id), in: txn)
        }
        // A waiting turn job was made by the turn's first message.
        let waiting = replaced.flatMap { $0.state == .pending ? $0 : nil }
        let firstAt = waiting?.createdAt ?? receivedAt
        // A person owns the conversation: the message is only read (insights for staff), at once.
        let due = due(firstAt: firstAt, newestAt: receivedAt, answering: mayAnswer(conversation, contact: contact), settings: settings)
        if let waiting, waiting.nextAt <= due { return true }
        let job = try Jobs.pending(Attendant.turnJob, payload: TurnPayload(conversation: conversation.id.description), id: id,
                                   createdAt: firstAt, due: due)
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
