import Channels
import Foundation
import Storage

extension Outbox {
    /// One attempt at sending a queued message by SMS through Twilio, with the status callback
    /// set when `public_url` is known. Refusals map through the same table as WhatsApp's.
    func dispatchSMS(_ message: Message, to contact: Contact, on channel: BusinessNumber, conversation: Conversation,
                     job: Job) async throws -> JobOutcome {
        guard let credentials = try telephony.credentials() else {
            try await fail(message, code: nil, reason: "channel_not_authorised: Twilio is not connected (Account SID and auth token)")
            return .done
        }
        // The person's pair rate, as on WhatsApp; Twilio queues a number's sends itself.
        if let wait = paced(job, number: nil, person: contact.waID) { return wait }
        let result = await telephony.client.sendSMS(from: channel.phoneNumberID, to: contact.phone, body: Self.smsText(message),
                                                    statusCallback: telephony.url(Telephony.paths.status),
                                                    accountSID: credentials.accountSID, authToken: credentials.authToken)
        switch result {
        case .success(let sent):
            try await recordSent(message, providerID: sent.sid, conversation: conversation)
            return .done
        case .failure(let failure):
            return try await handle(failure, of: message, channel: channel, job: job)
        }
    }

    /// The text an SMS carries: the message's text, and offered choices as a numbered list.
    static func smsText(_ message: Message) -> String {
        guard let interactive = message.content.interactive else { return message.content.text ?? "" }
        let choices = interactive.kind == .button ? interactive.buttons : interactive.sections.flatMap(\.rows)
        let lines = choices.enumerated().map { "\($0.offset + 1). \($0.element.title)" }
        return ([interactive.header, interactive.body].compactMap { $0 } + lines + [interactive.footer].compactMap { $0 })
            .joined(separator: "\n")
    }

    /// Twilio said the customer had opted out (21610: they texted STOP to Twilio directly): the
    /// contact is marked so, and the ledger says the provider told us.
    func recordProviderOptOut(_ message: Message, channel: BusinessNumber, code: Int?) async throws {
        let at = core.now
        let id = core.newID()
        let changed = try await core.store.write { txn -> ConversationView? in
            guard let conversation = try Collections.conversations.get(Key(message.conversationID), in: txn),
                  let contact = try Collections.contacts.get(Key(conversation.contactID), in: txn),
                  !contact.isOptedOut(of: channel.kind.consent) else { return nil }
            var updated = contact
            updated.optedOutChannels = ((contact.optedOutChannels ?? []) + [channel.kind.consent.rawValue]).sorted()
            updated.updatedAt = at
            try Collections.contacts.put(updated, in: txn)
            try Consent.record(ConsentChange(id: id, contactID: contact.id, channel: channel.kind.consent.rawValue, optedOut: true,
                                             source: .provider, detail: code.map(String.init), at: at), in: txn)
            return ConversationView(conversation, contact: updated)
        }
        if let changed { core.publish(.conversationUpdated(changed)) }
    }

    static let textBackAuthor = MessageAuthor(kind: .system, id: nil, name: "Missed-call text-back")

