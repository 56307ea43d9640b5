import Channels
import Foundation
import Storage

/// What one webhook delivery changed, for the caller's log and the live events after the commit.
public struct IngestSummary: Sendable, Equatable {
    /// Messages stored now (not seen before).
    public var stored = 0
    /// Messages already stored (a redelivery).
    public var duplicates = 0
    /// Statuses applied to a message, or kept until their message is known.
    public var statuses = 0
    /// Changes for a number not connected here (logged and acknowledged).
    public var unknownNumbers = 0
    /// Template status events applied.
    public var templateUpdates = 0
    /// Messages or statuses without a usable id or sender (kept only in the raw webhook log).
    public var malformed = 0
}

extension Inbox {
    /// Stores one webhook delivery in ONE write transaction (ARCHITECTURE.md "The one path every
    /// message takes"): the raw log entry; per message, dedupe by the provider's id, upsert the
    /// contact and the conversation, append the message and schedule its media fetch; per status,
    /// apply it (the furthest state wins) or keep it until its message is known. Returns after
    /// the commit — the caller answers 200 only then — and publishes the live events.
    public func ingest(_ webhook: WhatsAppWebhook, rawBody: [UInt8]) async throws -> IngestSummary {
        let receivedAt = core.now
        // Ids, jobs and times are made before the write: the closure may run again.
        let joining = try conversationsJoined(by: webhook)
        var plans: [String: Planned] = [:]
        for change in webhook.changes {
            for message in change.messages where plans[message.id] == nil && Self.isUsable(message) {
                let messageID = core.newID()
                let fetch: Job? = if case .media = message.content {
                    try core.jobs.make(Inbox.mediaFetchJob, payload: ["message": messageID.description], id: "media.\(messageID)")
                } else { nil }
                let early = try joining[Self.sender(message.from, on: change.phoneNumberID)].map { conversationID in
                    try Collections.messages.encoded(MessageMapping.message(message, id: messageID, conversationID: conversationID))
                }
                plans[message.id] = Planned(messageID: messageID, contactID: DocumentID(now: receivedAt),
                                            conversationID: DocumentID(now: receivedAt), fetch: fetch, encoded: early)
            }
        }
        let log = try Collections.webhookLog.encoded(WebhookLogEntry(id: core.newID(), receivedAt: receivedAt, source: "whatsapp",
                                                                     body: String(decoding: rawBody, as: UTF8.self)))
        let plannedMessages = plans
        let outcome = try await core.store.write { txn -> IngestOutcome in
            var outcome = IngestOutcome()
            try Collections.webhookLog.insert(log, in: txn)
            for change in webhook.changes {
                if change.field == "message_template_status_update" {
                    let changed = try Templates.apply(statusUpdate: change, in: txn, at: receivedAt)
                    outcome.summary.templateUpdates += changed.count
                    outcome.events += changed.map { .templateUpdated($0) }
                    continue
                }
                guard change.field == "messages", let phoneNumberID = change.phoneNumberID else { continue }
                guard let channel = try Collections.channels.get(unique: "phone", Key(phoneNumberID), in: txn) else {
                    outcome.summary.unknownNumbers += 1
                    continue
                }
                for message in change.messages {
                    guard let plan = plannedMessages[message.id] else {
                        outcome.summary.malformed += 1
                        continue
                    }
                    try self.store(message, profileName: change.profileNames[message.from], channel: channel,
                                   plan: plan, receivedAt: receivedAt, outcome: &outcome, in: txn)
                }
                for status in change.statuses {
                    try self.apply(status, outcome: &outcome, in: txn)
                }
            }
            return outcome
        }
        if outcome.scheduledJobs { core.jobs.wake() }
        if outcome.summary.malformed > 0 {
            core.logger.warning("webhook items without a usable id or sender; acknowledged, kept only in the raw log",
                                metadata: ["atende.webhook.log": "\(log.document.id)", "atende.count": "\(outcome.summary.malformed)"])
        }
        if outcome.summary.unknownNumbers > 0 {
            core.logger.warning("webhook for a number not connected here; acknowledged and logged",
                                metadata: ["atende.webhook.log": "\(log.document.id)"])
        }
        for event in outcome.events { core.publish(event) }
        return outcome.summary
    }

    struct Planned: Sendable {
        let messageID: DocumentID
        let contactID: DocumentID
        let conversationID: DocumentID
        let fetch: Job?
        /// The message encoded before the write, for the conversation it was expected to join;
        /// used when it is exactly the message stored (the store's one writer only copies it).
        var encoded: DocumentCollection<Message>.Encoded? = nil
    }

