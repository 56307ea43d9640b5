import COpenSSL

/// An error from the vault or its OpenSSL primitives. Compare `code`; show `message` to people.
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
        public static let authenticationFailed = Code(value: .authenticationFailed)
        /// A stored vault record does not decode.
        public static let corrupted = Code(value: .corrupted)
        /// OpenSSL refused an operation (the message carries its error stack).
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
    /// An error for the failed OpenSSL call `call`, carrying (and clearing) this thread's error queue.
    init(openSSL call: StaticString, fileID: StaticString = #fileID, line: UInt = #line) {
        let stack = OpenSSLErrors.drain()
        let detail = stack.isEmpty ? "no detail on the OpenSSL error queue" : stack.joined(separator: "; ")
        self.init(.crypto, "\(call) failed: \(detail)", fileID: fileID, line: line)
    }
}

/// The OpenSSL thread-local error queue.
enum OpenSSLErrors {
    /// Empties the queue and returns its entries, oldest first (as NIOSSL's `buildErrorStack`).
    static func drain() -> [String] {
        var entries: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            entries.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return entries
    }
}

/// Runs one OpenSSL call that returns 1 on success; anything else (0 or negative, which some
/// ctrl calls return) becomes a VaultError naming the call. The one choke point for libcrypto
/// return codes.
@inline(__always)
func osslCheck(_ call: StaticString, fileID: StaticString = #fileID, line: UInt = #line,
               _ body: () -> Int32) throws(VaultError) {
    ERR_clear_error()
    let rc = body()
    guard rc == 1 else { throw VaultError(openSSL: call, fileID: fileID, line: line) }
}
