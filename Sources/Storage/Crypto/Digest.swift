import COpenSSL

/// Streaming SHA-256 over an owned `EVP_MD_CTX` (for backup payloads too large to hold).
public struct SHA256Hasher: ~Copyable {
    private let handle: OpaquePointer

    public static let digestSize = 32

    public init() throws(VaultError) {
        ERR_clear_error()
        guard let handle = EVP_MD_CTX_new() else { throw VaultError(openSSL: "EVP_MD_CTX_new") }
        guard EVP_DigestInit_ex(handle, EVP_sha256(), nil) == 1 else {
            let error = VaultError(openSSL: "EVP_DigestInit_ex(sha256)")
            EVP_MD_CTX_free(handle)
            throw error
        }
        self.handle = handle
    }

    deinit { EVP_MD_CTX_free(handle) }

    public mutating func update(_ buffer: UnsafeRawBufferPointer) throws(VaultError) {
        guard buffer.count > 0 else { return }
        try osslCheck("EVP_DigestUpdate") { EVP_DigestUpdate(handle, buffer.baseAddress, buffer.count) }
    }

    public mutating func update(_ bytes: [UInt8]) throws(VaultError) {
        var failure: VaultError?
        bytes.withUnsafeBytes { buffer in
            do throws(VaultError) { try update(buffer) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// The digest of everything passed to `update`.
    public consuming func finalize() throws(VaultError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Self.digestSize)
        var length: UInt32 = 0
        try osslCheck("EVP_DigestFinal_ex") { EVP_DigestFinal_ex(handle, &out, &length) }
        return out
    }

    /// SHA-256 of `bytes` in one call.
    public static func hash(_ bytes: [UInt8]) throws(VaultError) -> [UInt8] {
        var hasher = try SHA256Hasher()
        try hasher.update(bytes)
        return try hasher.finalize()
    }
}

/// HMAC-SHA256, for key fingerprints and key checks.
enum HMACSHA256 {
    static func authenticate(_ message: [UInt8], key: SecretBytes) throws(VaultError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        ERR_clear_error()
        let ok = key.withUnsafeBytes { key in
            message.withUnsafeBytes { message in
                HMAC(EVP_sha256(), key.baseAddress, Int32(key.count), bytes(message), message.count,
                     &out, &length) != nil
            }
        }
        guard ok, length == 32 else { throw VaultError(openSSL: "HMAC(sha256)") }
        return out
    }
}

extension Array where Element == UInt8 {
    /// Lower-case hexadecimal.
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(count * 2)
        for byte in self { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 0xF)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses lower- or upper-case hexadecimal; nil on odd length or a non-hex character.
    init?(hexString: String) {
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
