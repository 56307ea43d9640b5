public import Foundation
import Channels
import Logging
public import Storage
import Synchronization

/// Limits of sending.
public struct OutboxConfiguration: Sendable {
    /// Messages a second per business number (WhatsApp's default throughput is 80; §2.7).
    public var ratePerNumber: Double = 80
    /// The pair rate: on average one message per this many seconds to one person, after a burst.
    public var recipientGap: TimeInterval = 6
    public var recipientBurst: Double = 10
    /// How long a file staff uploaded stays sendable. After it, the sweep forgets the upload and
    /// deletes its file unless a message (or a newer upload of the same bytes) uses it: a file
    /// uploaded and never sent would otherwise stay in the store, and in every backup, for ever.
    public var uploadRetention: TimeInterval = 24 * 3600
    public init() {}
}

/// The one dispatcher (ARCHITECTURE.md "The one path every message takes"): every send writes
/// the message and its job in one transaction; the job calls the provider, records the provider's
/// id, and maps every failure through the one table (`SendFailure`). A kill -9 between the
/// provider's answer and its record sends once more — never zero times.
public final class Outbox: Sendable {
    public static let sendJob: JobKind = "outbox.send"
    public static let readReceiptJob: JobKind = "outbox.read"

    let core: DeskCore
    let inbox: Inbox
    let channels: ChannelSettings
    let graph: WhatsAppClient
    let telephony: Telephony
    let configuration: OutboxConfiguration
    /// Send slots per business number (its throughput) and per person (the pair rate).
    private let numberSlots: Mutex<SendSlotTable>
    private let personSlots: Mutex<SendSlotTable>

    init(core: DeskCore, inbox: Inbox, channels: ChannelSettings, graph: WhatsAppClient, telephony: Telephony,
         configuration: OutboxConfiguration) {
        (self.core, self.inbox, self.channels, self.graph, self.configuration) = (core, inbox, channels, graph, configuration)
        self.telephony = telephony
        numberSlots = Mutex(SendSlotTable(interval: 1 / configuration.ratePerNumber, burst: max(1, Int(configuration.ratePerNumber))))
        personSlots = Mutex(SendSlotTable(interval: configuration.recipientGap, burst: max(1, Int(configuration.recipientBurst))))
    }

    func registerJobs() {
        core.jobs.register(Self.sendJob) { [unowned self] job in try await self.dispatch(job) }
        core.jobs.register(Self.readReceiptJob) { [unowned self] job in try await self.sendReadReceipt(job) }
        core.jobs.register(Consent.helpJob) { [unowned self] job in try await self.sendHelp(job) }
        core.jobs.register(Telephony.textBackJob) { [unowned self] job in try await self.sendTextBack(job) }
    }

    // MARK: Sending

