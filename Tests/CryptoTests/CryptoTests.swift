import COpenSSL
@testable import AtendeCrypto
import Testing

/// The primitives Storage, Desk and Channels build on, checked against published vectors.
@Suite struct CryptoTests {
    @Test func aesGCMSealThenOpenReturnsThePlaintextAndEachSealUsesAFreshNonce() throws {
        let key = try SecretBytes(randomCount: 32)
        let plaintext = Array("the clinic's WhatsApp token".utf8)
        let aad = Array("atende.secret\0whatsapp".utf8)
        let a = try AESGCM.seal(plaintext, key: key, aad: aad)
        let b = try AESGCM.seal(plaintext, key: key, aad: aad)
        #expect(a.nonce.count == 12 && a.tag.count == 16 && a.ciphertext.count == plaintext.count)
        #expect(a.nonce != b.nonce)
        #expect(a.ciphertext != b.ciphertext)
        #expect(a.ciphertext != plaintext)
        #expect(try AESGCM.open(a, key: key, aad: aad) == plaintext)
        #expect(try AESGCM.open(b, key: key, aad: aad) == plaintext)
    }

    @Test func aesGCMSealsAnEmptyPlaintext() throws {
        let key = try SecretBytes(randomCount: 32)
        let box = try AESGCM.seal([], key: key, aad: [])
        #expect(try AESGCM.open(box, key: key, aad: []) == [])
        var tampered = box
        tampered.tag[0] ^= 1
        #expect(throws: CryptoError.self) { try AESGCM.open(tampered, key: key, aad: []) }
    }

    @Test func aesGCMRejectsAnyFlippedBitInNonceCiphertextTagOrAAD() throws {
        let key = try SecretBytes(randomCount: 32)
        let aad = Array("name".utf8)
        let box = try AESGCM.seal(Array("secret".utf8), key: key, aad: aad)
        var variants: [(AESGCM.Box, [UInt8])] = []
        for i in 0..<box.nonce.count { var b = box; b.nonce[i] ^= 0x01; variants.append((b, aad)) }
        for i in 0..<box.ciphertext.count { var b = box; b.ciphertext[i] ^= 0x80; variants.append((b, aad)) }
        for i in 0..<box.tag.count { var b = box; b.tag[i] ^= 0x10; variants.append((b, aad)) }
        for i in 0..<aad.count { var a = aad; a[i] ^= 0x04; variants.append((box, a)) }
        for (b, a) in variants {
            let error = #expect(throws: CryptoError.self) { try AESGCM.open(b, key: key, aad: a) }
            #expect(error?.code == .authenticationFailed)
        }
    }

    @Test func aesGCMRejectsTheWrongKey() throws {
        let box = try AESGCM.seal([1, 2, 3], key: try SecretBytes(randomCount: 32), aad: [])
        let error = #expect(throws: CryptoError.self) {
            try AESGCM.open(box, key: try SecretBytes(randomCount: 32), aad: [])
        }
        #expect(error?.code == .authenticationFailed)
    }

    @Test func sha256MatchesTheFIPSVectorsWhetherFedAtOnceOrInPieces() throws {
        #expect(try SHA256.hash(Array("abc".utf8)).hexString
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(try SHA256.hash([]).hexString
            == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let message = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        var hasher = try SHA256.Hasher()
        for piece in stride(from: 0, to: message.count, by: 7) {
            try hasher.update(Array(message[piece..<min(piece + 7, message.count)]))
        }
        #expect(try hasher.finalize().hexString == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func scryptMatchesTheRFC7914Vector() throws {
        let key = try Scrypt.deriveKey(passphrase: "password", salt: Array("NaCl".utf8),
                                       parameters: ScryptParameters(n: 1024, r: 8, p: 16), length: 64)
        let hex = key.withUnsafeBytes { Array($0) }.hexString
        #expect(hex == "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
            + "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640")
    }

    @Test func scryptRefusesParametersThatWouldExhaustMemory() {
        let error = #expect(throws: CryptoError.self) {
            try Scrypt.deriveKey(passphrase: "x", salt: [1], parameters: ScryptParameters(n: 1 << 24, r: 8, p: 1), length: 32)
        }
        #expect(error?.code == .invalidInput)
        #expect(error?.message.contains("out of bounds") == true)
        #expect(ScryptParameters.standard.isWithinBounds)
        #expect(!ScryptParameters(n: 1000, r: 8, p: 1).isWithinBounds)   // not a power of two
    }

    @Test func anOpenSSLFailureBecomesACryptoErrorCarryingItsErrorStack() {
        // scrypt with a 1-byte memory limit fails inside OpenSSL and leaves a reason on the queue.
        let error = #expect(throws: CryptoError.self) {
            try osslCheck("EVP_PBE_scrypt") {
                var out = [UInt8](repeating: 0, count: 32)
                return EVP_PBE_scrypt("pw", 2, [1, 2], 2, 1 << 20, 8, 1, 1, &out, 32)
            }
        }
        #expect(error?.code == .crypto)
        #expect(error?.message.hasPrefix("EVP_PBE_scrypt failed: ") == true)
        #expect(error?.message.contains("no detail") == false)
    }

    @Test func sha256HexOfATextIsTheLowerCaseDigestOfItsUTF8Bytes() throws {
        // What Desk stores for session ids and tokens: must never change, or every stored digest breaks.
        #expect(try SHA256.hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(try SHA256.hex("café") == (try SHA256.hash([0x63, 0x61, 0x66, 0xC3, 0xA9])).hexString)
    }

    @Test func theStreamingBufferFormOfAESGCMOpensWhatTheBoxFormSealed() throws {
        let key = try SecretBytes(randomCount: AESGCM.keySize)
        let plaintext = Array("a backup chunk".utf8), aad = Array("chunk 0".utf8)
        let box = try AESGCM.seal(plaintext, key: key, aad: aad)
        var opened = [UInt8](repeating: 0, count: plaintext.count)
        let failure: CryptoError? = box.ciphertext.withUnsafeBytes { input in
            box.tag.withUnsafeBytes { tag in
                aad.withUnsafeBytes { aad in
                    opened.withUnsafeMutableBytes { output in
                        do throws(CryptoError) {
                            try AESGCM.open(input, into: output, tag: tag, nonce: box.nonce, key: key, aad: aad)
                            return nil
                        } catch { return error }
                    }
                }
            }
        }
        #expect(failure == nil)
        #expect(opened == plaintext)
    }

    @Test func aShortNonceOrTagIsAnAuthenticationFailureNotACrash() throws {
        let key = try SecretBytes(randomCount: 32)
        var box = try AESGCM.seal([1, 2, 3], key: key, aad: [])
        box.tag.removeLast()
        let error = #expect(throws: CryptoError.self) { try AESGCM.open(box, key: key, aad: []) }
        #expect(error?.code == .authenticationFailed)
    }

    @Test func wipeZeroesTheArrayInPlace() {
        var bytes: [UInt8] = [1, 2, 3, 4]
        SecretBytes.wipe(&bytes)
        #expect(bytes == [0, 0, 0, 0])
    }

    @Test func hexRoundTripsAndRejectsNonHex() {
        #expect([UInt8](hexString: "00ff10Ab") == [0, 255, 16, 171])
        #expect([0, 255, 16, 171].hexString == "00ff10ab")
        #expect([UInt8](hexString: "abc") == nil)
        #expect([UInt8](hexString: "zz") == nil)
    }
}
