import AtendeCrypto
public import Foundation

/// A backup file: one file holding a copy of the LMDB data file and a JSON header describing it.
///
/// Layout (all integers big-endian):
///
///     "ATENDEBK"                  8 bytes, magic
///     format version              UInt16 (1)
///     header length               UInt32
///     header                      JSON (`BackupFile.Header`)
///     payload                     plain: exactly `payloadLength` bytes
///                                 encrypted: chunks of nonce(12) ‖ ciphertext ‖ tag(16)
///     trailer                     SHA-256 of every byte before it (32 bytes)
///
/// Encrypted chunks are AES-256-GCM under a key derived with scrypt from a passphrase. Every
/// chunk holds `chunkSize` plaintext bytes except the last (an empty payload is one empty chunk).
/// Chunk AAD = SHA-256(magic ‖ version ‖ length ‖ header) ‖ index (UInt64) ‖ is-last (1 byte), so
/// a reordered, dropped, duplicated or moved chunk, a truncated file, or a header taken from
/// another backup fails authentication. The header's SHA-256 of the plaintext payload is checked
/// too, in both modes, and the trailer covers every byte, so a plain backup's header cannot change
/// unnoticed either. The master key is never in a backup.
public final class BackupFile: @unchecked Sendable {
    public static let magic: [UInt8] = Array("ATENDEBK".utf8)
    /// The format version this build writes and reads.
    public static let formatVersion: UInt16 = 1
    public static let defaultChunkSize = 1 << 20
    /// Chunk sizes a writer may choose and a reader accepts.
    public static let chunkSizeRange = 1024...(16 << 20)
    static let prefixSize = 8 + 2 + 4
    static let maxHeaderSize = 1 << 20
    static let chunkOverhead = AESGCM.nonceSize + AESGCM.tagSize
    static let trailerSize = 32
    static let encryptedScheme = "scrypt-aes-256-gcm"

    /// What a backup says about itself. Readable without the passphrase.
    public struct Header: Codable, Sendable, Equatable {
        public var formatVersion: Int
        /// The `atende` version that wrote the backup.
        public var appVersion: String
        /// When the backup was written (ISO 8601, UTC, in the file).
        public var createdAt: Date
        /// Length of the plaintext payload in bytes.
        public var payloadLength: UInt64
        /// SHA-256 of the plaintext payload, lower-case hex.
        public var payloadSHA256: String
        /// What the caller says is inside: collection name → document count.
        public var contents: [String: Int]?
        public var encryption: Encryption

        enum CodingKeys: String, CodingKey {
            case formatVersion = "format_version", appVersion = "app_version", createdAt = "created_at"
            case payloadLength = "payload_length", payloadSHA256 = "payload_sha256", contents, encryption
        }

        public var isEncrypted: Bool { encryption.scheme != "none" }
    }

    /// How the payload is protected: `scheme` is "none" or "scrypt-aes-256-gcm".
    public struct Encryption: Codable, Sendable, Equatable {
        public var scheme: String
        public var kdf: KDF?
        public var chunkSize: Int?
        /// HMAC-SHA256 under the second half of the scrypt output: tells a wrong passphrase from
        /// a corrupted file before any chunk is read.
        public var keyCheck: String?

        enum CodingKeys: String, CodingKey { case scheme, kdf, chunkSize = "chunk_size", keyCheck = "key_check" }

        public static let none = Encryption(scheme: "none")
    }

    /// scrypt's parameters and salt (base64 in the file).
    public struct KDF: Codable, Sendable, Equatable {
        public var name: String
        public var n: UInt64
        public var r: UInt64
        public var p: UInt64
        public var salt: Data

        var parameters: ScryptParameters { ScryptParameters(n: n, r: r, p: p) }
    }

    /// How a writer protects the payload.
    public enum Protection: Sendable {
        case none
        /// scrypt(passphrase) → AES-256-GCM chunks.
        case passphrase(String, ScryptParameters = .standard)
    }

    /// The file's path.
    public let path: String
    /// The decoded header.
    public let header: Header
    let file: ReaderFile
    let payloadOffset: Int
    let headerDigest: [UInt8]
    /// Magic, version, length and header JSON: the start of the trailer's digest.
    let prefixBytes: [UInt8]
    let key: SecretBytes?

    init(path: String, header: Header, file: ReaderFile, payloadOffset: Int, prefixBytes: [UInt8],
         headerDigest: [UInt8], key: SecretBytes?) {
        self.prefixBytes = prefixBytes
        self.path = path
        self.header = header
        self.file = file
        self.payloadOffset = payloadOffset
        self.headerDigest = headerDigest
        self.key = key
    }

    // MARK: Shared by reader and writer

    static func chunkCount(payloadLength: UInt64, chunkSize: Int) -> UInt64 {
        payloadLength == 0 ? 1 : (payloadLength + UInt64(chunkSize) - 1) / UInt64(chunkSize)
    }

    /// The size of the payload section and the trailer for `header`.
    static func bodySize(_ header: Header) -> UInt64 {
        guard header.isEncrypted, let chunkSize = header.encryption.chunkSize else {
            return header.payloadLength + UInt64(trailerSize)
        }
        return header.payloadLength + UInt64(trailerSize) + chunkCount(payloadLength: header.payloadLength, chunkSize: chunkSize)
            * UInt64(chunkOverhead)
    }

    /// The associated data of chunk `index`.
    static func chunkAAD(headerDigest: [UInt8], index: UInt64, isLast: Bool) -> [UInt8] {
        headerDigest + withUnsafeBytes(of: index.bigEndian) { Array($0) } + [isLast ? 1 : 0]
    }

    static func keyCheck(_ checkKey: SecretBytes) throws(CryptoError) -> String {
        try HMAC.sha256(key: checkKey, message: Array("atende.backup.keycheck".utf8)).hexString
    }

    /// Encryption key and key-check key from one scrypt run.
    static func deriveKeys(_ passphrase: String, kdf: KDF) throws(CryptoError) -> (key: SecretBytes, check: SecretBytes) {
        let both = try Scrypt.deriveKey(passphrase: passphrase, salt: Array(kdf.salt), parameters: kdf.parameters,
                                        length: 64)
        return (both.subrange(0..<32), both.subrange(32..<64))
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}

/// The open backup file a `BackupFile` reads from; closed with it.
final class ReaderFile: @unchecked Sendable {
    let descriptor: Int32
    let path: String
    let size: UInt64

    init(path: String) throws(VaultError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw CryptoFile.failure("open", path) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let error = CryptoFile.failure("fstat", path)
            close(fd)
            throw error
        }
        descriptor = fd
        self.path = path
        size = UInt64(info.st_size)
    }

    deinit { close(descriptor) }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(VaultError) -> Int {
        try CryptoFile.read(descriptor, into: buffer, at: offset, path: path)
    }
}
