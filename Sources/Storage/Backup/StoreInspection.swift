import CLMDB
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads a whole LMDB data file, entry by entry, and says whether it is a sound Atende store.
///
/// A checksum over a backup only shows the bytes are the ones written; an unencrypted backup can be
/// edited and its checksums recomputed. So before a payload is declared good, every database is
/// walked with a cursor (one entry in memory at a time) and:
/// - keys come in strictly ascending order and the walk finds as many entries as LMDB's count says;
/// - every document is UTF-8 JSON; in a collection the caller's schema declares (and only when the
///   store's schema version is the caller's), it decodes as its Codable type, is stored under its
///   own key, and every index entry it implies exists;
/// - every index entry (`collection#index`) names a document that exists, and a typed collection's
///   index holds exactly the entries its documents imply.
///
/// A damaged file can crash or hang LMDB itself (a page number past the end of the file is a
/// SIGBUS), which no check here can prevent: run this in a process you can afford to lose.
public enum StoreInspection {
    public struct Report: Codable, Sendable, Equatable {
        /// Every named database and how many entries the walk found in it.
        public var databases: [String: Int]
        /// Documents read and decoded, in every collection.
        public var documents: Int
        /// Index entries followed to their documents.
        public var indexEntries: Int
        /// The collections decoded with their Codable type; the others were parsed as JSON.
        public var typedCollections: [String]

        enum CodingKeys: String, CodingKey {
            case databases, documents, indexEntries = "index_entries", typedCollections = "typed_collections"
        }
    }

    /// Inspects the LMDB data file at `path` (opened read-only, without a lock file). `schema`
    /// supplies the typed checks for the collections it declares.
    ///
    /// - Throws: `StorageError` — `.corrupted` naming the database and entry that failed.
    public static func inspect(dataFile path: String, schema: Schema? = nil) throws -> Report {
        let reader = try PrivateReader(dataFile: path)
        let txn = reader.txn
        let names = try corrupted(in: "the list of databases") { try Store.listDatabases(txn) }
        var dbis: [String: MDB_dbi] = [:]
        for name in names {
            var dbi = MDB_dbi()
            try corrupted(in: name) { try check("mdb_dbi_open") { mdb_dbi_open(txn, name, 0, &dbi) } }
            dbis[name] = dbi
        }
        let checkers = typedCheckers(schema, storedVersion: try schemaVersion(txn, dbis[Schema.meta.name]))
        let raw = Set([Schema.meta.name] + (schema?.databases ?? []).filter { !($0 is any StoredEntryChecking) }
            .flatMap(\.databaseNames))
        var report = Report(databases: [:], documents: 0, indexEntries: 0, typedCollections: [])
        var implied: [String: Int] = [:]           // index database → entries its documents imply
        // Collections first, so their documents are known to exist before the indexes point at them.
        for name in names.sorted(by: { ($0.contains("#") ? 1 : 0, $0) < ($1.contains("#") ? 1 : 0, $1) }) {
            let dbi = dbis[name]!
            if let split = name.firstIndex(of: "#") {
                let collection = String(name[..<split])
                guard let target = dbis[collection] else {
                    throw StorageError(.corrupted, "index \(name) belongs to no collection \(collection)")
                }
                report.databases[name] = try walk(name, dbi, txn) { _, value in
                    guard try lookup(txn, target, value) != nil else {
                        throw StorageError(.corrupted, "an entry of index \(name) points at a document missing from \(collection)")
                    }
                }
                report.indexEntries += report.databases[name]!
            } else if raw.contains(name) {
                report.databases[name] = try walk(name, dbi, txn) { _, _ in }
            } else {
                let checker = checkers[name]
                report.databases[name] = try walk(name, dbi, txn) { key, value in
                    try parseJSON(value, in: name)
                    for entry in try checker?.checkEntry(key: key, value: value) ?? [] {
                        guard let index = dbis[entry.database], try lookup(txn, index, entry.key) == entry.value else {
                            throw StorageError(.corrupted, "a document in \(name) lacks its entry in index \(entry.database)")
                        }
                        implied[entry.database, default: 0] += 1
                    }
                }
                report.documents += report.databases[name]!
                if checker != nil { report.typedCollections.append(name) }
            }
        }
        for (index, count) in implied where report.databases[index] != count {
            throw StorageError(.corrupted, "index \(index) holds \(report.databases[index] ?? 0) entries; its documents imply \(count)")
        }
        return report
    }