    private static func sender(_ from: String, on phoneNumberID: String?) -> String { "\(phoneNumberID ?? "")/\(from)" }

    /// The conversation each sender of `webhook` already has on the number written to, read
    /// before the write (a guess the write checks: a conversation may be made meanwhile).
    private func conversationsJoined(by webhook: WhatsAppWebhook) throws -> [String: DocumentID] {
        try core.store.read { txn in
            var joined: [String: DocumentID] = [:]
            for change in webhook.changes where change.field == "messages" && !change.messages.isEmpty {
                guard let number = change.phoneNumberID, Self.isUsableID(number),
                      let channel = try Collections.channels.primaryKey(unique: "phone", Key(number), in: txn).flatMap(DocumentID.init)
                else { continue }
                for message in change.messages where Self.isUsable(message) && joined[Self.sender(message.from, on: number)] == nil {
                    guard let contact = try Collections.contacts.primaryKey(unique: "wa", Key(message.from), in: txn).flatMap(DocumentID.init),
                          let conversation = try Collections.conversations.primaryKey(
                            unique: "pair", Conversation.pairKey(contact, channel), in: txn).flatMap(DocumentID.init)
                    else { continue }
                    joined[Self.sender(message.from, on: number)] = conversation
                }
            }
            return joined
        }
    }

    struct IngestOutcome {
        var summary = IngestSummary()
        var events: [LiveEvents] = []
        var scheduledJobs = false
    }

    private func store(_ inbound: WhatsAppInboundMessage, profileName: String?, channel: BusinessNumber, plan: Planned,
                       receivedAt: Date, outcome: inout IngestOutcome, in txn: borrowing WriteTransaction) throws {
        try storeInbound(providerID: inbound.id, from: inbound.from, profileName: profileName, sentAt: inbound.timestamp,
                         channel: channel, plan: plan, receivedAt: receivedAt, outcome: &outcome, in: txn) { conversationID in
            MessageMapping.message(inbound, id: plan.messageID, conversationID: conversationID)
        }
    }

    /// Stores one inbound message, whichever channel brought it, in the caller's transaction:
    /// dedupe by the provider's id, upsert the contact (one per phone number: `from` is its
    /// digits) and the conversation (contact × number), append the message, act on a consent
    /// keyword, and schedule the assistant's turn and the file's fetch.
    func storeInbound(providerID: String, from: String, profileName: String?, sentAt: Date, channel: BusinessNumber,
                      plan: Planned, receivedAt: Date, keyword forced: ConsentKeyword? = nil, outcome: inout IngestOutcome,
                      in txn: borrowing WriteTransaction, message make: (DocumentID) -> Message) throws {
        if try Collections.messages.get(unique: "provider", Key(providerID), in: txn) != nil {
            outcome.summary.duplicates += 1
            return
        }
        // The contact: one per number; the profile name follows what the provider says now.
        let known = try Collections.contacts.get(unique: "wa", Key(from), in: txn)
        var contact = known
            ?? Contact(id: plan.contactID, waID: from, phone: "+" + from, profileName: nil, name: nil,
                       tags: [], notes: "", blocked: false, optedOut: false, createdAt: receivedAt, updatedAt: receivedAt)
        if let profileName, !profileName.isEmpty, contact.profileName != String(profileName.prefix(200)) {
            contact.profileName = String(profileName.prefix(200))
            contact.updatedAt = receivedAt
        }
        let stored = try Collections.conversations.get(unique: "pair", Conversation.pairKey(contact.id, channel.id), in: txn)
        var conversation = stored
            ?? Conversation(id: plan.conversationID, contactID: contact.id, channelID: channel.id,
                            status: contact.blocked ? .blocked : .open, assigneeID: nil, aiEnabled: configuration.aiEnabledByDefault,
                            unread: 0, lastMessageAt: nil, lastInboundAt: nil, preview: "", createdAt: receivedAt,
                            channelKind: channel.kind == .whatsapp ? nil : channel.kind)
        var message = make(conversation.id)
        // STOP, PARAR, START, AJUDA…: consent changes (and is written down) before anything answers.
        let keyword = forced ?? (message.type == "text" ? ConsentKeyword.classify(message.content.text, on: channel.kind.consent) : nil)
        if let keyword {
            contact = try Consent.apply(keyword, text: message.content.text ?? "", from: contact, on: channel.kind.consent,
                                        id: plan.messageID, at: receivedAt, in: txn)
        }
        // Written only when new or changed: every page a commit touches is a page written to disk.
        if contact != known { try Collections.contacts.put(contact, replacing: known, in: txn) }
        // A reply quotes a message; a reaction is about one: either is kept with its preview.
        if let quotedID = message.replyToProviderID ?? message.content.reactionTo, Self.isUsableID(quotedID),
           let quoted = try Collections.messages.get(unique: "provider", Key(quotedID), in: txn) {
            message.quoted = QuotedMessage(quoted)
        }
        if let early = plan.encoded, early.document == message {
            try Collections.messages.insert(early, in: txn)
        } else {
            try Collections.messages.insert(message, in: txn)
        }

        // A reaction changes nothing about who waits; every other message counts as unread and
        // opens the 24-hour window from the customer's own timestamp.
        if message.type != "reaction" {
            conversation.unread += 1
            conversation.lastMessageAt = max(conversation.lastMessageAt ?? .distantPast, receivedAt)
            conversation.preview = Self.preview(message)
            if conversation.status == .archived { conversation.status = .open }
        }
        conversation.lastInboundAt = max(conversation.lastInboundAt ?? .distantPast, min(sentAt, receivedAt))
        try Collections.conversations.put(conversation, replacing: stored, in: txn)
        if let keyword {
            // A keyword is answered by the help text (HELP), or by nothing: not by the assistant.
            if keyword == .help, !contact.isOptedOut(of: channel.kind.consent) {
                try core.jobs.schedule(try core.jobs.make(Consent.helpJob, payload: ["conversation": conversation.id.description],
                                                          id: "help.\(plan.messageID)"), in: txn)
                outcome.scheduledJobs = true
            }
        } else if try AssistantTurn.schedule(after: message, in: conversation, contact: contact, receivedAt: receivedAt, in: txn) {
            // Human first: the assistant's turn waits until the customer stops writing (AssistantTurn).
            outcome.scheduledJobs = true
        }
        if let fetch = plan.fetch {
            try core.jobs.schedule(fetch, in: txn)
            outcome.scheduledJobs = true
        }
        outcome.summary.stored += 1
        outcome.events.append(.messageCreated(ConversationView(conversation, contact: contact), message))
    }

