import AtendeTesting
import Channels
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

func form(_ text: String) throws -> TwilioForm { try TwilioForm(Array(text.utf8)) }

func pairs(_ form: TwilioForm) -> [String] { form.parameters.map { "\($0.name)=\($0.value)" } }

/// Form bodies as Twilio posts them (wire-protocols.md §5.1) and as we post them (§5.6).
@Suite struct TwilioFormTests {
    @Test func plusIsASpaceAndPercentEscapesAreUTF8() throws {
        let parsed = try form("From=%2B5511999990000&Body=Ol%C3%A1+mundo%21+%F0%9F%91%8B&Empty=&Bare")
        #expect(pairs(parsed) == ["From=+5511999990000", "Body=Olá mundo! 👋", "Empty=", "Bare="])
        #expect(parsed["Body"] == "Olá mundo! 👋" && parsed["Missing"] == nil)
    }

    @Test func repeatedNamesAreKeptInOrder() throws {
        let parsed = try form("MediaUrl=a&To=x&MediaUrl=b&&MediaUrl=a")
        #expect(pairs(parsed) == ["MediaUrl=a", "To=x", "MediaUrl=b", "MediaUrl=a"])
        #expect(parsed["MediaUrl"] == "a" && parsed.values("MediaUrl") == ["a", "b", "a"])
    }

    @Test(arguments: ["Body=100%", "Body=%2", "Body=%zz", "Bo%g1dy=x", "Body=%C3%28"])
    func aBadEscapeOrNonUTF8IsRefusedWithAClearMessage(body: String) {
        #expect {
            try form(body)
        } throws: { error in
            guard let error = error as? ChannelError else { return false }
            return error.code == .malformedPayload && (error.message.contains("%") || error.message.contains("UTF-8"))
        }
    }

    @Test func aBodyOverTheLimitsIsRefused() throws {
        #expect(throws: ChannelError.self) { try TwilioForm([UInt8](repeating: UInt8(ascii: "a"), count: TwilioForm.maxBytes + 1)) }
        let many = (0...TwilioForm.maxParameters).map { "p\($0)=v" }.joined(separator: "&")
        #expect(throws: ChannelError.self) { try form(many) }
        let enough = (1...TwilioForm.maxParameters).map { "p\($0)=v" }.joined(separator: "&")
        #expect(try form(enough).parameters.count == TwilioForm.maxParameters)
    }

    @Test func encodingKeepsOnlyUnreservedBytesAndRoundTrips() throws {
        let parameters: [(name: String, value: String)] = [("To", "+5511999990000"), ("Body", "a b+c&d=e%f/ç~._-"), ("MediaUrl", "x"), ("MediaUrl", "y")]
        let encoded = String(decoding: TwilioForm.encode(parameters), as: UTF8.self)
        #expect(encoded == "To=%2B5511999990000&Body=a%20b%2Bc%26d%3De%25f%2F%C3%A7~._-&MediaUrl=x&MediaUrl=y")
        #expect(pairs(try TwilioForm(TwilioForm.encode(parameters))) == parameters.map { "\($0.name)=\($0.value)" })
    }

    @Test func theReferenceVectorValidatesThroughParsedParameters() throws {
        // wire-protocols.md §5.4, as Twilio would post it (space as +, + as %2B).
        let body = "MessageSid=SM0123456789abcdef0123456789abcdef&AccountSid=AC0123456789abcdef0123456789abcdef"
            + "&From=%2B14155550100&To=%2B14155550199&Body=Hello+world&NumMedia=0"
        let parsed = try form(body)
        #expect(TwilioSignature.isValid("BdpI9+/mlYUekp6hJF9n4Wtfr1Y=", url: "https://example.com/twilio/sms?tenant=7",
                                        parameters: parsed.parameters, authToken: "12345"))
        #expect(!TwilioSignature.isValid("BdpI9+/mlYUekp6hJF9n4Wtfr1Y=", url: "https://example.com/twilio/sms?tenant=7",
                                         parameters: try form(body.replacingOccurrences(of: "%2B1415", with: "+1415")).parameters, authToken: "12345"))
    }

    @Test func theTestSignerAgreesWithTheReferenceAndTheValidator() throws {
        let parameters: [(name: String, value: String)] = [
            ("MessageSid", "SM0123456789abcdef0123456789abcdef"), ("AccountSid", "AC0123456789abcdef0123456789abcdef"),
            ("From", "+14155550100"), ("To", "+14155550199"), ("Body", "Hello world"), ("NumMedia", "0"),
        ]
        let signed = TwilioWebhookSigner.signed(url: "https://example.com/twilio/sms?tenant=7", parameters: parameters, authToken: "12345")
        #expect(signed.signature == "BdpI9+/mlYUekp6hJF9n4Wtfr1Y=")
        let extra = parameters + [("MediaUrl", "b"), ("MediaUrl", "a"), ("Body2", "Olá + 👋")]
        let other = TwilioWebhookSigner.signed(url: "https://h.test/s", parameters: extra, authToken: "k")
        #expect(TwilioSignature.isValid(other.signature, url: "https://h.test/s", parameters: try TwilioForm(other.body).parameters, authToken: "k"))
    }
}

