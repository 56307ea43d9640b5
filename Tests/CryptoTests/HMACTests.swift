import AtendeCrypto
import Foundation
import Testing

/// HMAC against the RFCs' own vectors, and against the signatures Meta and Twilio send
/// (shared/reference/wire-protocols.md §1.2 and §5.4).
@Suite struct HMACTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let key: [UInt8]
        let message: [UInt8]
        let mac: String
    }

    static let long256 = [UInt8](repeating: 0xaa, count: 131)
    static let long1 = [UInt8](repeating: 0xaa, count: 80)

    @Test(arguments: [
        Vector(testDescription: "RFC 4231 case 1: 20-byte key",
               key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8),
               mac: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        Vector(testDescription: "RFC 4231 case 2: a key shorter than the digest",
               key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8),
               mac: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        Vector(testDescription: "RFC 4231 case 6: a key longer than the block is hashed first",
               key: long256, message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
               mac: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        Vector(testDescription: "RFC 4231 case 7: long key and data longer than one block",
               key: long256,
               message: Array(("This is a test using a larger than block-size key and a larger than block-size data. "
                   + "The key needs to be hashed before being used by the HMAC algorithm.").utf8),
               mac: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"),
        Vector(testDescription: "empty key and empty message",
               key: [], message: [], mac: "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"),
    ])
    func hmacSHA256MatchesTheRFC4231Vectors(_ vector: Vector) throws {
        #expect(try HMAC.sha256(key: vector.key, message: vector.message).hexString == vector.mac)
        let secret = vector.key.withUnsafeBytes { SecretBytes(copying: $0) }
        #expect(try HMAC.sha256(key: secret, message: vector.message).hexString == vector.mac)
    }

    @Test(arguments: [
        Vector(testDescription: "RFC 2202 case 1", key: [UInt8](repeating: 0x0b, count: 20),
               message: Array("Hi There".utf8), mac: "b617318655057264e28bc0b6fb378c8ef146be00"),
        Vector(testDescription: "RFC 2202 case 2", key: Array("Jefe".utf8),
               message: Array("what do ya want for nothing?".utf8), mac: "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"),
        Vector(testDescription: "RFC 2202 case 3", key: [UInt8](repeating: 0xaa, count: 20),
               message: [UInt8](repeating: 0xdd, count: 50), mac: "125d7342b9ac11cd91a39af48aa17b4f63f175d3"),
        Vector(testDescription: "RFC 2202 case 6", key: long1,
               message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
               mac: "aa4ae5e15272d00e95705637ce8a3b55ed402112"),
        Vector(testDescription: "RFC 2202 case 7", key: long1,
               message: Array("Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data".utf8),
               mac: "e8e99d0f45237d786d6bbaa7965c7808bbff1a91"),
    ])
    func hmacSHA1MatchesTheRFC2202Vectors(_ vector: Vector) throws {
        #expect(try HMAC.sha1(key: vector.key, message: vector.message).hexString == vector.mac)
        let secret = vector.key.withUnsafeBytes { SecretBytes(copying: $0) }
        #expect(try HMAC.sha1(key: secret, message: vector.message).hexString == vector.mac)
    }

    @Test func metasSignatureIsHMACSHA256OfTheRawBodyUnderTheAppSecret() throws {
        let secret = Array("app_secret_123".utf8)
        let empty = Array(#"{"object":"whatsapp_business_account","entry":[]}"#.utf8)
        #expect("sha256=" + (try HMAC.sha256(key: secret, message: empty)).hexString
            == "sha256=02fe0c96d28c59ddb7cf81eff0ca05809b360ba73b63c28210b5906a0a107d1f")
    }

    @Test func metasSignatureCoversTheEscapedUnicodeExactlyAsSent() throws {
        let secret = Array("app_secret_123".utf8)
        // The six ASCII bytes \u00e9 as Meta sends them, not the two bytes of a literal é.
        let sent = Array(#"{"text":{"body":"caf\u00e9"}}"#.utf8)
        #expect(sent.count == 29 && sent.contains(UInt8(ascii: "\\")))
        let header = "sha256=f7ced1c994583dfa924823c7568a5707e9cefb777df5cbb9616735a967ae4dde"
        let expected = Array(("sha256=" + (try HMAC.sha256(key: secret, message: sent)).hexString).utf8)
        #expect(ConstantTime.equal(expected, Array(header.utf8)))
        // Re-serialising with a literal é changes the bytes, so the same header no longer matches.
        let reserialised = Array(#"{"text":{"body":"café"}}"#.utf8)
        let other = try HMAC.sha256(key: secret, message: reserialised).hexString
        #expect(other.hasPrefix("126fb2da"))
        #expect(!ConstantTime.equal(Array(("sha256=" + other).utf8), Array(header.utf8)))
    }

    @Test func twiliosSignatureIsBase64OfHMACSHA1UnderTheAuthToken() throws {
        let signed = "https://example.com/twilio/sms?tenant=7AccountSidAC0123456789abcdef0123456789abcdef"
            + "BodyHello worldFrom+14155550100MessageSidSM0123456789abcdef0123456789abcdefNumMedia0To+14155550199"
        let mac = try HMAC.sha1(key: Array("12345".utf8), message: Array(signed.utf8))
        #expect(Data(mac).base64EncodedString() == "BdpI9+/mlYUekp6hJF9n4Wtfr1Y=")
    }
}