    /// Applies a status to the message it is about, or keeps it for when that message's provider
    /// id is recorded (a send whose answer is not stored yet).
    private func apply(_ status: WhatsAppStatusUpdate, outcome: inout IngestOutcome, in txn: borrowing WriteTransaction) throws {
        let error = status.errors.first
        let update = EarlyStatus(status: status.status, at: status.timestamp, code: error?.code,
                                 reason: error.map { $0.details ?? $0.message ?? $0.title ?? "error \($0.code)" })
        try apply(update, to: status.messageID, outcome: &outcome, in: txn)
    }

    /// Applies one provider's status (WhatsApp's or Twilio's, in our state names) to its message.
    func apply(_ update: EarlyStatus, to providerID: String, outcome: inout IngestOutcome, in txn: borrowing WriteTransaction) throws {
        guard Self.isUsableID(providerID) else {
            outcome.summary.malformed += 1
            return
        }
        outcome.summary.statuses += 1
        guard var message = try Collections.messages.get(unique: "provider", Key(providerID), in: txn) else {
            var early = try Collections.earlyStatuses.get(Key(providerID), in: txn)
                ?? EarlyStatuses(providerID: providerID, updates: [])
            if early.updates.count < 16, !early.updates.contains(update) { early.updates.append(update) }
            try Collections.earlyStatuses.put(early, in: txn)
            return
        }
        guard var delivery = message.delivery else { return }
        if delivery.apply(update.status, at: update.at, code: update.code, reason: update.reason) || delivery != message.delivery {
            message.delivery = delivery
            try Collections.messages.put(message, in: txn)
            if let conversation = try Collections.conversations.get(Key(message.conversationID), in: txn) {
                outcome.events.append(.messageUpdated(message, in: conversation))
            }
        }
    }

    /// Whether a message can be stored: an id to dedupe it by and a sender to file it under. Ids
    /// are index keys, so their length is bounded (a wamid is about 60 bytes; LMDB keys ≤ 511).
    static func isUsable(_ message: WhatsAppInboundMessage) -> Bool {
        isUsableID(message.id) && isUsableID(message.from) && message.from.utf8.count <= 64
    }

    static func isUsableID(_ id: String) -> Bool {
        (1...256).contains(id.utf8.count) && !id.unicodeScalars.contains { $0.value < 0x21 || $0.value == 0x7F }
    }

    /// The list's one-line preview of a message.
    static func preview(_ message: Message) -> String {
        let text = message.content.text ?? "[\(message.type)]"
        let line = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return line.count > 120 ? String(line.prefix(119)) + "…" : line
    }
}
