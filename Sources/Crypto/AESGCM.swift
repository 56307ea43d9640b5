import COpenSSL

/// Owns one `EVP_CIPHER_CTX`, freed when the value ends. Not copyable, so the context is never
/// freed twice or used after free.
struct CipherContext: ~Copyable {
    let handle: OpaquePointer

    init() throws(CryptoError) {
        ERR_clear_error()
        guard let handle = EVP_CIPHER_CTX_new() else { throw CryptoError(openSSL: "EVP_CIPHER_CTX_new") }
        self.handle = handle
    }

    deinit { EVP_CIPHER_CTX_free(handle) }
}

/// AES-256-GCM with a 96-bit nonce and a 128-bit tag (NIST SP 800-38D; reliability.md A5.7).
public enum AESGCM {
    /// Key length in bytes (AES-256).
    public static let keySize = 32
    /// Nonce length in bytes (96 bits, the size GCM is designed for).
    public static let nonceSize = 12
    /// Tag length in bytes (128 bits).
    public static let tagSize = 16

    /// A sealed message: nonce, ciphertext (same length as the plaintext) and tag.
    public struct Box: Sendable, Equatable {
        public var nonce: [UInt8]
        public var ciphertext: [UInt8]
        public var tag: [UInt8]

        public init(nonce: [UInt8], ciphertext: [UInt8], tag: [UInt8]) {
            self.nonce = nonce
            self.ciphertext = ciphertext
            self.tag = tag
        }
    }

    /// Encrypts `plaintext` under `key` (``keySize`` bytes) with a fresh random nonce,
    /// authenticating `aad` too.
    ///
    /// - Throws: `CryptoError` — `.crypto` if OpenSSL fails.
    public static func seal(_ plaintext: [UInt8], key: SecretBytes, aad: [UInt8]) throws(CryptoError) -> Box {
        var box = Box(nonce: try SecureRandom.bytes(nonceSize),
                      ciphertext: [UInt8](repeating: 0, count: plaintext.count),
                      tag: [UInt8](repeating: 0, count: tagSize))
        var failure: CryptoError?
        plaintext.withUnsafeBytes { input in
            aad.withUnsafeBytes { aad in
                box.ciphertext.withUnsafeMutableBytes { output in
                    box.tag.withUnsafeMutableBytes { tag in
                        do throws(CryptoError) {
                            try seal(input, into: output, tag: tag, nonce: box.nonce, key: key, aad: aad)
                        } catch { failure = error }
                    }
                }
            }
        }
        if let failure { throw failure }
        return box
    }

