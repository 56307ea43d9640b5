import Channels
import Testing

/// The vectors of wire-protocols.md §1.2, byte for byte.
@Suite struct WhatsAppSignatureTests {
    let secret = Array("app_secret_123".utf8)

    @Test func theReferenceVectorsVerify() {
        #expect(WhatsAppSignature.isValid("sha256=02fe0c96d28c59ddb7cf81eff0ca05809b360ba73b63c28210b5906a0a107d1f",
                                          body: Array(#"{"object":"whatsapp_business_account","entry":[]}"#.utf8), appSecret: secret))
        #expect(WhatsAppSignature.isValid("sha256=f7ced1c994583dfa924823c7568a5707e9cefb777df5cbb9616735a967ae4dde",
                                          body: Array(#"{"text":{"body":"caf\u00e9"}}"#.utf8), appSecret: secret))
    }

    @Test func theSameJSONReEncodedWithALiteralAccentDoesNot() {
        #expect(!WhatsAppSignature.isValid("sha256=f7ced1c994583dfa924823c7568a5707e9cefb777df5cbb9616735a967ae4dde",
                                           body: Array(#"{"text":{"body":"café"}}"#.utf8), appSecret: secret))
    }

    @Test(arguments: [nil, "", "sha256=", "sha1=02fe0c96d28c59ddb7cf81eff0ca05809b360ba73b63c28210b5906a0a107d1f",
                      "sha256=02FE0C96D28C59DDB7CF81EFF0CA05809B360BA73B63C28210B5906A0A107D1F",
                      "sha256=02fe0c96d28c59ddb7cf81eff0ca05809b360ba73b63c28210b5906a0a107d1e",
                      "sha256=02fe0c96d28c59ddb7cf81eff0ca05809b360ba73b63c28210b5906a0a107d1f00"])
    func aMissingMalformedOrWrongSignatureFails(_ header: String?) {
        #expect(!WhatsAppSignature.isValid(header, body: Array(#"{"object":"whatsapp_business_account","entry":[]}"#.utf8),
                                           appSecret: secret))
    }

    @Test func anotherAppsSecretOrAnEmptyOneFails() throws {
        let body = Array(#"{"object":"whatsapp_business_account","entry":[]}"#.utf8)
        let header = try WhatsAppSignature.sign(body, appSecret: secret)
        #expect(WhatsAppSignature.isValid(header, body: body, appSecret: secret))
        #expect(!WhatsAppSignature.isValid(header, body: body, appSecret: Array("app_secret_124".utf8)))
        #expect(!WhatsAppSignature.isValid(header, body: body, appSecret: []))
    }

    @Test func theHandshakeAnswersOnlyOurTokenInSubscribeMode() {
        #expect(WhatsAppVerification.challenge(mode: "subscribe", token: "tok-1", challenge: "1158201444", verifyToken: "tok-1") == "1158201444")
        #expect(WhatsAppVerification.challenge(mode: "subscribe", token: "tok-2", challenge: "1158201444", verifyToken: "tok-1") == nil)
        #expect(WhatsAppVerification.challenge(mode: "unsubscribe", token: "tok-1", challenge: "1", verifyToken: "tok-1") == nil)
        #expect(WhatsAppVerification.challenge(mode: "subscribe", token: nil, challenge: "1", verifyToken: "tok-1") == nil)
        #expect(WhatsAppVerification.challenge(mode: "subscribe", token: "", challenge: "1", verifyToken: "") == nil)
    }
}
