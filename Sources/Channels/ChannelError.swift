/// An error from a channel's wire format or client. Compare `code`; `message` names what was
/// wrong and never holds a token or a secret.
public struct ChannelError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }
        /// A webhook body is not the provider's format at all (not JSON, another object type).
        public static let malformedPayload = Code("malformed_payload")
        /// A webhook's signature is missing or does not match.
        public static let badSignature = Code("bad_signature")
        /// No complete answer within the deadline.
        public static let timeout = Code("timeout")
        /// The host could not be resolved or connected to.
        public static let unreachable = Code("unreachable")
        /// The answer was larger than the client accepts.
        public static let responseTooLarge = Code("response_too_large")
        /// The caller's task was cancelled (shutting down).
        public static let cancelled = Code("cancelled")
        /// The provider answered, but with a refusal (an error status and its own message).
        public static let providerError = Code("provider_error")
        /// Anything else between us and the provider (TLS, a reset connection, a bad URL).
        public static let transport = Code("transport")
        public var description: String { rawValue }
    }

    public let code: Code
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
