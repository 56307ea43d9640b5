import CLMDB

/// A named database of plain bytes, for data that is not a Codable document (counters, the
/// schema version, sealed vault records).
public struct RawDatabase: Sendable, DatabaseDescriptor {
    public let name: String
    public init(_ name: String) { self.name = name }
    public var databaseNames: [String] { [name] }

    public func get(_ key: Key, in txn: borrowing some TransactionReading & ~Copyable) throws -> [UInt8]? {
        try txn.rawGet(name, key.bytes)
    }

    public func put(_ value: [UInt8], for key: Key, in txn: borrowing WriteTransaction) throws {
        try txn.rawPut(name, key.bytes, value)
    }

    @discardableResult
    public func delete(_ key: Key, in txn: borrowing WriteTransaction) throws -> Bool {
        try txn.rawDelete(name, key.bytes)
    }

    public func count(in txn: borrowing some TransactionReading & ~Copyable) throws -> Int {
        try txn.rawCount(name)
    }

    /// Every (key, value) pair in key order; `body` returns false to stop.
    public func forEach(in txn: borrowing some TransactionReading & ~Copyable,
                        _ body: (Key, [UInt8]) throws -> Bool) throws {
        let cursor = try txn.cursor(name)
        var entry = try cursor.get(MDB_FIRST)
        while let (k, v) = entry {
            guard try body(Key(bytes: k), v) else { return }
            entry = try cursor.get(MDB_NEXT)
        }
    }
}

/// Something that owns named LMDB databases; a `Schema` lists them so the store opens them all.
public protocol DatabaseDescriptor: Sendable {
    var databaseNames: [String] { get }
}
