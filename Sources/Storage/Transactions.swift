import CLMDB

/// What a read needs from a transaction: its LMDB handle and the store whose databases it sees.
/// Public so collections can accept either kind of transaction; its parts are internal.
public struct TransactionContext: @unchecked Sendable {
    // @unchecked: the handle is only dereferenced inside the synchronous closure that owns the
    // transaction, on the thread running it.
    let handle: OpaquePointer
    let store: Store
}

/// Any transaction that can read. Both `ReadTransaction` and `WriteTransaction` conform.
public protocol TransactionReading: ~Copyable {
    var context: TransactionContext { get }
}

/// One consistent snapshot of the store. Borrowed by the closure passed to `Store.read`, so it
/// cannot escape it or outlive it; the closure is synchronous, so no `await` can run inside.
public struct ReadTransaction: ~Copyable, TransactionReading {
    public let context: TransactionContext
    init(handle: OpaquePointer, store: Store) { context = TransactionContext(handle: handle, store: store) }
}

/// A change in progress. Borrowed by the closure passed to `Store.write`; it runs on the writer
/// thread inside a nested transaction, so throwing rolls back this change alone.
public struct WriteTransaction: ~Copyable, TransactionReading {
    public let context: TransactionContext
    init(handle: OpaquePointer, store: Store) { context = TransactionContext(handle: handle, store: store) }
}

extension TransactionReading where Self: ~Copyable {
    func dbi(_ name: String) throws(StorageError) -> MDB_dbi {
        guard let dbi = context.store.databases[name] else {
            throw StorageError(.invalid, "database \(name) is not in this store's schema")
        }
        return dbi
    }

    /// The raw value under `key` in database `name`, copied out.
    func rawGet(_ name: String, _ key: [UInt8]) throws(StorageError) -> [UInt8]? {
        let dbi = try dbi(name)
        var v = MDB_val()
        let rc = key.withUnsafeBytes { raw in
            var k = MDB_val(mv_size: raw.count, mv_data: UnsafeMutableRawPointer(mutating: raw.baseAddress))
            return mdb_get(context.handle, dbi, &k, &v)
        }
        if rc == MDB_NOTFOUND { return nil }
        guard rc == MDB_SUCCESS else { throw StorageError(lmdb: rc, in: "mdb_get") }
        return v.bytes
    }

    func rawCount(_ name: String) throws(StorageError) -> Int {
        let dbi = try dbi(name)
        var stat = MDB_stat()
        try check("mdb_stat") { mdb_stat(context.handle, dbi, &stat) }
        return Int(stat.ms_entries)
    }

    func cursor(_ name: String) throws(StorageError) -> LMDB.Cursor {
        try LMDB.Cursor(txn: context.handle, dbi: try dbi(name))
    }
}

extension WriteTransaction {
    /// Stores `value` under `key`; with `unique`, fails with `.keyExists` if the key is taken.
    func rawPut(_ name: String, _ key: [UInt8], _ value: [UInt8], unique: Bool = false) throws(StorageError) {
        let dbi = try dbi(name)
        let flags = unique ? UInt32(MDB_NOOVERWRITE) : 0
        let rc = key.withUnsafeBytes { k in
            value.withUnsafeBytes { v in
                var kv = MDB_val(mv_size: k.count, mv_data: UnsafeMutableRawPointer(mutating: k.baseAddress))
                var vv = MDB_val(mv_size: v.count, mv_data: UnsafeMutableRawPointer(mutating: v.baseAddress))
                return mdb_put(context.handle, dbi, &kv, &vv, flags)
            }
        }
        guard rc == MDB_SUCCESS else { throw StorageError(lmdb: rc, in: "mdb_put") }
    }

    /// Deletes `key`; returns whether it existed.
    @discardableResult
    func rawDelete(_ name: String, _ key: [UInt8]) throws(StorageError) -> Bool {
        let dbi = try dbi(name)
        let rc = key.withUnsafeBytes { raw in
            var k = MDB_val(mv_size: raw.count, mv_data: UnsafeMutableRawPointer(mutating: raw.baseAddress))
            return mdb_del(context.handle, dbi, &k, nil)
        }
        if rc == MDB_NOTFOUND { return false }
        guard rc == MDB_SUCCESS else { throw StorageError(lmdb: rc, in: "mdb_del") }
        return true
    }
}
