import CLMDB
import Foundation

/// A typed collection of Codable documents in one named LMDB database (plus one per secondary
/// index). Documents are stored as JSON under the key `key(document)` returns.
public struct DocumentCollection<Document: Codable & Sendable>: Sendable, DatabaseDescriptor {
    public let name: String
    public let indexes: [SecondaryIndex<Document>]
    let key: @Sendable (Document) -> Key
    let memo: DocumentMemo<Document>?

    /// - Parameter remembering: how many decoded documents `get` may reuse while their stored
    ///   bytes are unchanged (`DocumentMemo`); for collections read on every message, whose
    ///   documents encode everything they decode from. 0: none.
    public init(_ name: String, key: @escaping @Sendable (Document) -> Key, indexes: [SecondaryIndex<Document>] = [],
                remembering: Int = 0) {
        precondition(!name.contains("#"), "'#' separates a collection from its index names")
        self.name = name
        self.key = key
        self.indexes = indexes
        memo = remembering > 0 ? DocumentMemo(capacity: max(2, remembering)) : nil
    }

    public var databaseNames: [String] { [name] + indexes.map { $0.databaseName(in: name) } }

    // MARK: Reads

    /// The document stored under `key`, or nil.
    public func get(_ key: Key, in txn: borrowing some TransactionReading & ~Copyable) throws -> Document? {
        guard let bytes = try txn.rawGet(name, key.bytes) else { return nil }
        guard let memo else { return try decode(bytes) }
        if let known = memo.document(key, storedAs: bytes) { return known }
        let document = try decode(bytes)
        memo.remember(key, document, storedAs: bytes)
        return document
    }

    /// The document whose unique index `index` has `value`, or nil.
    public func get(unique index: String, _ value: Key, in txn: borrowing some TransactionReading & ~Copyable) throws -> Document? {
        try primaryKey(unique: index, value, in: txn).flatMap { try get($0, in: txn) }
    }

    /// The key of the document whose unique index `index` has `value`, or nil; nothing is decoded.
    public func primaryKey(unique index: String, _ value: Key, in txn: borrowing some TransactionReading & ~Copyable) throws -> Key? {
        let index = try self.index(named: index)
        guard index.isUnique else { throw StorageError(.invalid, "index \(name).\(index.name) is not unique") }
        return try txn.rawGet(index.databaseName(in: name), value.bytes).map { Key(bytes: $0) }
    }

    /// How many documents the collection holds (LMDB keeps the count; this does not scan).
    public func count(in txn: borrowing some TransactionReading & ~Copyable) throws -> Int {
        try txn.rawCount(name)
    }

    /// Documents in key order (or reverse), optionally only keys starting with `prefix`, starting
    /// after the cursor `after`, at most `limit`.
    public func page(prefix: Key? = nil, after: Key? = nil, limit: Int, reverse: Bool = false,
                     in txn: borrowing some TransactionReading & ~Copyable) throws -> Page<Document> {
        let entries = try scanEntries(database: name, prefix: prefix?.bytes ?? [], after: after?.bytes,
                                      limit: limit, reverse: reverse, in: txn)
        return Page(items: try entries.items.map { try decode($0.value) }, nextCursor: entries.next)
    }

    /// Documents whose index `index` has value `equals` (or, without it, every indexed document in
    /// index order), paged like `page`.
    public func page(index: String, equals value: Key? = nil, after: Key? = nil, limit: Int, reverse: Bool = false,
                     in txn: borrowing some TransactionReading & ~Copyable) throws -> Page<Document> {
        let index = try self.index(named: index)
        let prefix = value.map { index.isUnique ? $0.bytes : $0.terminated } ?? []
        let entries = try scanEntries(database: index.databaseName(in: name), prefix: prefix, after: after?.bytes,
                                      limit: limit, reverse: reverse, in: txn)
        var items: [Document] = []
        for entry in entries.items {
            guard let doc = try get(Key(bytes: entry.value), in: txn) else {
                throw StorageError(.corrupted, "index \(name).\(index.name) points at a missing document")
            }
            items.append(doc)
        }
        return Page(items: items, nextCursor: entries.next)
    }

    /// Where `document` stands in index `index`: pass it as `after` to continue a scan of that
    /// index just past the document (a cursor for a list that skipped entries it filtered out).
    public func indexEntries(_ index: String, of document: Document) throws -> [Key] {
        let index = try self.index(named: index)
        return index.keys(document).map { Key(bytes: index.entryKey($0, primary: key(document))) }
    }

    /// Calls `body` with every document in key order until it returns false.
    public func forEach(in txn: borrowing some TransactionReading & ~Copyable, _ body: (Document) throws -> Bool) throws {
        let cursor = try txn.cursor(name)
        var entry = try cursor.get(MDB_FIRST)
        while let (_, value) = entry {
            guard try body(try decode(value)) else { return }
            entry = try cursor.get(MDB_NEXT)
        }
    }

