import COpenSSL

/// Key material in memory we own: never copied into Swift arrays, wiped with `OPENSSL_cleanse`
/// when the last reference goes. Immutable after creation, hence Sendable.
public final class SecretBytes: @unchecked Sendable {
    private let storage: UnsafeMutableRawBufferPointer

    /// Length in bytes.
    public var count: Int { storage.count }

    /// `count` bytes from the OpenSSL CSPRNG.
    public convenience init(randomCount count: Int) throws(CryptoError) {
        try self.init(count: count) { (buffer) throws(CryptoError) in try SecureRandom.fill(buffer) }
    }

    /// A copy of `bytes`. The caller wipes its own copy.
    public init(copying bytes: UnsafeRawBufferPointer) {
        storage = .allocate(byteCount: bytes.count, alignment: 16)
        storage.copyMemory(from: bytes)
    }

    /// Fills a new buffer of `count` bytes (zeroed first) with `body`; wiped if `body` throws.
    public init<E: Error>(count: Int, filling body: (UnsafeMutableRawBufferPointer) throws(E) -> Void) throws(E) {
        // Filled before it becomes `storage`: a throw after full initialisation would run deinit,
        // which frees `storage` too.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 16)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        do {
            try body(buffer)
        } catch {
            OPENSSL_cleanse(buffer.baseAddress, buffer.count)
            buffer.deallocate()
            throw error
        }
        storage = buffer
    }

    deinit {
        OPENSSL_cleanse(storage.baseAddress, storage.count)
        storage.deallocate()
    }

    /// Lends the bytes to `body`; do not let them escape it.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(storage))
    }

    /// A slice as new key material (for splitting one KDF output into two keys).
    public func subrange(_ range: Range<Int>) -> SecretBytes {
        SecretBytes(copying: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(storage)[range]))
    }

    /// Compares in time independent of the contents (CRYPTO_memcmp).
    public func isEqual(to other: SecretBytes) -> Bool {
        guard count == other.count else { return false }
        return withUnsafeBytes { a in other.withUnsafeBytes { b in ConstantTime.equal(a, b) } }
    }
}

extension SecretBytes {
    /// Overwrites `bytes` with zeros in a way the optimiser cannot drop (`OPENSSL_cleanse`), for
    /// plaintext that had to live in an array for a while. Wipes the array's own buffer: call it
    /// on the only copy.
    public static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) }
    }
}

/// The OpenSSL CSPRNG.
public enum SecureRandom {
    /// Fills `buffer` with random bytes.
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        try osslCheck("RAND_bytes") { RAND_bytes(base.assumingMemoryBound(to: UInt8.self), Int32(buffer.count)) }
    }

    /// `count` random bytes for nonces and salts (not for keys: use `SecretBytes(randomCount:)`).
    public static func bytes(_ count: Int) throws(CryptoError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var failure: CryptoError?
        out.withUnsafeMutableBytes { buffer in
            do throws(CryptoError) { try fill(buffer) } catch { failure = error }
        }
        if let failure { throw failure }
        return out
    }
}

/// Comparison whose time depends only on the length (reliability.md A5.8).
public enum ConstantTime {
    /// Whether `a` and `b` hold the same bytes; different lengths are unequal at once.
    public static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard a.count > 0 else { return true }
        return CRYPTO_memcmp(a.baseAddress, b.baseAddress, a.count) == 0
    }

    /// Whether two byte arrays are equal, compared in constant time.
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBytes { a in b.withUnsafeBytes { b in equal(a, b) } }
    }
}
