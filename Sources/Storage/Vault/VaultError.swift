import AtendeCrypto

/// An error from the vault, its key files or the primitives under it. Compare `code`; show `message` to people.
/// `message` never contains key material or secret values.
public struct VaultError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Hashable, Sendable {
            case invalidName = "invalid_name", notFound = "not_found"
            case keyMissing = "key_missing", keyPermissions = "key_permissions", keyInvalid = "key_invalid"
            case wrongMasterKey = "wrong_master_key", authenticationFailed = "authentication_failed"
            case corrupted, crypto, io, storage
        }
        private let value: Value
        /// A secret name is empty, too long, or has characters outside `[A-Za-z0-9._-]`.
        public static let invalidName = Code(value: .invalidName)
        /// No secret with that name is stored.
        public static let notFound = Code(value: .notFound)
        /// The master key file does not exist (and was not to be created).
        public static let keyMissing = Code(value: .keyMissing)
        /// The master key file is readable or writable by group or others.
        public static let keyPermissions = Code(value: .keyPermissions)
        /// The master key file is not a regular file of exactly 32 bytes.
        public static let keyInvalid = Code(value: .keyInvalid)
        /// The data directory was sealed with a different master key.
        public static let wrongMasterKey = Code(value: .wrongMasterKey)
        /// An AES-GCM tag did not verify: the bytes, their nonce or their associated data changed.
        /// `underlying` is the CryptoError.
        public static let authenticationFailed = Code(value: .authenticationFailed)
        /// A stored vault record does not decode.
        public static let corrupted = Code(value: .corrupted)
        /// A primitive failed: OpenSSL refused an operation (the message carries its error stack)
        /// or was given parameters out of bounds. `underlying` is the CryptoError.
        public static let crypto = Code(value: .crypto)
        /// The file system refused a read, write, sync or rename.
        public static let io = Code(value: .io)
        /// The store under the vault failed (`underlying` is the StorageError).
        public static let storage = Code(value: .storage)
        public var description: String { value.rawValue }
    }

    public let code: Code
    /// What failed and why, naming the C call where there is one.
    public let message: String
    /// The error this one wraps, if any (a StorageError, for instance).
    public let underlying: (any Error & Sendable)?
    /// `#fileID:#line` of the throw.
    public let location: String

    public init(_ code: Code, _ message: String, underlying: (any Error & Sendable)? = nil,
                fileID: StaticString = #fileID, line: UInt = #line) {
        self.code = code
        self.message = message
        self.underlying = underlying
        self.location = "\(fileID):\(line)"
    }

    public var description: String { "\(message) [\(code)]" }
}

extension VaultError {
    /// Wraps a failure of a primitive, keeping its message: `.authenticationFailed` stays
    /// `.authenticationFailed` (callers say what failed to open), anything else is `.crypto`.
    init(_ error: CryptoError, fileID: StaticString = #fileID, line: UInt = #line) {
        let code: Code = error.code == .authenticationFailed ? .authenticationFailed : .crypto
        self.init(code, error.message, underlying: error, fileID: fileID, line: line)
    }
}

/// Runs `body`, a call into AtendeCrypto, where the vault and the backup format throw VaultError.
@inline(__always)
func crypto<R: ~Copyable>(fileID: StaticString = #fileID, line: UInt = #line,
                          _ body: () throws(CryptoError) -> R) throws(VaultError) -> R {
    do { return try body() } catch { throw VaultError(error, fileID: fileID, line: line) }
}
