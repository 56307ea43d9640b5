import COpenSSL

/// scrypt cost parameters (RFC 7914), stored in a backup header so a reader derives the same key.
public struct ScryptParameters: Codable, Sendable, Equatable {
    /// CPU/memory cost; a power of two.
    public var n: UInt64
    /// Block size.
    public var r: UInt64
    /// Parallelism.
    public var p: UInt64

    public init(n: UInt64, r: UInt64, p: UInt64) {
        self.n = n
        self.r = r
        self.p = p
    }

    /// OWASP's scrypt setting (reliability.md A5.2): N=2^17, r=8, p=1 — 128 MiB, well under a
    /// second on a small VPS. Backups are rare, so we take the strong end.
    public static let standard = ScryptParameters(n: 1 << 17, r: 8, p: 1)

    /// Memory scrypt needs, in bytes (128·r·N for V, plus 128·r·p for B).
    public var memoryBytes: UInt64 { 128 * r * (n + p + 2) }

    /// Whether a reader should run these at all: a crafted header must not make us allocate
    /// gigabytes. Accepts 2^10 ≤ N ≤ 2^20, r ≤ 32, p ≤ 16, at most 512 MiB.
    public var isWithinBounds: Bool {
        n >= 1 << 10 && n <= 1 << 20 && n & (n - 1) == 0 && (1...32).contains(r) && (1...16).contains(p)
            && memoryBytes <= 512 << 20
    }
}

/// Password-based key derivation (RFC 7914, over EVP_PBE_scrypt).
public enum Scrypt {
    /// `length` bytes derived from `passphrase` (its UTF-8 bytes) and `salt`.
    ///
    /// - Throws: `CryptoError` — `.invalidInput` if `parameters` are not ``ScryptParameters/isWithinBounds``
    ///   (checked before anything is allocated); `.crypto` if OpenSSL fails.
    public static func deriveKey(passphrase: String, salt: [UInt8], parameters: ScryptParameters,
                          length: Int) throws(CryptoError) -> SecretBytes {
        guard parameters.isWithinBounds else {
            throw CryptoError(.invalidInput, "scrypt parameters N=\(parameters.n) r=\(parameters.r) p=\(parameters.p) are out of bounds")
        }
        var password = Array(passphrase.utf8)
        defer { password.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) } }
        let maxMemory = parameters.memoryBytes + (1 << 20)
        return try SecretBytes(count: length) { (out) throws(CryptoError) in
            try osslCheck("EVP_PBE_scrypt") {
                password.withUnsafeBytes { pass in
                    salt.withUnsafeBytes { salt in
                        EVP_PBE_scrypt(pass.baseAddress?.assumingMemoryBound(to: CChar.self), pass.count,
                                       bytes(salt), salt.count, parameters.n, parameters.r, parameters.p,
                                       maxMemory, mutableBytes(out), out.count)
                    }
                }
            }
        }
    }
}
