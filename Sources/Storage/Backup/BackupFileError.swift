import AtendeCrypto

/// An error reading or writing a backup file. Compare `code` (stable, snake_case); show `message`.
public struct BackupFileError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Hashable, Sendable {
            case notABackup = "not_a_backup", unsupportedVersion = "unsupported_version", truncated, corrupted
            case passphraseRequired = "passphrase_required", wrongPassphrase = "wrong_passphrase"
            case io, invalid, crypto
        }
        private let value: Value
        /// The file does not start with the backup magic.
        public static let notABackup = Code(value: .notABackup)
        /// The file is a backup of a format version (or encryption scheme) this build cannot read.
        public static let unsupportedVersion = Code(value: .unsupportedVersion)
        /// The file ends before the header says it should.
        public static let truncated = Code(value: .truncated)
        /// A checksum or authentication tag failed, the header does not decode, or bytes trail the end.
        public static let corrupted = Code(value: .corrupted)
        /// The backup is encrypted and no passphrase was given.
        public static let passphraseRequired = Code(value: .passphraseRequired)
        /// The passphrase does not match the one the backup was written with.
        public static let wrongPassphrase = Code(value: .wrongPassphrase)
        /// The file system refused a read, write, sync or rename.
        public static let io = Code(value: .io)
        /// The caller asked for something impossible (a chunk size out of range, a payload that
        /// changed while it was written).
        public static let invalid = Code(value: .invalid)
        /// OpenSSL failed (not an authentication failure).
        public static let crypto = Code(value: .crypto)
        public var description: String { value.rawValue }
    }

    public let code: Code
    /// What failed and why. Never contains the passphrase or payload bytes.
    public let message: String
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

    /// Wraps a failure of the file system or OpenSSL below the format.
    init(_ error: VaultError, fileID: StaticString = #fileID, line: UInt = #line) {
        let code: Code = error.code == .io ? .io : error.code == .authenticationFailed ? .corrupted : .crypto
        self.init(code, error.message, underlying: error, fileID: fileID, line: line)
    }

    /// Wraps a failure of a primitive: an authentication failure means changed bytes
    /// (`.corrupted`), anything else is `.crypto`.
    init(_ error: CryptoError, fileID: StaticString = #fileID, line: UInt = #line) {
        self.init(error.code == .authenticationFailed ? .corrupted : .crypto, error.message, underlying: error,
                  fileID: fileID, line: line)
    }

    public var description: String { "\(message) [\(code)]" }
}
