import CLMDB
#if canImport(Glibc)
import Glibc
#endif

/// An error from the store. Compare `code`; show `message` to people.
public struct StorageError: Error, Sendable, CustomStringConvertible, Equatable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Hashable, Sendable {
            case notFound = "not_found", keyExists = "key_exists", mapFull = "map_full"
            case corrupted, io, locked, invalid, readersFull = "readers_full", unhealthy
        }
        private let value: Value
        /// A document or database that was asked for does not exist.
        public static let notFound = Code(value: .notFound)
        /// A primary key or a unique index value is already taken.
        public static let keyExists = Code(value: .keyExists)
        /// The memory map is full and could not be grown.
        public static let mapFull = Code(value: .mapFull)
        /// Stored bytes do not decode, or a file is not what it claims to be.
        public static let corrupted = Code(value: .corrupted)
        /// The disk refused a read, write or sync (EIO, ENOSPC, EFBIG…).
        public static let io = Code(value: .io)
        /// Another process owns the data directory.
        public static let locked = Code(value: .locked)
        /// The caller asked for something the store cannot do (bad argument, wrong mode).
        public static let invalid = Code(value: .invalid)
        /// Every reader slot is taken.
        public static let readersFull = Code(value: .readersFull)
        /// A previous commit failed at the disk; the store accepts no more writes until restarted.
        public static let unhealthy = Code(value: .unhealthy)
        public var description: String { value.rawValue }
    }

    public let code: Code
    /// What failed and why, naming the C call where there is one. Never contains document contents.
    public let message: String
    /// `#fileID:#line` of the throw.
    public let location: String
    /// The C error number, when the failure came from LMDB or the OS.
    public let errno: Int32?

    public init(_ code: Code, _ message: String, errno: Int32? = nil,
                fileID: StaticString = #fileID, line: UInt = #line) {
        self.code = code
        self.message = message
        self.errno = errno
        self.location = "\(fileID):\(line)"
    }

    public var description: String { "\(message) [\(code)]" }

    public static func == (a: StorageError, b: StorageError) -> Bool {
        a.code == b.code && a.message == b.message
    }
}

extension StorageError {
    /// Maps an LMDB (or errno) return code from `call` to an error with a stable code.
    init(lmdb rc: Int32, in call: StaticString, fileID: StaticString = #fileID, line: UInt = #line) {
        let reason = String(cString: mdb_strerror(rc))
        let code: Code
        switch rc {
        case MDB_NOTFOUND: code = .notFound
        case MDB_KEYEXIST: code = .keyExists
        case MDB_MAP_FULL: code = .mapFull
        case MDB_READERS_FULL: code = .readersFull
        case MDB_CORRUPTED, MDB_PAGE_NOTFOUND, MDB_INVALID, MDB_VERSION_MISMATCH: code = .corrupted
        case EINVAL, MDB_BAD_VALSIZE, MDB_BAD_DBI, MDB_INCOMPATIBLE: code = .invalid
        case EAGAIN, EWOULDBLOCK: code = .locked
        default: code = .io
        }
        self.init(code, "\(call) failed: \(reason)", errno: rc, fileID: fileID, line: line)
    }
}

/// Runs one LMDB call; a non-zero result becomes a StorageError naming the call.
/// The one choke point for LMDB return codes.
@inline(__always)
func check(_ call: StaticString, fileID: StaticString = #fileID, line: UInt = #line,
           _ body: () -> Int32) throws(StorageError) {
    let rc = body()
    guard rc == MDB_SUCCESS else { throw StorageError(lmdb: rc, in: call, fileID: fileID, line: line) }
}