    /// Walks `name` in key order; returns how many entries it holds.
    private static func walk(_ name: String, _ dbi: MDB_dbi, _ txn: OpaquePointer,
                             _ body: ([UInt8], [UInt8]) throws -> Void) throws -> Int {
        var stat = MDB_stat()
        try corrupted(in: name) { try check("mdb_stat") { mdb_stat(txn, dbi, &stat) } }
        let cursor = try corrupted(in: name) { try LMDB.Cursor(txn: txn, dbi: dbi) }
        var count = 0
        var previous: [UInt8]?
        var entry = try corrupted(in: name) { try cursor.get(MDB_FIRST) }
        while let (key, value) = entry {
            count += 1
            if let previous, !previous.lexicographicallyPrecedes(key) {
                throw StorageError(.corrupted, "the keys of \(name) are out of order at entry \(count)")
            }
            guard count <= stat.ms_entries else {
                throw StorageError(.corrupted, "\(name) holds more entries than its count (\(stat.ms_entries))")
            }
            try body(key, value)
            previous = key
            entry = try corrupted(in: name) { try cursor.get(MDB_NEXT) }
        }
        guard count == stat.ms_entries else {
            throw StorageError(.corrupted, "\(name) holds \(count) entries; its count says \(stat.ms_entries)")
        }
        return count
    }

    /// JSON is UTF-8 (RFC 8259): a byte changed in a document's text almost always breaks one or the other.
    private static func parseJSON(_ value: [UInt8], in name: String) throws {
        guard String(validating: value, as: UTF8.self) != nil,
              (try? JSONSerialization.jsonObject(with: Data(value), options: [.fragmentsAllowed])) != nil else {
            throw StorageError(.corrupted, "a document in \(name) is not valid JSON")
        }
    }

    private static func typedCheckers(_ schema: Schema?, storedVersion: Int?) -> [String: any StoredEntryChecking] {
        // A store of another schema version holds documents of another shape; its JSON is still checked.
        guard let schema, storedVersion == schema.version else { return [:] }
        var checkers: [String: any StoredEntryChecking] = [:]
        for case let checker as any StoredEntryChecking in schema.databases { checkers[checker.collectionName] = checker }
        return checkers
    }

    private static func schemaVersion(_ txn: OpaquePointer, _ meta: MDB_dbi?) throws -> Int? {
        guard let meta, let bytes = try lookup(txn, meta, Array("schema_version".utf8)) else { return nil }
        return Int(String(decoding: bytes, as: UTF8.self))
    }

    private static func lookup(_ txn: OpaquePointer, _ dbi: MDB_dbi, _ key: [UInt8]) throws -> [UInt8]? {
        var k = MDB_val(), v = MDB_val()
        let rc = key.withUnsafeBytes { raw in
            k = MDB_val(mv_size: raw.count, mv_data: UnsafeMutableRawPointer(mutating: raw.baseAddress))
            return mdb_get(txn, dbi, &k, &v)
        }
        if rc == MDB_NOTFOUND { return nil }
        try corrupted(in: "a lookup") { try check("mdb_get") { rc } }
        return v.bytes
    }

    /// Any LMDB failure while reading a payload means the payload is damaged.
    private static func corrupted<R: ~Copyable>(in name: String, _ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as StorageError {
            throw StorageError(.corrupted, "\(name): \(error.message)", errno: error.errno)
        }
    }
}

/// A database whose entries can be checked one by one with types Storage does not know:
/// `DocumentCollection` decodes a document with its Codable type.
public protocol StoredEntryChecking: DatabaseDescriptor {
    /// The database holding the documents.
    var collectionName: String { get }
    /// Throws `StorageError.corrupted` unless `value` decodes as a document stored under `key`;
    /// returns the index entries the document implies.
    func checkEntry(key: [UInt8], value: [UInt8]) throws -> [(database: String, key: [UInt8], value: [UInt8])]
}

/// An LMDB data file opened read-only and without a lock file, with one read transaction.
final class PrivateReader {
    let env: OpaquePointer
    let txn: OpaquePointer

    init(dataFile path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { throw StorageError(.notFound, "no file at \(path)") }
        var env: OpaquePointer?
        try check("mdb_env_create") { mdb_env_create(&env) }
        do {
            try check("mdb_env_set_mapsize") { mdb_env_set_mapsize(env, max(Int(info.st_size), 1 << 20)) }
            try check("mdb_env_set_maxdbs") { mdb_env_set_maxdbs(env, 1024) }
            try check("mdb_env_open") { mdb_env_open(env, path, UInt32(MDB_NOSUBDIR | MDB_RDONLY | MDB_NOLOCK), 0o600) }
        } catch {
            mdb_env_close(env)
            throw StorageError(.corrupted, "\(path) is not an LMDB store: \(error.message)")
        }
        var txn: OpaquePointer?
        let rc = mdb_txn_begin(env, nil, UInt32(MDB_RDONLY), &txn)
        guard rc == MDB_SUCCESS, let txn else {
            mdb_env_close(env)
            throw StorageError(.corrupted, "\(path) cannot be read: \(StorageError(lmdb: rc, in: "mdb_txn_begin").message)")
        }
        self.env = env!
        self.txn = txn
    }

    deinit {
        mdb_txn_abort(txn)
        mdb_env_close(env)
    }
}
