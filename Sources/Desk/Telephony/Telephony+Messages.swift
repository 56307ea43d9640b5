import Channels
import Foundation
import Storage

extension Telephony {
    public static let mediaFetchJob: JobKind = "twilio.media"

    /// Stores one inbound SMS/MMS in ONE write transaction, exactly like a WhatsApp message (the
    /// raw log, dedupe by MessageSid, contact, conversation, message, consent keyword, assistant
    /// turn, file fetch); returns after the commit, so Twilio gets its answer only then.
    public func ingest(_ sms: TwilioInboundMessage, rawBody: [UInt8]) async throws -> IngestSummary {
        let receivedAt = core.now
        let messageID = core.newID()
        let from = String(sms.from.filter(\.isNumber))
        let fetch: Job? = sms.media.isEmpty ? nil
            : try core.jobs.make(Self.mediaFetchJob, payload: ["message": messageID.description], id: "media.\(messageID)")
        let plan = Inbox.Planned(messageID: messageID, contactID: DocumentID(now: receivedAt), conversationID: DocumentID(now: receivedAt),
                                 fetch: fetch)
        let log = try Collections.webhookLog.encoded(WebhookLogEntry(id: core.newID(), receivedAt: receivedAt, source: "twilio.sms",
                                                                     body: String(decoding: rawBody, as: UTF8.self)))
        let outcome = try await core.store.write { txn -> Inbox.IngestOutcome in
            var outcome = Inbox.IngestOutcome()
            try Collections.webhookLog.insert(log, in: txn)
            guard let channel = try Collections.channels.get(unique: "phone", Key(sms.to), in: txn), channel.kind == .sms else {
                outcome.summary.unknownNumbers += 1
                return outcome
            }
            guard Inbox.isUsableID(sms.messageSID), sms.from.hasPrefix("+"), (6...20).contains(from.count) else {
                outcome.summary.malformed += 1
                return outcome
            }
            try self.inbox.storeInbound(providerID: sms.messageSID, from: from, profileName: sms.profileName, sentAt: receivedAt,
                                        channel: channel, plan: plan, receivedAt: receivedAt, keyword: ConsentKeyword(optOutType: sms.optOutType),
                                        outcome: &outcome, in: txn) { conversationID in
                Self.message(sms, id: messageID, conversationID: conversationID, at: receivedAt)
            }
            return outcome
        }
        if outcome.scheduledJobs { core.jobs.wake() }
        if outcome.summary.unknownNumbers > 0 {
            core.logger.warning("SMS for a number not connected here; acknowledged and logged", metadata: ["atende.webhook.log": "\(log.document.id)"])
        }
        for event in outcome.events { core.publish(event) }
        return outcome.summary
    }

    /// An SMS as the inbox keeps it: its text, and its first file (an MMS may carry up to ten; the
    /// others are listed in `raw`, links to Twilio that staff can open there).
    static func message(_ sms: TwilioInboundMessage, id: DocumentID, conversationID: DocumentID, at: Date) -> Message {
        var content = MessageContent(text: sms.body.isEmpty ? nil : sms.body)
        var type = "text"
        if let first = sms.media.first {
            let mime = Inbox.baseType(first.contentType ?? "")
            let kind = mime.hasPrefix("image/") ? "image" : mime.hasPrefix("audio/") ? "audio" : mime.hasPrefix("video/") ? "video" : "document"
            type = kind
            var media = MediaAttachment(kind: kind, providerMediaID: nil, link: first.url, mimeType: first.contentType)
            media.caption = content.text
            content.media = media
            if sms.media.count > 1 { content.raw = sms.media.dropFirst().map(\.url).joined(separator: "\n") }
        }
        return Message(id: id, conversationID: conversationID, direction: .inbound, type: type, content: content,
                       providerID: sms.messageSID, replyToProviderID: nil, quoted: nil, author: MessageAuthor(kind: .contact),
                       delivery: nil, createdAt: at)
    }

    /// A status callback: moves the message's delivery exactly as WhatsApp's statuses do (the
    /// furthest state wins; a failure keeps Twilio's ErrorCode and what it means).
    public func apply(_ status: TwilioMessageStatus, rawBody: [UInt8]) async throws {
        guard let state = status.deliveryStatus else { return }
        let at = core.now
        let reason = status.errorCode.map { code in
            let failure = TwilioError.failure(forCode: code)
            return "\(failure.reason.rawValue): Twilio error \(code)"
        }
        let update = EarlyStatus(status: state, at: at, code: status.errorCode, reason: reason)
        let outcome = try await core.store.write { txn -> Inbox.IngestOutcome in
            var outcome = Inbox.IngestOutcome()
            try self.inbox.apply(update, to: status.messageSID, outcome: &outcome, in: txn)
            return outcome
        }
        for event in outcome.events { core.publish(event) }
    }

    /// Downloads an MMS file with the account's credentials and keeps it like a WhatsApp file.
    func fetchMedia(_ job: Job) async throws -> JobOutcome {
        struct Ref: Codable { let message: String }
        guard let id = DocumentID(string: try job.input(as: Ref.self).message) else { return .fail(reason: "bad payload") }
        let message = try core.store.read { txn in try Collections.messages.get(Key(id), in: txn) }
        guard let media = message?.content.media, media.digest == nil, media.unavailableReason == nil, let link = media.link else { return .done }
        guard let credentials = try credentials() else {
            try await inbox.markUnavailable(id, reason: "Twilio is not connected, so the file cannot be fetched")
            return .done
        }
        switch await client.media(url: link, accountSID: credentials.accountSID, authToken: credentials.authToken,
                                  maxBytes: inbox.configuration.maxMediaBytes) {
        case .success(let file):
            try await inbox.keep(file.bytes, mimeType: media.mimeType ?? file.contentType, for: id)
            return .done
        case .failure(let failure):
            return try await inbox.outcome(of: failure, for: id, job: job, provider: "Twilio")
        }
    }
}