    /// Queues `draft` in the conversation: the message (queued) and its send job in one commit.
    /// - Throws: `customer_window_closed` for a free-form message more than 24 h after the
    ///   customer's last message (naming the approved templates), `contact_unavailable` for a
    ///   blocked or opted-out contact, `channel_paused` while the number's token is refused.
    public func send(_ draft: OutboundDraft, in conversationID: DocumentID, replyTo: DocumentID? = nil,
                     by requester: Requester) async throws -> Message {
        switch draft {
        case .text(let text):
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...4096).contains(trimmed.count) else { throw DeskError.invalid("text", "A message is 1 to 4096 characters.") }
        case .media(let media): try media.validate()
        case .interactive(let interactive): try interactive.validate()
        case .template: break
        }
        let at = core.now
        let messageID = core.newID()
        let job = try core.jobs.make(Self.sendJob, payload: ["message": messageID.description], id: "send.\(messageID)")
        let author = MessageAuthor(kind: .staff, id: requester.personID?.description, name: requester.actor?.name)
        let (message, view) = try await core.store.write { txn -> (Message, ConversationView) in
            let view = try self.inbox.visible(conversationID, for: requester, in: txn)
            return try self.queue(draft, in: view, author: author, replyTo: replyTo, messageID: messageID, job: job, at: at,
                                  requester: requester, in: txn)
        }
        core.jobs.wake()
        core.publish(.messageCreated(view, message))
        return message
    }

    /// Writes `draft` into `view`'s conversation as a queued message with its send `job`, in the
    /// caller's transaction: the one place every send — staff's and the assistant's — is checked
    /// against the number, the contact and the customer-service window. Call `jobs.wake()` and
    /// publish after the commit.
    func queue(_ draft: OutboundDraft, in view: ConversationView, author: MessageAuthor, replyTo: DocumentID?,
               messageID: DocumentID, job: Job, at: Date, requester: Requester, ai: MessageAI? = nil,
               in txn: borrowing WriteTransaction) throws -> (Message, ConversationView) {
        let conversationID = view.conversation.id
        guard let channel = try Collections.channels.get(Key(view.conversation.channelID), in: txn) else {
            throw DeskError(.channelPaused, "This conversation's number is no longer connected.")
        }
        guard channel.status == .active else {
            throw DeskError(.channelPaused, "Sending on \(channel.name) is paused: \(channel.pausedReason.map { "\($0.summary) \($0.action)" } ?? "an admin must check the channel.")")
        }
        guard !view.contact.blocked, !view.contact.isOptedOut(of: channel.kind.consent) else {
            throw DeskError(.contactUnavailable, view.contact.blocked ? "This contact is blocked."
                            : "This contact opted out of messages on \(channel.kind == .sms ? "SMS" : "WhatsApp"); they can opt in again by sending START or VOLTAR.")
        }
        if channel.kind == .sms {
            switch draft {
            case .template: throw DeskError.invalid("template", "Templates are WhatsApp's; on SMS send text.")
            case .media: throw DeskError.invalid("media", "Files are not sent by SMS; send text, or write on WhatsApp.")
            case .text, .interactive: break
            }
        } else if draft.isFreeForm, !CustomerWindow.isOpen(lastInboundAt: view.conversation.lastInboundAt, now: at) {
            let names = try Templates.approvedNames(channel: channel.id, in: txn)
            throw DeskError(.customerWindowClosed,
                            "The customer last wrote over 24 hours ago: WhatsApp only delivers an approved template now.",
                            options: names)
        }
        let content: MessageContent
        let type: String
        switch draft {
        case .text(let text):
            (content, type) = (MessageContent(text: text), "text")
        case .template(let use):
            let template = try Templates.approved(use, channel: channel.id, in: txn)
            (content, type) = (MessageContent(text: template.render(use.parameters), template: use), "template")
        case .media(let media):
            (content, type) = try self.content(of: media, by: requester, in: txn)
        case .interactive(let interactive):
            var shown = MessageContent(text: interactive.summary)
            shown.interactive = interactive
            (content, type) = (shown, "interactive")
        }
        var quoted: Message?
        if let replyTo {
            guard let found = try Collections.messages.get(Key(replyTo), in: txn), found.conversationID == conversationID,
                  found.providerID != nil else {
                throw DeskError.invalid("reply_to", "The message replied to is not in this conversation or was never delivered.")
            }
            quoted = found
        }
        let message = Message(id: messageID, conversationID: conversationID, direction: .outbound, type: type, content: content,
                              providerID: nil, replyToProviderID: quoted?.providerID, quoted: quoted.map(QuotedMessage.init), author: author,
                              delivery: Delivery(queuedAt: at), createdAt: at, ai: ai)
        try Collections.messages.insert(message, in: txn)
        var conversation = view.conversation
        conversation.lastMessageAt = max(conversation.lastMessageAt ?? .distantPast, at)
        conversation.preview = Inbox.preview(message)
        try Collections.conversations.put(conversation, in: txn)
        try core.jobs.schedule(job, in: txn)
        return (message, ConversationView(conversation, contact: view.contact))
    }

    /// Sends a failed outbound message again (staff pressed Retry).
    public func retry(_ messageID: DocumentID, by requester: Requester) async throws -> Message {
        let at = core.now
        let job = try core.jobs.make(Self.sendJob, payload: ["message": messageID.description], id: "send.\(messageID)")
        let (message, conversation) = try await core.store.write { txn -> (Message, Conversation) in
            guard var message = try Collections.messages.get(Key(messageID), in: txn) else { throw DeskError(.notFound, "No message has this id.") }
            let view = try self.inbox.visible(message.conversationID, for: requester, in: txn)
            guard message.direction == .outbound, message.delivery?.state == .failed, message.providerID == nil else {
                throw DeskError(.notRetriable, "Only an outbound message that failed before the provider took it can be sent again.")
            }
            message.delivery = Delivery(queuedAt: at)
            // A file we keep is uploaded again: WhatsApp's id of an upload lasts 30 days, and a
            // failed send may have been the upload's fault.
            if message.content.media?.digest != nil, message.content.media?.link == nil { message.content.media?.providerMediaID = nil }
            try Collections.messages.put(message, in: txn)
            try self.core.jobs.schedule(job, in: txn)
            return (message, view.conversation)
        }
        core.jobs.wake()
        core.publish(.messageUpdated(message, in: conversation))
        return message
    }

    // MARK: The send job

    struct MessageRef: Codable { let message: String }

    /// One attempt at sending a queued message. Idempotent: a message that already has its
    /// provider id, or is no longer queued, is done.
    func dispatch(_ job: Job) async throws -> JobOutcome {
        guard let id = DocumentID(string: try job.input(as: MessageRef.self).message) else { return .fail(reason: "bad payload") }
        let loaded = try core.store.read { txn -> (Message, Conversation, Contact, BusinessNumber?)? in
            guard let message = try Collections.messages.get(Key(id), in: txn),
                  let conversation = try Collections.conversations.get(Key(message.conversationID), in: txn),
                  let contact = try Collections.contacts.get(Key(conversation.contactID), in: txn) else { return nil }
            return (message, conversation, contact, try Collections.channels.get(Key(conversation.channelID), in: txn))
        }
        guard let (stored, conversation, contact, channel) = loaded else { return .done }
        var message = stored
        guard message.providerID == nil, message.delivery?.state == .queued else { return .done }
        guard let channel, channel.status == .active else {
            try await fail(message, code: nil, reason: "channel_paused: the number is paused or disconnected")
            return .done
        }
        // Consent is checked again when the message leaves: the customer may have sent STOP since.
        guard !contact.blocked, !contact.isOptedOut(of: channel.kind.consent) else {
            try await fail(message, code: nil, reason: "opted_out: the contact opted out or is blocked; nothing was sent")
            return .done
        }
        if channel.kind == .sms { return try await dispatchSMS(message, to: contact, on: channel, conversation: conversation, job: job) }
        guard let token = try channels.secret(.accessToken, of: channel.id) else {
            try await fail(message, code: nil, reason: "channel_not_authorised: no access token is set")
            return .done
        }
        // A file of ours goes to WhatsApp first; its id is recorded before the send.
        switch try await uploadIfNeeded(message, phoneNumberID: channel.phoneNumberID, token: token) {
        case nil: break
        case .success(let updated)?: message = updated
        case .failure(let failure)?: return try await handle(failure, of: message, channel: channel, job: job)
        }
        // Throughput: the number's slot, then the person's. Waiting is not an attempt.
        if let wait = paced(job, number: channel.id, person: contact.waID) { return wait }

        let outbound = WhatsAppOutbound(to: contact.phone, content: Self.wire(message), replyTo: message.replyToProviderID)
        switch await graph.send(outbound, from: channel.phoneNumberID, token: token) {
        case .success(let wamid):
            try await recordSent(message, providerID: wamid, conversation: conversation)
            return .done
        case .failure(let failure):
            return try await handle(failure, of: message, channel: channel, job: job)
        }
    }

    /// Nil when `job` may send now (on `number`, when given, and to `person`); otherwise the wait
    /// until the slot kept for it, which it comes back for.
    func paced(_ job: Job, number: DocumentID?, person: String) -> JobOutcome? {
        let now = core.now
        if let number {
            let at = numberSlots.withLock { $0.slot(on: number.description, for: job.id, now: now) }
            if at > now { return .wait(until: at) }
        }
        let at = personSlots.withLock { $0.slot(on: person, for: job.id, now: now) }
        return at > now ? .wait(until: at) : nil
    }

    /// What a refused upload or send does, by the one table: retry (up to the limit), fail, or
    /// fail and pause the number.
    func handle(_ failure: SendFailure, of message: Message, channel: BusinessNumber, job: Job) async throws -> JobOutcome {
        if failure.reason == .optedOut { try await recordProviderOptOut(message, channel: channel, code: failure.providerCode) }
        switch failure.action {
        case .retry:
            if job.attempts >= core.jobs.policy.maxAttempts {
                try await fail(message, code: failure.providerCode, reason: "\(failure.reason): \(failure.message)")
                return .done
            }
            return .retry(reason: failure.description, after: failure.retryAfter)
        case .fail:
            try await fail(message, code: failure.providerCode, reason: "\(failure.reason): \(failure.message)")
            return .done
        case .pauseChannel:
            try await fail(message, code: failure.providerCode, reason: "\(failure.reason): \(failure.message)")
            try await channels.pause(channel.id, reason: PauseReason(failure))
            return .done
        }
    }

    static func wire(_ message: Message) -> WhatsAppOutbound.Content {
        if let template = message.content.template {
            let parameters = template.parameters.map { WhatsAppOutbound.TemplateParameter.text($0) }
            return .template(name: template.name, language: template.language,
                             components: parameters.isEmpty ? [] : [.init(type: "body", parameters: parameters)])
        }
        if let media = message.content.media {
            // Exactly one of id or link (§2.2): our upload's id, else the link staff gave.
            let source: WhatsAppOutbound.MediaSource = media.providerMediaID.map { .id($0) } ?? .link(media.link ?? "")
            return .media(kind: media.kind, source: source, caption: media.caption, filename: media.filename)
        }
        if let interactive = message.content.interactive {
            let choice = { (c: InteractiveContent.Choice) in WhatsAppOutbound.Choice(id: c.id, title: c.title, description: c.description) }
            switch interactive.kind {
            case .button:
                return .buttons(body: interactive.body, header: interactive.header, footer: interactive.footer, buttons: interactive.buttons.map(choice))
            case .list:
                return .list(body: interactive.body, button: interactive.button ?? "", header: interactive.header, footer: interactive.footer,
                             sections: interactive.sections.map { .init(title: $0.title, rows: $0.rows.map(choice)) })
            }
        }
        return .text(message.content.text ?? "", previewURL: false)
    }

    /// The provider took it: its id is recorded, with any statuses that came before.
    func recordSent(_ message: Message, providerID: String, conversation: Conversation) async throws {
        let at = core.now
        let updated = try await core.store.write { txn -> Message? in
            guard var current = try Collections.messages.get(Key(message.id), in: txn), current.providerID == nil else { return nil }
            var delivery = current.delivery ?? Delivery(queuedAt: at)
            delivery.apply("sent", at: at)
            // An id the store cannot index, or one another message already has, is not recorded:
            // failing here would retry the job and send the message again.
            guard Inbox.isUsableID(providerID), try Collections.messages.get(unique: "provider", Key(providerID), in: txn) == nil else {
                self.core.logger.error("the provider answered with an unusable or duplicate message id; sent, but its statuses cannot be matched",
                                       metadata: ["atende.message.id": "\(message.id)"])
                current.delivery = delivery
                try Collections.messages.put(current, in: txn)
                return current
            }
            current.providerID = providerID
            if let early = try Collections.earlyStatuses.get(Key(providerID), in: txn) {
                for update in early.updates { delivery.apply(update.status, at: update.at, code: update.code, reason: update.reason) }
                try Collections.earlyStatuses.delete(Key(providerID), in: txn)
            }
            current.delivery = delivery
            try Collections.messages.put(current, in: txn)
            return current
        }
        if let updated { core.publish(.messageUpdated(updated, in: conversation)) }
    }

    func fail(_ message: Message, code: Int?, reason: String) async throws {
        let at = core.now
        let result = try await core.store.write { txn -> (Message, Conversation)? in
            guard var current = try Collections.messages.get(Key(message.id), in: txn), current.providerID == nil,
                  let conversation = try Collections.conversations.get(Key(current.conversationID), in: txn) else { return nil }
            var delivery = current.delivery ?? Delivery(queuedAt: at)
            delivery.apply("failed", at: at, code: code, reason: String(reason.prefix(500)))
            current.delivery = delivery
            try Collections.messages.put(current, in: txn)
            return (current, conversation)
        }
        if let (failed, conversation) = result { core.publish(.messageUpdated(failed, in: conversation)) }
    }

    // MARK: Read receipts

    struct ConversationRef: Codable { let conversation: String }

    /// Tells WhatsApp the customer's latest message was read (staff opened the conversation).
    func sendReadReceipt(_ job: Job) async throws -> JobOutcome {
        guard let id = DocumentID(string: try job.input(as: ConversationRef.self).conversation) else { return .fail(reason: "bad payload") }
        let target = try core.store.read { txn -> (String, BusinessNumber)? in
            guard let conversation = try Collections.conversations.get(Key(id), in: txn),
                  let channel = try Collections.channels.get(Key(conversation.channelID), in: txn), channel.status == .active else { return nil }
            let page = try Collections.messages.page(index: "conversation", equals: Key(id), limit: 50, reverse: true, in: txn)
            guard let last = page.items.first(where: { $0.direction == .inbound && $0.providerID != nil }), let wamid = last.providerID else { return nil }
            return (wamid, channel)
        }
        guard let (wamid, channel) = target, let token = try channels.secret(.accessToken, of: channel.id) else { return .done }
        switch await graph.markRead(wamid, on: channel.phoneNumberID, token: token) {
        case .success: return .done
        case .failure(let failure) where failure.action == .retry && job.attempts < 3:
            return .retry(reason: failure.description, after: failure.retryAfter)
        case .failure(let failure):
            if failure.action == .pauseChannel { try await channels.pause(channel.id, reason: PauseReason(failure)) }
            return .done      // a read receipt is a courtesy: not worth a failed job
        }
    }
}
