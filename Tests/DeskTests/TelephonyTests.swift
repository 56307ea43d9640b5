import AtendeTesting
import Channels
import Desk
import Foundation
import Storage
import Testing

/// Twilio end to end inside Desk: settings, texts in and out through the one dispatcher, status
/// callbacks, calls, the missed-call text-back and its rules, against a fake Twilio on loopback
/// with an injected clock.
@Suite struct TelephonyTests {
    typealias F = TwilioFixture

    // MARK: Settings

    @Test func settingsAreCheckedFieldByFieldAndTheAuthTokenIsNeverShown() async throws {
        try await F.with { f in
            let view = try f.desk.telephony.view()
            let json = String(decoding: try JSONEncoder().encode(view), as: UTF8.self)
            #expect(!json.contains(F.authToken))
            #expect(json.contains(#""auth_token_set":true"#) && json.contains(#""connected":true"#))
            #expect(json.contains(#""sms":"https:\/\/atende.example.com\/webhooks\/twilio\/sms""#))
            #expect(try f.desk.telephony.numbers().map(\.phoneNumberID) == [F.number])
            for (field, change) in [("account_sid", { (i: inout TwilioSetupInput) in i.accountSID = "AC123" }),
                                    ("forward_to", { (i: inout TwilioSetupInput) in i.forwardTo = .some("11 98765-4321") }),
                                    ("ring_seconds", { (i: inout TwilioSetupInput) in i.ringSeconds = 2 }),
                                    ("numbers", { (i: inout TwilioSetupInput) in i.numbers = [F.number, F.number] }),
                                    ("quiet_hours", { (i: inout TwilioSetupInput) in i.quietHours = .some(.init(start: "25:00", end: "07:00")) }),
                                    ("text_back", { (i: inout TwilioSetupInput) in i.textBack = ["fr": "Bonjour"] }),
                                    ("auth_token", { (i: inout TwilioSetupInput) in i.authToken = "short" })] {
                var input = TwilioSetupInput()
                change(&input)
                let error = await expectDeskError(.invalidField) { _ = try await f.desk.telephony.update(input, by: f.owner) }
                #expect(error?.field == field)
            }
            // Nothing the refused changes carried was kept.
            #expect(try f.desk.telephony.setup().ringSeconds == 20)
            // Replacing the list removes a number and adds another.
            var input = TwilioSetupInput()
            input.numbers = ["+5511940000001"]
            _ = try await f.desk.telephony.update(input, by: f.owner)
            #expect(try f.desk.telephony.numbers().map(\.phoneNumberID) == ["+5511940000001"])
        }
    }

    @Test func testConnectionReadsTheAccountWithTheSavedCredentials() async throws {
        try await F.with { f in
            let account = try await f.desk.telephony.test()
            #expect(account.sid == F.accountSID)
            let request = try #require(f.twilio.requests.last)
            #expect(request.path == "/2010-04-01/Accounts/\(F.accountSID).json")
            let basic = Data("\(F.accountSID):\(F.authToken)".utf8).base64EncodedString()
            #expect(request.headers["authorization"] == "Basic \(basic)")
        }
    }

    // MARK: Texts

    @Test func anInboundSMSIsStoredOnceAndTheSameNumberOnWhatsAppIsTheSameContact() async throws {
        try await F.with { f in
            #expect(try await f.sms("Oi, vocês abrem sábado?").stored == 1)
            #expect(try await f.sms("Oi, vocês abrem sábado?").duplicates == 1)
            let conversation = try f.smsConversation()
            #expect(conversation.conversation.kind == .sms && conversation.contact.phone == F.caller)
            #expect(try f.messages(conversation).count == 1)
            // The same person writes on WhatsApp: one contact, a second conversation.
            let whatsapp = try await f.desk.channels.create(
                ChannelInput(name: "WhatsApp", phoneNumberID: "106540352242922", wabaID: "102290129340398",
                             secrets: [.accessToken: "token", .appSecret: "secret", .verifyToken: "verify"]), by: f.owner)
            let json = #"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Ana"},"wa_id":"5511987654321"}],"messages":[{"from":"5511987654321","id":"wamid.X","timestamp":"\#(Int(f.clock.now.timeIntervalSince1970))","type":"text","text":{"body":"Oi"}}]}}]}]}"#
            _ = try await f.desk.inbox.ingest(try WhatsAppWebhook(parsing: Array(json.utf8)), rawBody: Array(json.utf8))
            let all = try f.desk.inbox.conversations(.all, search: nil, page: PageRequest(cursor: nil, limit: 50), for: f.owner).items
            #expect(all.count == 2)
            #expect(Set(all.map(\.contact.id)).count == 1)
            #expect(Set(all.map(\.conversation.channelID)) == [whatsapp.id, conversation.conversation.channelID])
        }
    }