    /// Calls `body` with the documents of index `index` in index order, one decoded at a time,
    /// until it returns false: a scan that stops early decodes only what it looked at.
    public func forEach(index: String, in txn: borrowing some TransactionReading & ~Copyable,
                        _ body: (Document) throws -> Bool) throws {
        let index = try self.index(named: index)
        let cursor = try txn.cursor(index.databaseName(in: name))
        var entry = try cursor.get(MDB_FIRST)
        while let (_, primary) = entry {
            guard let document = try get(Key(bytes: primary), in: txn) else {
                throw StorageError(.corrupted, "index \(name).\(index.name) points at a missing document")
            }
            guard try body(document) else { return }
            entry = try cursor.get(MDB_NEXT)
        }
    }

    /// Like `forEach(index:)`, starting at the first entry whose value is `from` or after it: a
    /// range scan (appointments of one person from a time on) that stops when `body` says so.
    public func forEach(index: String, from value: Key, in txn: borrowing some TransactionReading & ~Copyable,
                        _ body: (Document) throws -> Bool) throws {
        let index = try self.index(named: index)
        let cursor = try txn.cursor(index.databaseName(in: name))
        var entry = try cursor.get(MDB_SET_RANGE, key: index.isUnique ? value.bytes : value.terminated)
        while let (_, primary) = entry {
            guard let document = try get(Key(bytes: primary), in: txn) else {
                throw StorageError(.corrupted, "index \(name).\(index.name) points at a missing document")
            }
            guard try body(document) else { return }
            entry = try cursor.get(MDB_NEXT)
        }
    }

    /// How many entries index `index` holds (LMDB keeps the count; this does not scan).
    public func count(index: String, in txn: borrowing some TransactionReading & ~Copyable) throws -> Int {
        try txn.rawCount(try self.index(named: index).databaseName(in: name))
    }

    // MARK: Writes

    /// Writes index `index`'s entry for every document already stored: the migration that adds
    /// an index to a collection that holds documents (an index added to the schema starts empty).
    /// Entries already there are written again unchanged. Reads in pages, so it holds at most
    /// `batch` documents in memory.
    public func rebuildIndex(_ index: String, batch: Int = 1000, in txn: borrowing WriteTransaction) throws {
        let index = try self.index(named: index)
        let db = index.databaseName(in: name)
        var after: Key?
        repeat {
            let page = try page(after: after, limit: batch, in: txn)
            for document in page.items {
                let primary = key(document)
                for value in Set(index.keys(document)) {
                    if index.isUnique, let owner = try txn.rawGet(db, value.bytes), owner != primary.bytes {
                        throw StorageError(.keyExists, "\(name).\(index.name) already has this value")
                    }
                    try txn.rawPut(db, index.entryKey(value, primary: primary), primary.bytes)
                }
            }
            after = page.nextCursor
        } while after != nil
    }

    /// Stores `document`, replacing any document with the same key, and updates every index.
    public func put(_ document: Document, in txn: borrowing WriteTransaction) throws {
        let primary = key(document)
        let old = try get(primary, in: txn)
        try write(document, primary: primary, replacing: old, in: txn)
    }

    /// `put` for a caller that has just read the stored version in this same transaction: `old`
    /// (nil when there was none) saves decoding it again to move the index entries. Passing
    /// anything but what `get` returned in this transaction leaves stale index entries.
    public func put(_ document: Document, replacing old: Document?, in txn: borrowing WriteTransaction) throws {
        let primary = key(document)
        guard old.map({ key($0) == primary }) ?? true else {
            throw StorageError(.invalid, "\(name): the document replaced has another key")
        }
        try write(document, primary: primary, replacing: old, in: txn)
    }

    /// Stores a new `document`; fails with `.keyExists` if its key is taken.
    public func insert(_ document: Document, in txn: borrowing WriteTransaction) throws {
        try insert(encoded(document), in: txn)
    }

    /// `document` encoded ahead of its write, so the store's single writer thread only copies it.
    public func encoded(_ document: Document) throws -> Encoded {
        Encoded(document: document, primary: key(document), bytes: try encode(document))
    }

    /// Stores a new document encoded ahead; fails with `.keyExists` if its key is taken.
    public func insert(_ encoded: Encoded, in txn: borrowing WriteTransaction) throws {
        if try txn.rawGet(name, encoded.primary.bytes) != nil {
            throw StorageError(.keyExists, "\(name) already holds a document with this key")
        }
        try write(encoded.document, primary: encoded.primary, replacing: nil, encoded: encoded.bytes, in: txn)
    }

    /// A document with its key and stored bytes (`encoded(_:)`).
    public struct Encoded: Sendable {
        public let document: Document
        let primary: Key
        let bytes: [UInt8]
    }

