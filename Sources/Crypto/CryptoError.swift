import COpenSSL

/// An error from a cryptographic primitive. Compare `code`; show `message` to people.
/// `message` never contains key material, plaintext or passphrases.
public struct CryptoError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Hashable, Sendable {
            case crypto, authenticationFailed = "authentication_failed", invalidInput = "invalid_input"
        }
        private let value: Value
        /// OpenSSL refused an operation; the message names the call and carries its error stack.
        public static let crypto = Code(value: .crypto)
        /// An AES-GCM tag did not verify: the bytes, their nonce or their associated data changed
        /// (or the key is not the one they were sealed with).
        public static let authenticationFailed = Code(value: .authenticationFailed)
        /// The caller passed something the primitive refuses before calling OpenSSL (scrypt
        /// parameters out of bounds, for instance).
        public static let invalidInput = Code(value: .invalidInput)
        public var description: String { value.rawValue }
    }

    public let code: Code
    /// What failed and why, naming the OpenSSL call where there is one.
    public let message: String
    /// `#fileID:#line` of the throw.
    public let location: String

    public init(_ code: Code, _ message: String, fileID: StaticString = #fileID, line: UInt = #line) {
        self.code = code
        self.message = message
        self.location = "\(fileID):\(line)"
    }

    public var description: String { "\(message) [\(code)]" }
}

extension CryptoError {
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
/// ctrl calls return) becomes a CryptoError naming the call. The one choke point for libcrypto
/// return codes: no other module calls OpenSSL.
@inline(__always)
func osslCheck(_ call: StaticString, fileID: StaticString = #fileID, line: UInt = #line,
               _ body: () -> Int32) throws(CryptoError) {
    ERR_clear_error()
    let rc = body()
    guard rc == 1 else { throw CryptoError(openSSL: call, fileID: fileID, line: line) }
}

@inline(__always) func bytes(_ buffer: UnsafeRawBufferPointer) -> UnsafePointer<UInt8>? {
    buffer.baseAddress?.assumingMemoryBound(to: UInt8.self)
}

@inline(__always) func mutableBytes(_ buffer: UnsafeMutableRawBufferPointer) -> UnsafeMutablePointer<UInt8>? {
    buffer.baseAddress?.assumingMemoryBound(to: UInt8.self)
}