/// The typed views of each webhook (§5.1–§5.3, §5.7).
@Suite struct TwilioWebhookViewTests {
    static let inbound = "MessageSid=MM0123456789abcdef0123456789abcdef&AccountSid=AC0123456789abcdef0123456789abcdef"
        + "&From=whatsapp%3A%2B5511999990000&To=%2B15017122661&Body=&NumMedia=2&ProfileName=Ana+Souza"
        + "&MediaUrl0=https%3A%2F%2Fapi.twilio.com%2Fm0&MediaContentType0=image%2Fjpeg&MediaUrl1=https%3A%2F%2Fapi.twilio.com%2Fm1"
        + "&MediaUrl2=https%3A%2F%2Fignored&OptOutType=STOP&NewParam=kept"

    @Test func anInboundMessageReadsItsFieldsAndMedia() throws {
        let message = try #require(TwilioInboundMessage(try form(Self.inbound)))
        #expect(message.messageSID == "MM0123456789abcdef0123456789abcdef" && message.accountSID == "AC0123456789abcdef0123456789abcdef")
        #expect(message.from == "whatsapp:+5511999990000" && message.to == "+15017122661" && message.body == "")
        #expect(message.media.map(\.url) == ["https://api.twilio.com/m0", "https://api.twilio.com/m1"])
        #expect(message.media.map(\.contentType) == ["image/jpeg", nil])
        #expect(message.profileName == "Ana Souza" && message.optOutType == "STOP")
    }

    @Test func anInboundMessageFallsBackToTheLegacySidAndCapsMedia() throws {
        let media = (0..<12).map { "&MediaUrl\($0)=u\($0)" }.joined()
        let message = try #require(TwilioInboundMessage(try form("SmsSid=SM1&AccountSid=AC1&From=%2B1&To=%2B2&Body=hi&NumMedia=12" + media)))
        #expect(message.messageSID == "SM1" && message.body == "hi" && message.media.count == TwilioInboundMessage.maxMedia)
        #expect(message.profileName == nil && message.optOutType == nil)
        #expect(try TwilioInboundMessage(form("SmsMessageSid=SM2&SmsSid=SM3&AccountSid=AC1&From=%2B1&To=%2B2"))?.messageSID == "SM2")
        #expect(try TwilioInboundMessage(form("MessageSid=SM1&AccountSid=AC1&From=%2B1&To=%2B2&NumMedia=-3"))?.media.isEmpty == true)
    }

    @Test(arguments: ["MessageSid", "AccountSid", "From", "To"])
    func anInboundMessageWithoutARequiredFieldIsNil(field: String) throws {
        let all = ["MessageSid=SM1", "AccountSid=AC1", "From=%2B1", "To=%2B2", "Body=x"]
        #expect(TwilioInboundMessage(try form(all.filter { !$0.hasPrefix(field + "=") }.joined(separator: "&"))) == nil)
        #expect(TwilioInboundMessage(try form(all.map { $0.hasPrefix(field + "=") ? field + "=" : $0 }.joined(separator: "&"))) == nil)
    }

