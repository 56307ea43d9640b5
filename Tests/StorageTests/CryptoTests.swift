import COpenSSL
@testable import Storage
import Testing

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
        #expect(throws: VaultError.self) { try AESGCM.open(tampered, key: key, aad: []) }
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
            let error = #expect(throws: VaultError.self) { try AESGCM.open(b, key: key, aad: a) }
            #expect(error?.code == .authenticationFailed)
        }
    }

    @Test func aesGCMRejectsTheWrongKey() throws {
        let box = try AESGCM.seal([1, 2, 3], key: try SecretBytes(randomCount: 32), aad: [])
        let error = #expect(throws: VaultError.self) {
            try AESGCM.open(box, key: try SecretBytes(randomCount: 32), aad: [])
        }
        #expect(error?.code == .authenticationFailed)
    }

    @Test func sha256MatchesTheFIPSVectorsWhetherFedAtOnceOrInPieces() throws {
        #expect(try SHA256Hasher.hash(Array("abc".utf8)).hexString
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(try SHA256Hasher.hash([]).hexString
            == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let message = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        var hasher = try SHA256Hasher()
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
        let error = #expect(throws: VaultError.self) {
            try Scrypt.deriveKey(passphrase: "x", salt: [1], parameters: ScryptParameters(n: 1 << 24, r: 8, p: 1), length: 32)
        }
        #expect(error?.message.contains("out of bounds") == true)
        #expect(ScryptParameters.standard.isWithinBounds)
        #expect(!ScryptParameters(n: 1000, r: 8, p: 1).isWithinBounds)   // not a power of two
    }

    @Test func hmacSHA256MatchesTheRFC4231Vector() throws {
        let key = SecretBytes(copying: UnsafeRawBufferPointer(start: [UInt8](repeating: 0x0b, count: 20), count: 20))
        let mac = try HMACSHA256.authenticate(Array("Hi There".utf8), key: key)
        #expect(mac.hexString == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    @Test func constantTimeCompareTellsEqualFromDifferentBytesAndLengths() throws {
        #expect(ConstantTime.equal([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2]))
        #expect(ConstantTime.equal([], []))
        let a = try SecretBytes(randomCount: 32)
        #expect(a.isEqual(to: a.subrange(0..<32)))
        #expect(!a.isEqual(to: try SecretBytes(randomCount: 32)))
    }

    @Test func anOpenSSLFailureBecomesACryptoErrorCarryingItsErrorStack() {
        // scrypt with a 1-byte memory limit fails inside OpenSSL and leaves a reason on the queue.
        let error = #expect(throws: VaultError.self) {
            try osslCheck("EVP_PBE_scrypt") {
                var out = [UInt8](repeating: 0, count: 32)
                return EVP_PBE_scrypt("pw", 2, [1, 2], 2, 1 << 20, 8, 1, 1, &out, 32)
            }
        }
        #expect(error?.code == .crypto)
        #expect(error?.message.hasPrefix("EVP_PBE_scrypt failed: ") == true)
        #expect(error?.message.contains("no detail") == false)
    }

    @Test func hexRoundTripsAndRejectsNonHex() {
        #expect([UInt8](hexString: "00ff10Ab") == [0, 255, 16, 171])
        #expect([0, 255, 16, 171].hexString == "00ff10ab")
        #expect([UInt8](hexString: "abc") == nil)
        #expect([UInt8](hexString: "zz") == nil)
    }
}
