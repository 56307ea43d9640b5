import COpenSSL

/// SHA-256 (FIPS 180-4): one-shot ``hash(_:)`` and the streaming ``Hasher``.
public enum SHA256 {
    /// Digest length in bytes.
    public static let digestSize = 32

    /// SHA-256 of `bytes` in one call.
    ///
    /// - Throws: `CryptoError(.crypto)` only if libcrypto cannot allocate or initialise.
    public static func hash(_ bytes: [UInt8]) throws(CryptoError) -> [UInt8] {
        var hasher = try Hasher()
        try hasher.update(bytes)
        return try hasher.finalize()
    }

    /// SHA-256 of the UTF-8 bytes of `text`, as lower-case hex (what Desk stores for session ids
    /// and tokens).
    public static func hex(_ text: String) throws(CryptoError) -> String {
        try hash(Array(text.utf8)).hexString
    }

    /// Streaming SHA-256 over an owned `EVP_MD_CTX`, for payloads too large to hold (backups).
    /// Not copyable, so the context is freed exactly once.
    public struct Hasher: ~Copyable {
        private let handle: OpaquePointer

        /// A hasher with nothing fed yet.
        public init() throws(CryptoError) {
            ERR_clear_error()
            guard let handle = EVP_MD_CTX_new() else { throw CryptoError(openSSL: "EVP_MD_CTX_new") }
            guard EVP_DigestInit_ex(handle, EVP_sha256(), nil) == 1 else {
                let error = CryptoError(openSSL: "EVP_DigestInit_ex(sha256)")
                EVP_MD_CTX_free(handle)
                throw error
            }
            self.handle = handle
        }

        deinit { EVP_MD_CTX_free(handle) }

        /// Feeds `buffer`.
        public mutating func update(_ buffer: UnsafeRawBufferPointer) throws(CryptoError) {
            guard buffer.count > 0 else { return }
            try osslCheck("EVP_DigestUpdate") { EVP_DigestUpdate(handle, buffer.baseAddress, buffer.count) }
        }

        /// Feeds `bytes`.
        public mutating func update(_ bytes: [UInt8]) throws(CryptoError) {
            var failure: CryptoError?
            bytes.withUnsafeBytes { buffer in
                do throws(CryptoError) { try update(buffer) } catch { failure = error }
            }
            if let failure { throw failure }
        }

        /// The digest of everything passed to `update`; ends the hasher.
        public consuming func finalize() throws(CryptoError) -> [UInt8] {
            var out = [UInt8](repeating: 0, count: SHA256.digestSize)
            var length: UInt32 = 0
            try osslCheck("EVP_DigestFinal_ex") { EVP_DigestFinal_ex(handle, &out, &length) }
            return out
        }
    }
}

extension Array where Element == UInt8 {
    /// The bytes as lower-case hexadecimal (digests, MACs, fingerprints).
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(count * 2)
        for byte in self { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 0xF)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses lower- or upper-case hexadecimal; nil on odd length or a non-hex character.
    public init?(hexString: String) {
        let text = Array(hexString.utf8)
        guard text.count % 2 == 0 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: c - 48
            case 97...102: c - 87
            case 65...70: c - 55
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 2)
        var i = 0
        while i < text.count {
            guard let hi = nibble(text[i]), let lo = nibble(text[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        self = out
    }
}
