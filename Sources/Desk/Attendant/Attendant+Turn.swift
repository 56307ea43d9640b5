import Assistant
import Foundation
import Logging
import Storage

extension Attendant {
    /// The messages of one turn as they stand in the store.
    struct PendingTurn {
        var view: ConversationView
        var state: AssistantState
        /// The customer's messages since the last turn, oldest first.
        var inbound: [Message]
        /// Whether a person answered after the turn's first message.
        var staffReplied: Bool
    }

    /// How long a turn waits before looking again while the knowledge index is being built.
    static let indexWait: TimeInterval = 2

    /// Runs one `assistant.turn` job: read the turn, decide (outside any transaction: the model may
    /// take seconds), then record and send in one commit — unless the turn was dealt with
    /// meanwhile (a job run twice answers once) or a person stepped in.
    func runTurn(_ job: Job) async throws -> JobOutcome {
        guard let payload = try? job.input(as: TurnPayload.self), let conversationID = DocumentID(string: payload.conversation) else {
            return .fail(reason: "the turn names no conversation")
        }
        // A large knowledge base is still being indexed after a start: answering now would hand
        // off what it knows. Look again shortly (waiting is not an attempt).
        guard retriever.isReady else { return .wait(until: core.now.addingTimeInterval(Self.indexWait)) }
        let settings = try settings()
        guard let turn = try core.store.read({ txn in try Self.pendingTurn(conversationID, in: txn) }),
              let last = turn.inbound.last else { return .done }
        // The customer wrote again since the job was made: wait on (the job is not moved per message).
        let answering = settings.enabled && AssistantTurn.mayAnswer(turn.view.conversation, contact: turn.view.contact)
        let due = AssistantTurn.due(firstAt: job.createdAt, newestAt: last.id.date, answering: answering, settings: settings)
        guard due <= core.now else { return .wait(until: due) }
        let mayAnswer = answering && !turn.staffReplied
        let texts = turn.inbound.compactMap(Self.readableText)
        let reading = Turn(texts: texts, conversationLanguage: turn.state.language.flatMap(Language.init(rawValue:)),
                           lowConfidenceTurns: turn.state.lowConfidenceTurns, now: core.now)
        // Read even when a person owns the conversation (insights and a suggested reply for them);
        // the model rephrases only what may be sent.
        let mayUnderstand = settings.enabled && AssistantTurn.mayUnderstand(turn.view.conversation, contact: turn.view.contact)
        let decision: Decision? = mayAnswer ? await assistant(for: settings).decide(reading, rephraser: rephraser(for: settings))
            : mayUnderstand ? assistant(for: settings).decide(reading) : nil
        let at = core.now
        let replyID = core.newID()
        let sendJob = try core.jobs.make(Outbox.sendJob, payload: ["message": replyID.description], id: "send.\(replyID)")
        let handled = turn.state.handledThrough
        let (bookingID, icsToken) = (core.newID(), Secrets.randomToken(bytes: 18))
        let recorded = try await core.store.write { txn -> Recorded? in
            // Dealt with by another run of this job, or by the follow-up turn: nothing to do.
            guard var now = try Self.pendingTurn(conversationID, in: txn), now.state.handledThrough == handled else { return nil }
            now.inbound = now.inbound.filter { $0.id <= last.id }
            var result = Recorded()
            var state = now.state
            state.handledThrough = last.id
            guard let decision else {
                try Collections.assistantStates.put(state, in: txn)
                return result
            }
            // A person owns the conversation, answered, or took over while the assistant was
            // thinking: it stays quiet, and staff get what it understood.
            guard !now.staffReplied, AssistantTurn.mayAnswer(now.view.conversation, contact: now.view.contact) else {
                try Collections.assistantStates.put(state, in: txn)
                guard AssistantTurn.mayUnderstand(now.view.conversation, contact: now.view.contact),
                      var message = try Collections.messages.get(Key(last.id), in: txn), message.ai == nil else { return result }
                message.ai = MessageAI(forStaff: decision)
                try Collections.messages.put(message, in: txn)
                result.understood = message
                let contact = try ContactIntelligence.reassessed(now.view.contact, at: at, in: txn)
                if contact != now.view.contact { try Collections.contacts.put(contact, in: txn) }
                result.view = ConversationView(now.view.conversation, contact: contact)
                return result
            }
            state.lowConfidenceTurns = decision.kind == .clarify ? state.lowConfidenceTurns + 1 : 0
            state.language = decision.insights.language.rawValue
            try Collections.assistantStates.put(state, in: txn)

            if var message = try Collections.messages.get(Key(last.id), in: txn) {
                message.ai = MessageAI(understanding: decision)
                try Collections.messages.put(message, in: txn)
                result.understood = message
            }
            // Seed 004: with the turn's insights stored, the contact's score and suggested tags.
            let contact = try ContactIntelligence.reassessed(now.view.contact, at: at, in: txn)
            if contact != now.view.contact { try Collections.contacts.put(contact, in: txn) }
            var conversation = now.view.conversation
            // Booking, moving or cancelling by chat: the dialogue answers instead of the knowledge base.
            let booking = try self.appointments.converse(
                .init(texts: texts, choiceID: last.content.choiceID, intent: decision.insights.intent, language: decision.insights.language),
                in: ConversationView(conversation, contact: contact), now: at, newID: bookingID, icsToken: icsToken, in: txn)
            if let booking {
                result.booked = booking.appointment.map { ($0, booking.created) }
                if state.lowConfidenceTurns > 0 {
                    state.lowConfidenceTurns = 0
                    try Collections.assistantStates.put(state, in: txn)
                }
            }
            if decision.kind == .handoff, booking == nil {
                conversation.status = .pendingHuman
                conversation.handoffReason = decision.handoffReason?.rawValue ?? HandoffReason.noAnswer.rawValue
            }
            var view = ConversationView(conversation, contact: contact)
            let draft: OutboundDraft? = booking?.draft ?? (decision.kind == .wait ? nil : decision.reply?.trimmingCharacters(in: .whitespacesAndNewlines))
                .flatMap { $0.isEmpty ? nil : OutboundDraft.text(String($0.prefix(4096))) }
            if let draft {
                do {
                    let (message, after) = try self.outbox.queue(draft, in: view, author: Self.author,
                                                                 replyTo: nil, messageID: replyID, job: sendJob, at: at,
                                                                 requester: .commandLine, ai: MessageAI(reasons: decision), in: txn)
                    (result.reply, view) = (message, after)
                } catch let error as DeskError {
                    // Nothing was written by the refused send (it checks before it writes): the
                    // number is paused or the contact cannot be written to. Staff see the insights.
                    result.refusal = error.message
                    try Collections.conversations.put(conversation, in: txn)
                }
            } else {
                try Collections.conversations.put(conversation, in: txn)
            }
            result.view = view
            return result
        }
        guard let recorded else { return .done }
        if recorded.reply != nil { core.jobs.wake() }
        if let view = recorded.view {
            if let understood = recorded.understood { core.publish(.messageUpdated(understood, in: view.conversation)) }
            if let reply = recorded.reply { core.publish(.messageCreated(view, reply)) }
            if view != turn.view { core.publish(.conversationUpdated(view)) }
        }
        if let (appointment, created) = recorded.booked { _ = try? appointments.publish(appointment, created: created) }
        if let refusal = recorded.refusal {
            core.logger.warning("the assistant's reply was not sent", metadata: ["atende.conversation": "\(conversationID)", "atende.reason": "\(refusal)"])
        }
        return .done
    }

