import Channels
import Foundation
import Storage

extension Telephony {
    /// Sends the missed-call text-back (scheduled by `dialed` in the transaction that recorded the call).
    public static let textBackJob: JobKind = "twilio.text_back"

    struct TextBackRef: Codable { let conversation: String; let call: String }

    /// An incoming call: staff see "incoming call from …" live, and Twilio is told to ring the
    /// business phone for the ring time, then to tell us how that went (`<Dial action>`). With
    /// no business phone set, the call is missed at once.
    public func incoming(_ call: TwilioCall) async throws -> String {
        let setup = try self.setup()
        let found = try core.store.read { txn -> (BusinessNumber, Contact?, [Conversation])? in
            guard let channel = try Collections.channels.get(unique: "phone", Key(call.to), in: txn), channel.kind == .sms else { return nil }
            let contact = try Collections.contacts.get(unique: "wa", Key(String(call.from.filter(\.isNumber))), in: txn)
            let conversations = try contact.map { try Collections.conversations.page(index: "contact", equals: Key($0.id), limit: 20, in: txn).items } ?? []
            return (channel, contact, conversations)
        }
        guard let (channel, contact, conversations) = found else {
            core.logger.warning("call to a number not connected here", metadata: ["atende.call": "\(call.callSID)"])
            return TwiML.hangup
        }
        core.publish(.callIncoming(IncomingCallView(callSID: call.callSID, from: call.from, callerName: call.callerName,
                                                    channelID: channel.id, contact: contact, conversations: conversations, at: core.now)))
        if let forward = setup.forwardTo, let action = url(Self.paths.dialStatus) {
            return TwiML.dial(forward, timeout: setup.ringSeconds, action: action, callerID: nil)
        }
        return try await record(callSID: call.callSID, from: call.from, to: call.to, status: "not-forwarded", missed: true, duration: nil)
    }

    /// Twilio tells how ringing the business phone went (`DialCallStatus`): the call goes into the
    /// caller's conversation on this number, answered (with its duration) or missed; a missed one
    /// schedules the text-back and may go to voicemail (the TwiML returned).
    public func dialed(_ result: TwilioDialResult) async throws -> String {
        try await record(callSID: result.callSID, from: result.from, to: result.to, status: result.dialCallStatus,
                         missed: result.missed, duration: result.dialCallDuration)
    }

    /// Records a call once (by CallSid: Twilio may ask twice) and, when missed, schedules the
    /// text-back — at most once per caller per period (checked and written in the same commit,
    /// so two calls at the same instant give one text), after quiet hours unless allowed.
    private func record(callSID: String, from: String, to: String, status: String, missed: Bool, duration: Int?) async throws -> String {
        let setup = try self.setup()
        let receivedAt = core.now
        let messageID = core.newID()
        let caller = String(from.filter(\.isNumber))
        let plan = Inbox.Planned(messageID: messageID, contactID: DocumentID(now: receivedAt), conversationID: DocumentID(now: receivedAt), fetch: nil)
        let outcome = try await core.store.write { txn -> Inbox.IngestOutcome in
            var outcome = Inbox.IngestOutcome()
            guard let channel = try Collections.channels.get(unique: "phone", Key(to), in: txn), channel.kind == .sms,
                  Inbox.isUsableID(callSID), from.hasPrefix("+"), (6...20).contains(caller.count) else {
                outcome.summary.malformed += 1
                return outcome
            }
            var call = CallRecord(status: status, missed: missed, duration: missed ? nil : duration, textBack: nil)
            if missed {
                call.textBack = try self.scheduleTextBack(caller: caller, callSID: callSID, channel: channel, setup: setup,
                                                          at: receivedAt, outcome: &outcome, in: txn)
            }
            let recorded = call
            try self.inbox.storeInbound(providerID: callSID, from: caller, profileName: nil, sentAt: receivedAt, channel: channel, plan: plan,
                                        receivedAt: receivedAt, outcome: &outcome, in: txn) { conversationID in
                var content = MessageContent(text: recorded.missed ? "Missed call" : "Answered call")
                content.call = recorded
                return Message(id: messageID, conversationID: conversationID, direction: .inbound, type: "call", content: content,
                               providerID: callSID, replyToProviderID: nil, quoted: nil, author: MessageAuthor(kind: .contact),
                               delivery: nil, createdAt: receivedAt)
            }
            return outcome
        }
        if outcome.scheduledJobs { core.jobs.wake() }
        for event in outcome.events { core.publish(event) }
        guard missed else { return TwiML.hangup }
        if setup.voicemail, let action = url(Self.paths.recording) {
            let settings = try core.store.read { txn in try AssistantSettingsKey.settings(in: txn) }
            let greeting = TwilioSetup.voicemailGreeting(settings.language.rawValue, business: settings.businessName)
            return TwiML.voicemail(say: greeting.text, language: greeting.voiceLanguage, recordAction: action, maxLength: 120)
        }
        return TwiML.hangup
    }

