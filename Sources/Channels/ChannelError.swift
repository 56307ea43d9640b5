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