    @Test(arguments: [
        ("queued", String?.none), ("accepted", nil), ("scheduled", nil), ("sending", nil), ("receiving", nil),
        ("sent", "sent"), ("delivered", "delivered"), ("read", "read"),
        ("undelivered", "failed"), ("failed", "failed"), ("canceled", "failed"),
    ])
    func aMessageStatusMapsOntoOurDeliveryState(status: String, expected: String?) throws {
        let callback = try #require(TwilioMessageStatus(try form("MessageSid=SM1&MessageStatus=\(status)&AccountSid=AC1")))
        #expect(callback.status == status && callback.deliveryStatus == expected)
    }

    @Test func aMessageStatusReadsItsErrorCodeAndLegacyNames() throws {
        let failed = try #require(TwilioMessageStatus(try form("MessageSid=SM1&MessageStatus=undelivered&ErrorCode=30007")))
        #expect(failed.messageSID == "SM1" && failed.errorCode == 30007 && failed.deliveryStatus == "failed")
        let legacy = try #require(TwilioMessageStatus(try form("SmsSid=SM2&SmsStatus=delivered")))
        #expect(legacy.messageSID == "SM2" && legacy.status == "delivered" && legacy.errorCode == nil)
        #expect(TwilioMessageStatus(try form("MessageSid=SM1")) == nil)
        #expect(TwilioMessageStatus(try form("MessageStatus=sent")) == nil)
    }

    @Test func aCallReadsItsFields() throws {
        let text = "CallSid=CA1&AccountSid=AC1&From=%2B5511999990000&To=%2B15017122661&CallStatus=ringing&Direction=inbound&ApiVersion=2010-04-01"
        let call = try #require(TwilioCall(try form(text + "&CallerName=ANA+SOUZA")))
        #expect(call == TwilioCall(try form(text + "&CallerName=ANA+SOUZA")))
        #expect(call.callSID == "CA1" && call.accountSID == "AC1" && call.from == "+5511999990000" && call.to == "+15017122661")
        #expect(call.callStatus == "ringing" && call.direction == "inbound" && call.callerName == "ANA SOUZA")
        #expect(try TwilioCall(form(text))?.callerName == nil)
        for field in ["CallSid", "AccountSid", "From", "To"] {
            let without = text.split(separator: "&").filter { !$0.hasPrefix(field + "=") }.joined(separator: "&")
            #expect(TwilioCall(try form(without)) == nil, "\(field)")
        }
        // Without a status or direction it is still the new inbound call the voice URL is asked about.
        let bare = try #require(TwilioCall(try form("CallSid=CA1&AccountSid=AC1&From=%2B5511999990000&To=%2B15017122661")))
        #expect(bare.callStatus == "ringing" && bare.direction == "inbound")
    }

    @Test(arguments: [
        ("no-answer", String?.none, true), ("busy", nil, true), ("failed", nil, true), ("canceled", nil, true),
        ("completed", nil, false), ("answered", nil, false), ("completed", "false", false), ("no-answer", "true", true),
        ("in-progress", "false", true), ("in-progress", "true", false), ("in-progress", nil, false),
    ])
    func aDialResultIsMissedByTheRule(status: String, bridged: String?, missed: Bool) throws {
        let text = "CallSid=CA1&From=%2B1&To=%2B2&DialCallStatus=\(status)&DialCallDuration=0" + (bridged.map { "&DialBridged=\($0)" } ?? "")
        let result = try #require(TwilioDialResult(try form(text)))
        #expect(result.missed == missed && result.dialCallStatus == status)
        #expect(result.bridged == bridged.map { $0 == "true" } && result.dialCallDuration == 0)
    }

