/// An error from a vector index. Compare `code`; show `message` to people.
public struct VectorIndexError: Error, Sendable, CustomStringConvertible, Equatable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Hashable, Sendable {
            case dimensionMismatch = "dimension_mismatch", invalidVector = "invalid_vector"
            case duplicateID = "duplicate_id", unknownID = "unknown_id", invalidArgument = "invalid_argument"
            case truncated, corrupted, unsupportedVersion = "unsupported_version", wrongKind = "wrong_kind"
            case io
        }
        private let value: Value
        /// A vector or query does not have the index's dimension.
        public static let dimensionMismatch = Code(value: .dimensionMismatch)
        /// A vector is all zeros or holds NaN/infinity, so it has no direction.
        public static let invalidVector = Code(value: .invalidVector)
        /// `add` was given an id the index already holds (use `update`).
        public static let duplicateID = Code(value: .duplicateID)
        /// `update` was given an id the index does not hold.
        public static let unknownID = Code(value: .unknownID)
        /// A parameter is out of range (k < 0, dimension 0, …).
        public static let invalidArgument = Code(value: .invalidArgument)
        /// An index file is shorter than its header says.
        public static let truncated = Code(value: .truncated)
        /// An index file's bytes do not match its checksum or its layout is impossible.
        public static let corrupted = Code(value: .corrupted)
        /// An index file was written by a newer (or unknown) format version.
        public static let unsupportedVersion = Code(value: .unsupportedVersion)
        /// An index file holds the other kind of index (exact vs quantised).
        public static let wrongKind = Code(value: .wrongKind)
        /// The OS refused an open, read, write, map or rename.
        public static let io = Code(value: .io)
        public var description: String { value.rawValue }
    }

    public let code: Code
    /// What failed and why. Never contains vector contents.
    public let message: String
    /// The OS error number, when the failure came from a system call.
    public let errno: Int32?

    public init(_ code: Code, _ message: String, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.errno = errno
    }

    public var description: String { "\(message) [\(code)]" }
}