    /// Sends the missed-call text-back into the caller's conversation on that number, in the
    /// business language. Idempotent: the call's message says when its text-back was queued.
    func sendTextBack(_ job: Job) async throws -> JobOutcome {
        struct Ref: Codable { let caller: String, channel: String, call: String }
        let ref = try job.input(as: Ref.self)
        guard let channelID = DocumentID(string: ref.channel) else { return .fail(reason: "bad payload") }
        let at = core.now
        let messageID = core.newID()
        let send = try core.jobs.make(Self.sendJob, payload: ["message": messageID.description], id: "send.\(messageID)")
        let setup = try telephony.setup()
        let queued = try await core.store.write { txn -> (Message, ConversationView, Message)? in
            guard var call = try Collections.messages.get(unique: "provider", Key(ref.call), in: txn), call.type == "call",
                  call.content.call?.textBack != "queued",
                  let contact = try Collections.contacts.get(unique: "wa", Key(ref.caller), in: txn),
                  let conversation = try Collections.conversations.get(unique: "pair", Conversation.pairKey(contact.id, channelID), in: txn)
            else { return nil }
            let settings = try AssistantSettingsKey.settings(in: txn)
            var sent: (Message, ConversationView)?
            // The business chose WhatsApp: its template, when the caller already talks to it there.
            if setup.textBackVia == .whatsapp, let template = setup.textBackTemplate,
               let whatsapp = try Self.whatsappConversation(of: contact, in: txn) {
                let known = try Collections.templates.get(unique: "name", MessageTemplate.nameKey(whatsapp.channelID, template.name, template.language), in: txn)
                let use = TemplateUse(name: template.name, language: template.language,
                                      parameters: known?.parameterCount == 1 ? [settings.businessName.isEmpty ? "-" : settings.businessName] : [])
                do {
                    sent = try self.queue(.template(use), in: ConversationView(whatsapp, contact: contact), author: Self.textBackAuthor,
                                          replyTo: nil, messageID: messageID, job: send, at: at, requester: .commandLine, in: txn)
                } catch is DeskError {}     // refused before anything was written
            }
            // Otherwise (or when WhatsApp refused it: the template is not approved, the number paused) by SMS.
            if sent == nil {
                let text = setup.textBack(in: settings.language.rawValue, business: settings.businessName)
                do {
                    sent = try self.queue(.text(text), in: ConversationView(conversation, contact: contact), author: Self.textBackAuthor,
                                          replyTo: nil, messageID: messageID, job: send, at: at, requester: .commandLine, in: txn)
                } catch is DeskError {}
            }
            // Refused by both: opted out, or the number paused since the call.
            call.content.call?.textBack = sent == nil ? "opted_out" : "queued"
            try Collections.messages.put(call, in: txn)
            return sent.map { ($0.0, $0.1, call) }
        }
        if let (message, view, call) = queued {
            core.jobs.wake()
            core.publish(.messageUpdated(call, in: view.conversation))
            core.publish(.messageCreated(view, message))
        }
        return .done
    }

    /// The contact's most recent WhatsApp conversation, if they have one.
    static func whatsappConversation(of contact: Contact, in txn: borrowing some TransactionReading & ~Copyable) throws -> Conversation? {
        try Collections.conversations.page(index: "contact", equals: Key(contact.id), limit: 50, in: txn).items
            .filter { $0.kind == .whatsapp }
            .max { ($0.lastMessageAt ?? $0.createdAt) < ($1.lastMessageAt ?? $1.createdAt) }
    }

    /// Answers HELP/AJUDA with the help text in the business language.
    func sendHelp(_ job: Job) async throws -> JobOutcome {
        guard let id = DocumentID(string: try job.input(as: ConversationRef.self).conversation) else { return .fail(reason: "bad payload") }
        let at = core.now
        let messageID = core.newID()
        let send = try core.jobs.make(Self.sendJob, payload: ["message": messageID.description], id: "send.\(messageID)")
        let queued = try await core.store.write { txn -> (Message, ConversationView)? in
            guard let conversation = try Collections.conversations.get(Key(id), in: txn),
                  let contact = try Collections.contacts.get(Key(conversation.contactID), in: txn) else { return nil }
            let settings = try AssistantSettingsKey.settings(in: txn)
            let text = Consent.helpText(business: settings.businessName, language: settings.language.rawValue)
            do {
                return try self.queue(.text(text), in: ConversationView(conversation, contact: contact), author: Consent.author, replyTo: nil,
                                      messageID: messageID, job: send, at: at, requester: .commandLine, in: txn)
            } catch is DeskError {
                return nil      // opted out or paused since: nothing to answer with
            }
        }
        if let (message, view) = queued {
            core.jobs.wake()
            core.publish(.messageCreated(view, message))
        }
        return .done
    }
}