    @Test func aDialResultWithoutItsStatusIsNil() throws {
        #expect(TwilioDialResult(try form("CallSid=CA1&From=%2B1&To=%2B2")) == nil)
        #expect(TwilioDialResult(try form("CallSid=CA1&From=%2B1&To=%2B2&DialCallStatus=")) == nil)
        let result = try #require(TwilioDialResult(try form("CallSid=CA1&From=%2B1&To=%2B2&DialCallStatus=completed&DialCallDuration=42")))
        #expect(result.callSID == "CA1" && result.from == "+1" && result.to == "+2" && result.dialCallDuration == 42 && result.bridged == nil)
    }

    @Test func aRecordingReadsItsFields() throws {
        let recording = try #require(TwilioRecording(try form(
            "CallSid=CA1&RecordingUrl=https%3A%2F%2Fapi.twilio.com%2F2010-04-01%2FAccounts%2FAC1%2FRecordings%2FRE1&RecordingSid=RE1&RecordingDuration=17")))
        #expect(recording.callSID == "CA1" && recording.recordingSID == "RE1" && recording.recordingDuration == 17)
        #expect(recording.recordingURL == "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1")
        #expect(TwilioRecording(try form("CallSid=CA1&RecordingSid=RE1")) == nil)
        #expect(try TwilioRecording(form("CallSid=CA1&RecordingUrl=u&RecordingSid=RE1"))?.recordingDuration == nil)
    }
}

/// The TwiML we answer with, string for string.
@Suite struct TwiMLTests {
    static let head = #"<?xml version="1.0" encoding="UTF-8"?>"#

    @Test func theFixedDocuments() {
        #expect(TwiML.empty == Self.head + "<Response/>")
        #expect(TwiML.hangup == Self.head + "<Response><Hangup/></Response>")
    }

    @Test func dialForwardsWithTimeoutAndAction() {
        #expect(TwiML.dial("+5511999990000", timeout: 20, action: "https://app.example.com/twilio/voice/dial-result?a=1&b=2") == Self.head
            + #"<Response><Dial timeout="20" action="https://app.example.com/twilio/voice/dial-result?a=1&amp;b=2" method="POST">+5511999990000</Dial></Response>"#)
        #expect(TwiML.dial("+5511999990000", timeout: 30, action: "https://a.test/d", callerID: "+15017122661") == Self.head
            + #"<Response><Dial timeout="30" action="https://a.test/d" method="POST" callerId="+15017122661">+5511999990000</Dial></Response>"#)
    }

    @Test func voicemailSaysRecordsAndHangsUp() {
        #expect(TwiML.voicemail(say: "Deixe sua mensagem após o sinal.", language: "pt-BR", recordAction: "https://a.test/r", maxLength: 120) == Self.head
            + #"<Response><Say language="pt-BR">Deixe sua mensagem após o sinal.</Say>"#
            + #"<Record action="https://a.test/r" method="POST" maxLength="120" playBeep="true"/><Hangup/></Response>"#)
        #expect(TwiML.say("Até logo", language: "pt-BR") == Self.head + #"<Response><Say language="pt-BR">Até logo</Say><Hangup/></Response>"#)
    }

    @Test func hostileTextCannotAddElementsOrAttributes() {
        let hostile = #"</Say><Dial>+19005550000</Dial><Say a='1' b="2">&amp;"# + "\u{0}\u{7}"
        let document = TwiML.say(hostile, language: #"en" voice="x"#)
        #expect(document == Self.head + #"<Response><Say language="en&quot; voice=&quot;x">&lt;/Say&gt;&lt;Dial&gt;+19005550000&lt;/Dial&gt;"#
            + #"&lt;Say a=&apos;1&apos; b=&quot;2&quot;&gt;&amp;amp;</Say><Hangup/></Response>"#)
        // Parsed, the document has exactly its own three elements and the text comes back whole.
        final class Collector: NSObject, XMLParserDelegate {
            var elements: [String] = [], text = ""
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                        attributes: [String: String] = [:]) { elements.append(name) }
            func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
        }
        let collector = Collector()
        let parser = XMLParser(data: Data(document.utf8))
        parser.delegate = collector
        #expect(parser.parse())
        #expect(collector.elements == ["Response", "Say", "Hangup"])
        #expect(collector.text == #"</Say><Dial>+19005550000</Dial><Say a='1' b="2">&amp;"#)
    }
}