    /// Removes the document under `key` and its index entries; returns whether it existed.
    @discardableResult
    public func delete(_ key: Key, in txn: borrowing WriteTransaction) throws -> Bool {
        guard let old = try get(key, in: txn) else { return false }
        for index in indexes {
            for value in index.keys(old) {
                try txn.rawDelete(index.databaseName(in: name), index.entryKey(value, primary: key))
            }
        }
        return try txn.rawDelete(name, key.bytes)
    }

    private func write(_ document: Document, primary: Key, replacing old: Document?, encoded: [UInt8]? = nil,
                       in txn: borrowing WriteTransaction) throws {
        // A document has a handful of values per index: arrays beat hashing them into sets.
        for index in indexes {
            let db = index.databaseName(in: name)
            let newValues = index.keys(document)
            let oldValues = old.map(index.keys) ?? []
            for value in oldValues where !newValues.contains(value) {
                try txn.rawDelete(db, index.entryKey(value, primary: primary))
            }
            for (i, value) in newValues.enumerated() where !oldValues.contains(value) && !newValues[..<i].contains(value) {
                if index.isUnique, let owner = try txn.rawGet(db, value.bytes), owner != primary.bytes {
                    throw StorageError(.keyExists, "\(name).\(index.name) already has this value")
                }
                try txn.rawPut(db, index.entryKey(value, primary: primary), primary.bytes)
            }
        }
        let bytes = try encoded ?? encode(document)
        try txn.rawPut(name, primary.bytes, bytes)
        memo?.remember(primary, document, storedAs: bytes)
    }

    // MARK: Helpers

    private func index(named index: String) throws -> SecondaryIndex<Document> {
        guard let found = indexes.first(where: { $0.name == index }) else {
            throw StorageError(.invalid, "\(name) has no index named \(index)")
        }
        return found
    }

    private func encode(_ document: Document) throws -> [UInt8] {
        try JSONBytesEncoder.encode(document)
    }

    func decode(_ bytes: [UInt8]) throws -> Document {
        do {
            return try JSONDecoder().decode(Document.self, from: Data(bytes))
        } catch {
            throw StorageError(.corrupted, "a document in \(name) does not decode as \(Document.self): \(error)")
        }
    }
}

/// Walks one database from a prefix, after a cursor, forwards or backwards; the shared engine of
/// every paged read. Fetches `limit + 1` to know whether a next page exists.
func scanEntries(database: String, prefix: [UInt8], after: [UInt8]?, limit: Int, reverse: Bool,
                 in txn: borrowing some TransactionReading & ~Copyable) throws -> (items: [(key: [UInt8], value: [UInt8])], next: Key?) {
    guard limit > 0 else { throw StorageError(.invalid, "a page needs a limit of at least 1") }
    let cursor = try txn.cursor(database)
    let successor = Key(bytes: prefix).prefixSuccessor
    var entry: (key: [UInt8], value: [UInt8])?
    if reverse {
        if let after {
            entry = try cursor.get(MDB_SET_RANGE, key: after) != nil ? try cursor.get(MDB_PREV) : try cursor.get(MDB_LAST)
        } else if let successor, !prefix.isEmpty {
            entry = try cursor.get(MDB_SET_RANGE, key: successor) != nil ? try cursor.get(MDB_PREV) : try cursor.get(MDB_LAST)
        } else {
            entry = try cursor.get(MDB_LAST)
        }
    } else if let after {
        entry = try cursor.get(MDB_SET_RANGE, key: after)
        if let found = entry, found.key == after { entry = try cursor.get(MDB_NEXT) }
    } else {
        entry = prefix.isEmpty ? try cursor.get(MDB_FIRST) : try cursor.get(MDB_SET_RANGE, key: prefix)
    }
    var items: [(key: [UInt8], value: [UInt8])] = []
    while let current = entry, current.key.starts(with: prefix) {
        if items.count == limit { return (items, Key(bytes: items[items.count - 1].key)) }
        items.append(current)
        entry = try cursor.get(reverse ? MDB_PREV : MDB_NEXT)
    }
    return (items, nil)
}

// MARK: Backup inspection

extension DocumentCollection: StoredEntryChecking {
    public var collectionName: String { name }

    /// Decodes the document with its Codable type, checks it is stored under its own key, and
    /// returns the index entries (database, key, primary key) it implies.
    public func checkEntry(key stored: [UInt8], value: [UInt8]) throws -> [(database: String, key: [UInt8], value: [UInt8])] {
        let document = try decode(value)
        let primary = key(document)
        guard primary.bytes == stored else {
            throw StorageError(.corrupted, "a document in \(name) is stored under a key that is not its own")
        }
        return indexes.flatMap { index in
            Set(index.keys(document)).map { (index.databaseName(in: name), index.entryKey($0, primary: primary), primary.bytes) }
        }
    }
}