    @Test func anMMSPhotoIsFetchedWithTheAccountsCredentialsAndKeptInTheStore() async throws {
        try await F.with { f in
            let path = "/2010-04-01/Accounts/\(F.accountSID)/Messages/MM1/Media/ME1"
            let photo: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 1, count: 4096)
            f.twilio.serveMedia(at: path, bytes: photo, contentType: "image/jpeg")
            try await f.sms("Olha a receita", sid: "MM" + String(repeating: "d", count: 32),
                            extra: [(name: "NumMedia", value: "1"), (name: "MediaUrl0", value: f.desk.configuration.twilio.apiURL + path),
                                    (name: "MediaContentType0", value: "image/jpeg")])
            try await f.desk.jobs.runDue()
            let message = try #require(try f.messages(try f.smsConversation()).first)
            #expect(message.type == "image" && message.content.text == "Olha a receita")
            #expect(message.content.media?.size == photo.count && message.content.media?.digest != nil)
            let request = try #require(f.twilio.requests.first { $0.path == path })
            #expect(request.headers["authorization"]?.hasPrefix("Basic ") == true)
        }
    }

    @Test func aStaffReplyIsSentBySMSAndItsStatusCallbacksMoveIt() async throws {
        try await F.with { f in
            try await f.sms("Oi")
            let conversation = try f.smsConversation()
            let queued = try await f.desk.outbox.send(.text("Olá! Abrimos sábado às 9h."), in: conversation.conversation.id, by: f.owner)
            #expect(try await f.desk.jobs.runDue() >= 1)
            let sent = try #require(f.twilio.sentMessages.first)
            #expect(sent["To"] == F.caller && sent["From"] == F.number && sent["Body"] == "Olá! Abrimos sábado às 9h.")
            #expect(sent["StatusCallback"] == F.publicURL + "/webhooks/twilio/status")
            let sid = try #require(f.twilio.sentSIDs.first)
            var message = try f.desk.inbox.message(queued.id, for: f.owner)
            #expect(message.providerID == sid && message.delivery?.state == .sent)
            for status in ["queued", "sent", "delivered"] {
                try await f.desk.telephony.apply(try #require(TwilioMessageStatus(f.form([("MessageSid", sid), ("MessageStatus", status)]))), rawBody: [])
            }
            message = try f.desk.inbox.message(queued.id, for: f.owner)
            #expect(message.delivery?.state == .delivered)
            // A late "sent" does not move it back.
            try await f.desk.telephony.apply(try #require(TwilioMessageStatus(f.form([("MessageSid", sid), ("MessageStatus", "sent")]))), rawBody: [])
            #expect(try f.desk.inbox.message(queued.id, for: f.owner).delivery?.state == .delivered)
        }
    }

    @Test func anUndeliveredTextIsFailedWithTwiliosCode() async throws {
        try await F.with { f in
            try await f.sms("Oi")
            let queued = try await f.desk.outbox.send(.text("Olá"), in: try f.smsConversation().conversation.id, by: f.owner)
            try await f.desk.jobs.runDue()
            let sid = try #require(f.twilio.sentSIDs.first)
            try await f.desk.telephony.apply(try #require(TwilioMessageStatus(f.form([("MessageSid", sid), ("MessageStatus", "undelivered"),
                                                                                        ("ErrorCode", "30007")]))), rawBody: [])
            let failed = try f.desk.inbox.message(queued.id, for: f.owner)
            #expect(failed.delivery?.state == .failed && failed.delivery?.failureCode == 30007)
        }
    }

    @Test func templatesAndFilesAreRefusedOnSMS() async throws {
        try await F.with { f in
            try await f.sms("Oi")
            let id = try f.smsConversation().conversation.id
            await expectDeskError(.invalidField) {
                _ = try await f.desk.outbox.send(.template(TemplateUse(name: "hello", language: "pt_BR", parameters: [])), in: id, by: f.owner)
            }
            #expect(f.twilio.sentMessages.isEmpty)
        }
    }

    @Test func twilioSaying21610OptsTheContactOutOfSMSWithoutARetry() async throws {
        try await F.with { f in
            try await f.sms("Oi")
            let id = try f.smsConversation().conversation.id
            f.twilio.failSends(code: 21610, status: 400, message: "Attempt to send to unsubscribed recipient")
            let queued = try await f.desk.outbox.send(.text("Olá"), in: id, by: f.owner)
            try await f.desk.jobs.runDue()
            f.clock.advance(by: 3600)
            try await f.desk.jobs.runDue()
            #expect(f.twilio.requests.filter { $0.method == "POST" }.count == 1)
            let failed = try f.desk.inbox.message(queued.id, for: f.owner)
            #expect(failed.delivery?.state == .failed && failed.delivery?.failureCode == 21610)
            #expect(try f.smsConversation().contact.isOptedOut(of: .sms))
            let error = await expectDeskError(.contactUnavailable) { _ = try await f.desk.outbox.send(.text("Olá?"), in: id, by: f.owner) }
            #expect(error?.message.contains("SMS") == true)
        }
    }

    // MARK: Consent

    @Test func keywordsAreWholeMessagesInAnyCaseWithOrWithoutAccents() {
        for text in ["STOP", "stop", " Parar! ", "PÁRAR", "sair", "Cancelar.", "DESCADASTRAR", "unsubscribe", "Stopall", "  stop  ",
                     "\tSTOP!!\n", "«sair»"] {
            #expect(ConsentKeyword.classify(text, on: .whatsapp) == .optOut, "\(text)")
        }
        for text in ["START", "voltar", "Voltar!", "unstop"] { #expect(ConsentKeyword.classify(text, on: .sms) == .optIn, "\(text)") }
        for text in ["AJUDA", "help", "Ayuda?"] { #expect(ConsentKeyword.classify(text, on: .sms) == .help, "\(text)") }
        // A request is not a keyword; Twilio's SMS-only words are conversation on WhatsApp.
        for text in ["quero cancelar a consulta", "stop by tomorrow?", "parar de fumar", "", "💬", "STOP  now", "stop.\nnow",
                     "cancelar  consulta!", "ajuda por favor"] {
            #expect(ConsentKeyword.classify(text, on: .sms) == nil, "\(text)")
        }
        #expect(ConsentKeyword.classify("yes", on: .sms) == .optIn && ConsentKeyword.classify("yes", on: .whatsapp) == nil)
        #expect(ConsentKeyword.classify("info", on: .sms) == .help && ConsentKeyword.classify("info", on: .whatsapp) == nil)
    }

    @Test func pararOptsOutEverySenderIsRefusedAndVoltarOptsBackIn() async throws {
        try await F.with { f in
            try await f.sms("Oi")
            let id = try f.smsConversation().conversation.id
            try await f.sms("PARAR", sid: "SM" + String(repeating: "b", count: 32))
            let contact = try f.smsConversation().contact
            #expect(contact.isOptedOut(of: .sms) && !contact.isOptedOut(of: .whatsapp))
            // Nobody sends to them now: not the assistant answering the first message…
            f.clock.advance(by: 3600)
            try await f.desk.jobs.runDue()
            #expect(f.twilio.sentMessages.isEmpty)
            let error = await expectDeskError(.contactUnavailable) { _ = try await f.desk.outbox.send(.text("Olá"), in: id, by: f.owner) }
            #expect(error?.message.contains("START") == true)
            try await f.sms("voltar", sid: "SM" + String(repeating: "c", count: 32))
            #expect(!(try f.smsConversation().contact.isOptedOut(of: .sms)))
            _ = try await f.desk.outbox.send(.text("Olá de novo"), in: id, by: f.owner)
            let ledger = try f.desk.inbox.consentHistory(of: contact.id)
            #expect(ledger.map(\.optedOut) == [true, false])
            #expect(ledger.map(\.detail) == ["PARAR", "voltar"] && ledger.allSatisfy { $0.channel == "sms" && $0.source == .keyword })
        }
    }

    @Test func ajudaIsAnsweredWithTheHelpText() async throws {
        try await F.with { f in
            try await f.sms("AJUDA")
            try await f.desk.jobs.runDue()
            try await f.desk.jobs.runDue()
            let sent = try #require(f.twilio.sentMessages.first)
            #expect(sent["Body"]?.contains("PARAR") == true)
        }
    }

    // MARK: Calls

    @Test func anIncomingCallRingsTheBusinessPhoneForTheRingTime() async throws {
        try await F.with({ $0.ringSeconds = 25 }) { f in
            let twiml = try await f.call("CA" + String(repeating: "1", count: 32))
            #expect(twiml == #"<?xml version="1.0" encoding="UTF-8"?><Response><Dial timeout="25" action="https://atende.example.com/webhooks/twilio/dial-status" method="POST">+5511930000000</Dial></Response>"#)
        }
    }

    @Test func aMissedCallIsRecordedAndTextedBackOnce() async throws {
        try await F.with { f in
            let sid = "CA" + String(repeating: "1", count: 32)
            _ = try await f.call(sid)
            #expect(try await f.dialed(sid, "no-answer") == TwiML.hangup)
            // Twilio asking twice records it once.
            _ = try await f.dialed(sid, "no-answer")
            let conversation = try f.smsConversation()
            var calls = try f.messages(conversation).filter { $0.type == "call" }
            #expect(calls.count == 1 && calls.first?.content.call?.missed == true && calls.first?.content.call?.textBack == "scheduled")
            try await f.desk.jobs.runDue()
            try await f.desk.jobs.runDue()
            let sent = try #require(f.twilio.sentMessages.first)
            #expect(sent["To"] == F.caller && sent["Body"]?.hasPrefix("Oi!") == true)
            calls = try f.messages(conversation).filter { $0.type == "call" }
            #expect(calls.first?.content.call?.textBack == "queued")
            // A second missed call inside the period: recorded, not texted again.
            let again = "CA" + String(repeating: "2", count: 32)
            _ = try await f.dialed(again, "busy")
            try await f.desk.jobs.runDue()
            #expect(f.twilio.sentMessages.count == 1)
            #expect(try f.messages(conversation).first { $0.providerID == again }?.content.call?.textBack == "already_sent")
            // After the period, a missed call is texted back again.
            f.clock.advance(by: 24 * 3600 + 1)
            _ = try await f.dialed("CA" + String(repeating: "3", count: 32), "no-answer")
            try await f.desk.jobs.runDue()
            try await f.desk.jobs.runDue()
            #expect(f.twilio.sentMessages.count == 2)
        }
    }

    @Test func twoMissedCallsFromOneCallerAtTheSameInstantGetOneTextBack() async throws {
        try await F.with { f in
            async let a = f.dialed("CA" + String(repeating: "4", count: 32), "no-answer")
            async let b = f.dialed("CA" + String(repeating: "5", count: 32), "no-answer")
            _ = try await (a, b)
            try await f.desk.jobs.runDue()
            try await f.desk.jobs.runDue()
            #expect(f.twilio.sentMessages.count == 1)
            let calls = try f.messages(try f.smsConversation()).filter { $0.type == "call" }
            #expect(calls.compactMap(\.content.call?.textBack).sorted() == ["already_sent", "queued"])
        }
    }

    @Test func anAnsweredCallIsLoggedWithItsDurationAndNotTextedBack() async throws {
        try await F.with { f in
            let sid = "CA" + String(repeating: "6", count: 32)
            _ = try await f.dialed(sid, "completed", duration: 125)
            try await f.desk.jobs.runDue()
            #expect(f.twilio.sentMessages.isEmpty)
            let call = try #require(try f.messages(try f.smsConversation()).first { $0.type == "call" }?.content.call)
            #expect(!call.missed && call.duration == 125 && call.textBack == nil)
        }
    }

    @Test func duringQuietHoursTheTextBackWaitsForTheirEnd() async throws {
        try await F.with({ $0.quietHours = .some(.init(start: "22:00", end: "07:00")) }) { f in
            // 23:30 in São Paulo (UTC−3) is 02:30 UTC.
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            let night = calendar.date(from: DateComponents(year: 2026, month: 12, day: 7, hour: 2, minute: 30))!
            f.clock.advance(by: night.timeIntervalSince(f.clock.now))
            _ = try await f.dialed("CA" + String(repeating: "7", count: 32), "no-answer")
            try await f.desk.jobs.runDue()
            #expect(f.twilio.sentMessages.isEmpty)
            #expect(try f.messages(try f.smsConversation()).first { $0.type == "call" }?.content.call?.textBack == "deferred")
            f.clock.advance(by: calendar.date(from: DateComponents(year: 2026, month: 12, day: 7, hour: 10, minute: 0))!.timeIntervalSince(f.clock.now))   // 07:00 local
            try await f.desk.jobs.runDue()
            try await f.desk.jobs.runDue()
            #expect(f.twilio.sentMessages.count == 1)
        }
    }

    @Test func aKnownWhatsAppCallerIsTextedBackWithTheChosenTemplateAndANewCallerBySMS() async throws {
        let graph = FakeProvider()
        graph.answer(routing: { request in
            if request.path.hasSuffix("/message_templates") {
                return .json(#"{"data":[{"id":"77","name":"missed_call","language":"pt_BR","category":"UTILITY","status":"APPROVED","components":[{"type":"BODY","text":"Oi! Aqui é a {{1}}, desculpe não atender. Como podemos ajudar?"}]}]}"#)
            }
            return .json(#"{"messaging_product":"whatsapp","messages":[{"id":"wamid.TB\#(UUID().uuidString)"}]}"#)
        })
        try await graph.run { graphURL in
            try await F.with(graphURL: graphURL, { input in
                input.textBackVia = .whatsapp
                input.textBackTemplate = .some(.init(name: "missed_call", language: "pt_BR"))
            }) { f in
                _ = try await f.desk.channels.create(
                    ChannelInput(name: "WhatsApp", phoneNumberID: "106540352242922", wabaID: "102290129340398",
                                 secrets: [.accessToken: "token", .appSecret: "secret", .verifyToken: "verify"]), by: f.owner)
                _ = try await f.desk.templates.sync(by: f.owner)
                // The caller wrote on WhatsApp before.
                let json = #"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"1","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Ana"},"wa_id":"5511987654321"}],"messages":[{"from":"5511987654321","id":"wamid.X","timestamp":"\#(Int(f.clock.now.timeIntervalSince1970))","type":"text","text":{"body":"Oi"}}]}}]}]}"#
                _ = try await f.desk.inbox.ingest(try WhatsAppWebhook(parsing: Array(json.utf8)), rawBody: Array(json.utf8))
                f.clock.advance(by: 48 * 3600)      // the 24-hour window is long closed: only a template goes
                _ = try await f.dialed("CA" + String(repeating: "9", count: 32), "no-answer")
                _ = try await f.dialed("CA" + String(repeating: "a", count: 32), "no-answer", from: "+5521976543210")
                for _ in 0..<3 { try await f.desk.jobs.runDue() }
                let sent = try #require(graph.requests.first { $0.path.hasSuffix("/messages") })
                #expect(sent.text.contains(#""name":"missed_call""#) && sent.text.contains("+5511987654321"))
                // The caller unknown on WhatsApp got the SMS.
                #expect(f.twilio.sentMessages.map { $0["To"] } == ["+5521976543210"])
            }
        }
    }

    @Test func withVoicemailAMissedCallerCanLeaveAMessageThatIsKept() async throws {
        try await F.with({ $0.voicemail = true }) { f in
            let sid = "CA" + String(repeating: "8", count: 32)
            let twiml = try await f.dialed(sid, "no-answer")
            #expect(twiml.contains(#"<Say language="pt-BR">"#) && twiml.contains(#"action="https://atende.example.com/webhooks/twilio/recording""#))
            let recordingPath = "/2010-04-01/Accounts/\(F.accountSID)/Recordings/RE0001"
            f.twilio.serveMedia(at: recordingPath + ".mp3", bytes: Array(repeating: 7, count: 2048), contentType: "audio/mpeg")
            let url = f.desk.configuration.twilio.apiURL + recordingPath
            try await f.desk.telephony.recorded(try #require(TwilioRecording(f.form([("CallSid", sid), ("RecordingUrl", url),
                                                                                    ("RecordingSid", "RE0001"), ("RecordingDuration", "14")]))))
            try await f.desk.jobs.runDue()
            let call = try #require(try f.messages(try f.smsConversation()).first { $0.type == "call" })
            #expect(call.content.media?.digest != nil && call.content.media?.size == 2048 && call.content.media?.caption == "Voicemail (14 s)")
        }
    }
}
