@testable import Channels
import Testing

/// `X-Twilio-Signature` (wire-protocols.md §5.4), checked against vectors computed with
/// twilio-python's `RequestValidator`.
@Suite struct TwilioSignatureTests {
    static let url = "https://example.com/twilio/sms?tenant=7"
    static let parameters: [(name: String, value: String)] = [
        ("MessageSid", "SM0123456789abcdef0123456789abcdef"), ("AccountSid", "AC0123456789abcdef0123456789abcdef"),
        ("From", "+14155550100"), ("To", "+14155550199"), ("Body", "Hello world"), ("NumMedia", "0"),
    ]

    @Test func theDocumentedVectorSignsAndValidates() throws {
        #expect(try TwilioSignature.sign(url: Self.url, parameters: Self.parameters, authToken: "12345") == "BdpI9+/mlYUekp6hJF9n4Wtfr1Y=")
        #expect(TwilioSignature.isValid("BdpI9+/mlYUekp6hJF9n4Wtfr1Y=", url: Self.url, parameters: Self.parameters, authToken: "12345"))
    }

    @Test func theDefaultPortMayBeThereOrNot() {
        let signature = "BdpI9+/mlYUekp6hJF9n4Wtfr1Y="
        #expect(TwilioSignature.isValid(signature, url: "https://example.com:443/twilio/sms?tenant=7", parameters: Self.parameters, authToken: "12345"))
        #expect(!TwilioSignature.isValid(signature, url: "https://example.com:8443/twilio/sms?tenant=7", parameters: Self.parameters, authToken: "12345"))
        #expect(!TwilioSignature.isValid(signature, url: "http://example.com/twilio/sms?tenant=7", parameters: Self.parameters, authToken: "12345"))
    }

    @Test func parametersAreSignedSortedWhateverOrderTheyCameIn() throws {
        let shuffled = Array(Self.parameters.reversed())
        #expect(try TwilioSignature.sign(url: Self.url, parameters: shuffled, authToken: "12345") == "BdpI9+/mlYUekp6hJF9n4Wtfr1Y=")
    }

    @Test func aRepeatedNameIsSignedWithAllItsValuesInOrder() {
        // As twilio-python's RequestValidator: each name's distinct values, sorted.
        let text = TwilioSignature.signedText(url: "https://x.test/s",
                                              parameters: [("To", "+1"), ("MediaUrl", "b"), ("MediaUrl", "a"), ("MediaUrl", "a")])
        #expect(text == "https://x.test/sMediaUrlaMediaUrlbTo+1")
    }

    @Test func nonASCIIValuesAreSignedAsUTF8() throws {
        // twilio-python: RequestValidator("12345").compute_signature("https://example.com/sms",
        //   {"Body": "Olá, ção 👋", "From": "+5511999990000"})
        let signed = try TwilioSignature.sign(url: "https://example.com/sms",
                                              parameters: [("Body", "Olá, ção 👋"), ("From", "+5511999990000")], authToken: "12345")
        #expect(signed == "kYv2oovWEghTOgTTYy1kfi3lcDM=")
    }

    @Test func aWrongMissingOrEmptyKeyedSignatureIsRefused() {
        #expect(!TwilioSignature.isValid(nil, url: Self.url, parameters: Self.parameters, authToken: "12345"))
        #expect(!TwilioSignature.isValid("", url: Self.url, parameters: Self.parameters, authToken: "12345"))
        #expect(!TwilioSignature.isValid("BdpI9+/mlYUekp6hJF9n4Wtfr1Y=", url: Self.url, parameters: Self.parameters, authToken: "54321"))
        #expect(!TwilioSignature.isValid("BdpI9+/mlYUekp6hJF9n4Wtfr1Y=", url: Self.url, parameters: Self.parameters, authToken: ""))
        var changed = Self.parameters
        changed[4] = ("Body", "Hello world!")
        #expect(!TwilioSignature.isValid("BdpI9+/mlYUekp6hJF9n4Wtfr1Y=", url: Self.url, parameters: changed, authToken: "12345"))
    }
}

/// What an SMS costs: GSM-7 or UCS-2, and how many parts.
@Suite struct SMSLengthTests {
    @Test(arguments: [
        ("Hello", SMSLength.Encoding.gsm7, 5, 1),
        (String(repeating: "a", count: 160), .gsm7, 160, 1),
        (String(repeating: "a", count: 161), .gsm7, 161, 2),
        (String(repeating: "a", count: 306), .gsm7, 306, 2),
        (String(repeating: "a", count: 307), .gsm7, 307, 3),
        ("Price: 10 €", .gsm7, 12, 1),                 // "€" is in the extension table: two septets
        ("Preço: 10", .ucs2, 9, 1),                    // "ç" is not GSM-7 (only "Ç" is)
        ("Olá, tudo bem?", .ucs2, 14, 1),              // "á" is not in the GSM alphabet
        (String(repeating: "ã", count: 70), .ucs2, 70, 1),
        (String(repeating: "ã", count: 71), .ucs2, 71, 2),
        ("Oi 👋", .ucs2, 5, 1),                         // the emoji is two UTF-16 units
        ("", .gsm7, 0, 0),
    ])
    func lengthAndParts(text: String, encoding: SMSLength.Encoding, units: Int, segments: Int) {
        let length = SMSLength(text)
        #expect(length.encoding == encoding, "\(text)")
        #expect(length.units == units, "\(text)")
        #expect(length.segments == segments, "\(text)")
    }

    @Test func whatIsLeftInTheLastPartIsCounted() {
        #expect(SMSLength("Hello").remaining == 155)
        #expect(SMSLength(String(repeating: "a", count: 161)).remaining == 306 - 161)
        #expect(SMSLength("Olá").remaining == 67)
    }
}
