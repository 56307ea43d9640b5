import COpenSSL

/// HMAC (RFC 2104) over libcrypto's one-shot `HMAC()`.
///
/// SHA-256 serves our own key fingerprints and key checks and Meta's `X-Hub-Signature-256`
/// (hex of HMAC-SHA256 over the raw body, keyed with the app secret). SHA-1 is here only because
/// Twilio's `X-Twilio-Signature` is base64 of HMAC-SHA1; do not use it for anything new.
/// Compare a received MAC with ``ConstantTime``, never `==`.
public enum HMAC {
    /// HMAC-SHA256 of `message` under `key` (32 bytes).
    ///
    /// - Throws: `CryptoError(.crypto)` if OpenSSL fails.
    public static func sha256(key: SecretBytes, message: [UInt8]) throws(CryptoError) -> [UInt8] {
        try key.withUnsafeBytes { (key) throws(CryptoError) in try mac(.sha256, key: key, message: message) }
    }

    /// HMAC-SHA256 of `message` under `key` (32 bytes). Any key length works, empty included.
    public static func sha256(key: [UInt8], message: [UInt8]) throws(CryptoError) -> [UInt8] {
        // Typed throws do not pass through Array.withUnsafeBytes: carry the result out instead.
        try key.withUnsafeBytes { key in Result { () throws(CryptoError) in try mac(.sha256, key: key, message: message) } }.get()
    }

    /// HMAC-SHA1 of `message` under `key` (20 bytes), for Twilio's request signatures only.
    public static func sha1(key: SecretBytes, message: [UInt8]) throws(CryptoError) -> [UInt8] {
        try key.withUnsafeBytes { (key) throws(CryptoError) in try mac(.sha1, key: key, message: message) }
    }

    /// HMAC-SHA1 of `message` under `key` (20 bytes), for Twilio's request signatures only.
    public static func sha1(key: [UInt8], message: [UInt8]) throws(CryptoError) -> [UInt8] {
        try key.withUnsafeBytes { key in Result { () throws(CryptoError) in try mac(.sha1, key: key, message: message) } }.get()
    }

    private enum Algorithm {
        case sha256, sha1
        var name: StaticString { self == .sha256 ? "HMAC(sha256)" : "HMAC(sha1)" }
        var size: Int { self == .sha256 ? 32 : 20 }
        var md: OpaquePointer? { self == .sha256 ? EVP_sha256() : EVP_sha1() }
    }

    private static func mac(_ algorithm: Algorithm, key: UnsafeRawBufferPointer,
                            message: [UInt8]) throws(CryptoError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        // An empty array may have no base address, and HMAC() reads a NULL key as "no key given";
        // point at a byte instead so an empty key means the empty key (RFC 2104 pads it with zeros).
        var zero: UInt8 = 0
        ERR_clear_error()
        let ok = withUnsafeMutablePointer(to: &zero) { zero in
            message.withUnsafeBytes { message in
                COpenSSL.HMAC(algorithm.md, key.baseAddress ?? UnsafeRawPointer(zero), Int32(key.count),
                     bytes(message) ?? UnsafePointer(zero), message.count, &out, &length) != nil
            }
        }
        guard ok, Int(length) == algorithm.size else { throw CryptoError(openSSL: algorithm.name) }
        return Array(out.prefix(algorithm.size))
    }
}
