import COpenSSL

/// Key material in memory we own: never copied into Swift arrays, wiped with `OPENSSL_cleanse`
/// when the last reference goes. Immutable after creation, hence Sendable.
final class SecretBytes: @unchecked Sendable {
    private let storage: UnsafeMutableRawBufferPointer

    var count: Int { storage.count }

    /// `count` bytes from the OpenSSL CSPRNG.
    convenience init(randomCount count: Int) throws(VaultError) {
        try self.init(count: count) { (buffer) throws(VaultError) in try SecureRandom.fill(buffer) }
    }

    /// A copy of `bytes`. The caller wipes its own copy.
    init(copying bytes: UnsafeRawBufferPointer) {
        storage = .allocate(byteCount: bytes.count, alignment: 16)
        storage.copyMemory(from: bytes)
    }

    /// Fills a new buffer of `count` bytes with `body`; wiped if `body` throws.
    init<E: Error>(count: Int, filling body: (UnsafeMutableRawBufferPointer) throws(E) -> Void) throws(E) {
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

    func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(storage))
    }

    /// A slice as new key material (for splitting one KDF output into two keys).
    func subrange(_ range: Range<Int>) -> SecretBytes {
        SecretBytes(copying: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(storage)[range]))
    }

    /// Compares in time independent of the contents (CRYPTO_memcmp).
    func isEqual(to other: SecretBytes) -> Bool {
        guard count == other.count else { return false }
        return withUnsafeBytes { a in other.withUnsafeBytes { b in ConstantTime.equal(a, b) } }
    }
}

/// The OpenSSL CSPRNG.
enum SecureRandom {
    static func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(VaultError) {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        try osslCheck("RAND_bytes") { RAND_bytes(base.assumingMemoryBound(to: UInt8.self), Int32(buffer.count)) }
    }

    /// `count` random bytes for nonces and salts (not for keys: use `SecretBytes(randomCount:)`).
    static func bytes(_ count: Int) throws(VaultError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var failure: VaultError?
        out.withUnsafeMutableBytes { buffer in
            do throws(VaultError) { try fill(buffer) } catch { failure = error }
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