    struct Recorded {
        var view: ConversationView?
        var understood: Message?
        var reply: Message?
        var refusal: String?
        /// The appointment the booking dialogue booked (true) or changed (false).
        var booked: (Appointment, Bool)?
    }

    static let author = MessageAuthor(kind: .assistant, id: nil, name: "Assistant")

    /// The customer's messages since `state.handledThrough` (the newest 50 at most) and whether
    /// staff answered after the first of them.
    static func pendingTurn(_ id: DocumentID, in txn: borrowing some TransactionReading & ~Copyable) throws -> PendingTurn? {
        guard let conversation = try Collections.conversations.get(Key(id), in: txn),
              let contact = try Collections.contacts.get(Key(conversation.contactID), in: txn) else { return nil }
        let state = try Collections.assistantStates.get(Key(id), in: txn)
            ?? AssistantState(conversationID: id, handledThrough: nil, lowConfidenceTurns: 0, language: nil)
        let newest = try Collections.messages.page(index: "conversation", equals: Key(id), after: nil, limit: 50, reverse: true, in: txn).items
        let since = newest.filter { message in state.handledThrough.map { message.id > $0 } ?? true }.reversed()
        let inbound = since.filter { $0.direction == .inbound && $0.type != "reaction" }
        let staffReplied = inbound.first.map { first in
            since.contains { $0.direction == .outbound && $0.author.kind == .staff && $0.id > first.id }
        } ?? false
        return PendingTurn(view: ConversationView(conversation, contact: contact), state: state, inbound: Array(inbound),
                           staffReplied: staffReplied)
    }

    /// What the assistant reads of a message: its text, a button's or list's title, a file's
    /// caption. A photo without a caption says nothing to answer.
    static func readableText(_ message: Message) -> String? {
        let text: String? = switch message.type {
        case "text", "interactive", "button": message.content.text
        default: message.content.media?.caption
        }
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }
}