    /// Decides the text-back for a missed call in the caller's transaction; says what was decided.
    private func scheduleTextBack(caller: String, callSID: String, channel: BusinessNumber, setup: TwilioSetup, at: Date,
                                  outcome: inout Inbox.IngestOutcome, in txn: borrowing WriteTransaction) throws -> String {
        guard setup.textBackEnabled else { return "off" }
        if let contact = try Collections.contacts.get(unique: "wa", Key(caller), in: txn),
           contact.blocked || contact.isOptedOut(of: channel.kind.consent) {
            return "opted_out"
        }
        let last = try Collections.textBacks.get(Key(caller), in: txn)
        if let last, at.timeIntervalSince(last.lastAt) < Double(setup.textBackPeriodHours) * 3600 { return "already_sent" }
        var due = at
        if !setup.textBackDuringQuietHours, let quiet = setup.quietHours {
            let zone = try AssistantSettingsKey.settings(in: txn).zone
            if let end = quiet.end(containing: at, in: zone) { due = end }
        }
        // The conversation is found again by the job (it is created in this same commit).
        let job = try core.jobs.make(Self.textBackJob, payload: ["caller": caller, "channel": channel.id.description, "call": callSID],
                                     at: due, id: "textback.\(callSID)")
        try core.jobs.schedule(job, in: txn)
        try Collections.textBacks.put(TextBackRecord(caller: caller, lastAt: at), replacing: last, in: txn)
        outcome.scheduledJobs = true
        return due > at ? "deferred" : "scheduled"
    }

    /// The voicemail's recording: kept with the missed call's message (the file fetched into the store).
    public func recorded(_ recording: TwilioRecording) async throws {
        let fetchID = core.newID()
        let result = try await core.store.write { txn -> (Message, Conversation, Job)? in
            guard var message = try Collections.messages.get(unique: "provider", Key(recording.callSID), in: txn), message.type == "call",
                  message.content.media == nil,
                  let conversation = try Collections.conversations.get(Key(message.conversationID), in: txn) else { return nil }
            var media = MediaAttachment(kind: "audio", providerMediaID: recording.recordingSID, link: recording.recordingURL + ".mp3",
                                        mimeType: "audio/mpeg")
            media.caption = recording.recordingDuration.map { "Voicemail (\($0) s)" } ?? "Voicemail"
            message.content.media = media
            try Collections.messages.put(message, in: txn)
            let job = try self.core.jobs.make(Self.mediaFetchJob, payload: ["message": message.id.description], id: "media.\(fetchID)")
            try self.core.jobs.schedule(job, in: txn)
            return (message, conversation, job)
        }
        if let (message, conversation, _) = result {
            core.jobs.wake()
            core.publish(.messageUpdated(message, in: conversation))
        }
    }
}

/// The payload of `call.incoming`: who is calling, on which number, and their conversations (so
/// the notice links to the history).
public struct IncomingCallView: Encodable, Sendable {
    let callSID: String, from: String, callerName: String?, channelID: DocumentID, contact: Contact?
    let conversations: [Conversation]
    let at: Date

    private enum CodingKeys: String, CodingKey { case call_sid, from, caller_name, channel_id, contact, conversations, at }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(callSID, forKey: .call_sid)
        try c.encode(from, forKey: .from)
        try c.encode(callerName, forKey: .caller_name)
        try c.encode(channelID.description, forKey: .channel_id)
        try c.encode(contact.map(ContactView.init), forKey: .contact)
        try c.encode(conversations.map { ["id": $0.id.description, "channel": $0.kind.rawValue] }, forKey: .conversations)
        try c.encode(APITime.string(at), forKey: .at)
    }
}