    /// Decrypts and verifies `box`.
    ///
    /// - Throws: `CryptoError` — `.authenticationFailed` if the nonce, ciphertext, tag or `aad`
    ///   changed or `key` is not the sealing key; `.crypto` if OpenSSL fails.
    public static func open(_ box: Box, key: SecretBytes, aad: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard box.nonce.count == nonceSize, box.tag.count == tagSize else {
            throw CryptoError(.authenticationFailed, "a sealed value has a nonce or tag of the wrong length")
        }
        var plaintext = [UInt8](repeating: 0, count: box.ciphertext.count)
        var failure: CryptoError?
        box.ciphertext.withUnsafeBytes { input in
            aad.withUnsafeBytes { aad in
                box.tag.withUnsafeBytes { tag in
                    plaintext.withUnsafeMutableBytes { output in
                        do throws(CryptoError) {
                            try open(input, into: output, tag: tag, nonce: box.nonce, key: key, aad: aad)
                        } catch { failure = error }
                    }
                }
            }
        }
        if let failure {
            plaintext.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) }
            throw failure
        }
        return plaintext
    }

    /// Buffer form for streaming (backup chunks): seals `input` into `output` (at least as long)
    /// and writes the tag into `tag` (``tagSize`` bytes). The caller supplies a fresh `nonce`
    /// (``nonceSize`` bytes from ``SecureRandom``); a nonce must never repeat under one key.
    ///
    /// - Throws: `CryptoError` — `.crypto` if OpenSSL fails.
    public static func seal(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                     tag: UnsafeMutableRawBufferPointer, nonce: [UInt8], key: SecretBytes,
                     aad: UnsafeRawBufferPointer) throws(CryptoError) {
        precondition(output.count >= input.count && tag.count == tagSize && nonce.count == nonceSize)
        let ctx = try CipherContext()
        try start(ctx, encrypt: true, nonce: nonce, key: key)
        var produced: Int32 = 0
        if aad.count > 0 {
            try osslCheck("EVP_EncryptUpdate(aad)") {
                EVP_EncryptUpdate(ctx.handle, nil, &produced, bytes(aad), Int32(aad.count))
            }
        }
        if input.count > 0 {
            try osslCheck("EVP_EncryptUpdate") {
                EVP_EncryptUpdate(ctx.handle, mutableBytes(output), &produced, bytes(input), Int32(input.count))
            }
        }
        var tail: Int32 = 0
        var scratch = [UInt8](repeating: 0, count: 32)   // GCM emits nothing here; never write past output
        try osslCheck("EVP_EncryptFinal_ex") { EVP_EncryptFinal_ex(ctx.handle, &scratch, &tail) }
        try osslCheck("EVP_CIPHER_CTX_ctrl(GET_TAG)") {
            EVP_CIPHER_CTX_ctrl(ctx.handle, EVP_CTRL_AEAD_GET_TAG, Int32(tagSize), tag.baseAddress) == 1 ? 1 : 0
        }
    }

    /// Buffer form of `open`. On `.authenticationFailed` the output holds unverified bytes the
    /// caller must discard.
    ///
    /// - Throws: `CryptoError` — `.authenticationFailed`, or `.crypto` if OpenSSL fails.
    public static func open(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                     tag: UnsafeRawBufferPointer, nonce: [UInt8], key: SecretBytes,
                     aad: UnsafeRawBufferPointer) throws(CryptoError) {
        precondition(output.count >= input.count && tag.count == tagSize && nonce.count == nonceSize)
        let ctx = try CipherContext()
        try start(ctx, encrypt: false, nonce: nonce, key: key)
        var produced: Int32 = 0
        if aad.count > 0 {
            try osslCheck("EVP_DecryptUpdate(aad)") {
                EVP_DecryptUpdate(ctx.handle, nil, &produced, bytes(aad), Int32(aad.count))
            }
        }
        if input.count > 0 {
            try osslCheck("EVP_DecryptUpdate") {
                EVP_DecryptUpdate(ctx.handle, mutableBytes(output), &produced, bytes(input), Int32(input.count))
            }
        }
        try osslCheck("EVP_CIPHER_CTX_ctrl(SET_TAG)") {
            EVP_CIPHER_CTX_ctrl(ctx.handle, EVP_CTRL_AEAD_SET_TAG, Int32(tagSize),
                                UnsafeMutableRawPointer(mutating: tag.baseAddress)) == 1 ? 1 : 0
        }
        var tail: Int32 = 0
        var scratch = [UInt8](repeating: 0, count: 32)
        ERR_clear_error()
        // EVP_DecryptFinal_ex <= 0 is an authentication failure, not a library fault (A5.7).
        guard EVP_DecryptFinal_ex(ctx.handle, &scratch, &tail) > 0 else {
            ERR_clear_error()
            throw CryptoError(.authenticationFailed, "AES-GCM tag did not verify")
        }
    }

    private static func start(_ ctx: borrowing CipherContext, encrypt: Bool, nonce: [UInt8],
                              key: SecretBytes) throws(CryptoError) {
        precondition(key.count == keySize)
        let initialise = encrypt ? EVP_EncryptInit_ex : EVP_DecryptInit_ex
        try osslCheck("EVP_CipherInit_ex(aes-256-gcm)") { initialise(ctx.handle, EVP_aes_256_gcm(), nil, nil, nil) }
        // Typed throws do not pass through Array.withUnsafeBytes: compute rc inside, throw outside.
        let rc = key.withUnsafeBytes { key in
            nonce.withUnsafeBytes { iv in
                initialise(ctx.handle, nil, nil, key.baseAddress?.assumingMemoryBound(to: UInt8.self),
                           iv.baseAddress?.assumingMemoryBound(to: UInt8.self))
            }
        }
        try osslCheck("EVP_CipherInit_ex(key, iv)") { rc }
    }
}
