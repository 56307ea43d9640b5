import CLMDB
import Synchronization

/// The thin layer over liblmdb. Internal: other modules see `Store`, transactions and collections.
/// Every C call goes through `check(_:_:)` (StorageError.swift).
enum LMDB {
    /// One `MDB_env`. Opened with `MDB_NOTLS` (reader slots belong to transactions, not threads, so
    /// read transactions may run on any pool thread) and LMDB's default durable sync flags: no
    /// `MDB_NOSYNC`, no `MDB_NOMETASYNC`, no `MDB_WRITEMAP` (reliability.md A1.1, B0).
    final class Environment: @unchecked Sendable {
        // @unchecked: MDB_env is safe to share between threads for txn_begin under MDB_NOTLS; the
        // calls that change it after open (mdb_env_set_mapsize, mdb_env_close) are serialised by
        // Store's gate with every transaction in this process.
        let handle: OpaquePointer
        let path: String
        private let isClosed = Mutex(false)

        init(path: String, mapSize: Int, maxReaders: UInt32, maxDatabases: UInt32, readOnly: Bool) throws(StorageError) {
            var env: OpaquePointer?
            try check("mdb_env_create") { mdb_env_create(&env) }
            guard let env else { throw StorageError(.io, "mdb_env_create returned no environment") }
            do {
                try check("mdb_env_set_mapsize") { mdb_env_set_mapsize(env, mapSize) }
                try check("mdb_env_set_maxreaders") { mdb_env_set_maxreaders(env, maxReaders) }
                try check("mdb_env_set_maxdbs") { mdb_env_set_maxdbs(env, maxDatabases) }
                var flags = UInt32(MDB_NOTLS)
                if readOnly { flags |= UInt32(MDB_RDONLY) }
                try check("mdb_env_open") { mdb_env_open(env, path, flags, 0o600) }
            } catch {
                mdb_env_close(env)
                throw error
            }
            self.handle = env
            self.path = path
        }

        /// Closes the environment once; later calls do nothing. No transaction may be open.
        func close() {
            let wasOpen = isClosed.withLock { closed -> Bool in defer { closed = true }; return !closed }
            if wasOpen { mdb_env_close(handle) }
        }

        deinit { close() }

        var info: MDB_envinfo {
            var info = MDB_envinfo()
            mdb_env_info(handle, &info)
            return info
        }

        var pageSize: Int {
            var stat = MDB_stat()
            mdb_env_stat(handle, &stat)
            return Int(stat.ms_psize)
        }

        /// Clears reader slots left by dead processes; returns how many were cleared.
        @discardableResult
        func clearStaleReaders() -> Int32 {
            var dead: Int32 = 0
            mdb_reader_check(handle, &dead)
            return dead
        }

        func setMapSize(_ size: Int) throws(StorageError) {
            try check("mdb_env_set_mapsize") { mdb_env_set_mapsize(handle, size) }
        }
    }

    /// An LMDB transaction, tied to the thread that runs it, so it must never cross an `await`.
    /// `deinit` aborts: every early exit rolls back.
    struct Transaction: ~Copyable {
        let handle: OpaquePointer

        @available(*, noasync, message: "an LMDB transaction is tied to one thread")
        init(_ env: Environment, readOnly: Bool, parent: OpaquePointer? = nil) throws(StorageError) {
            var txn: OpaquePointer?
            let flags = readOnly ? UInt32(MDB_RDONLY) : 0
            var rc = mdb_txn_begin(env.handle, parent, flags, &txn)
            if rc == MDB_MAP_RESIZED {
                // Another process grew the map; adopt its size and try once more (lmdb.h).
                mdb_env_set_mapsize(env.handle, 0)
                rc = mdb_txn_begin(env.handle, parent, flags, &txn)
            }
            guard rc == MDB_SUCCESS, let txn else { throw StorageError(lmdb: rc, in: "mdb_txn_begin") }
            handle = txn
        }

        consuming func commit() throws(StorageError) {
            let handle = self.handle
            discard self                      // so deinit does not abort a committed txn
            try check("mdb_txn_commit") { mdb_txn_commit(handle) }
        }

        consuming func abort() {
            let handle = self.handle
            discard self
            mdb_txn_abort(handle)
        }

        deinit { mdb_txn_abort(handle) }
    }

    /// A cursor over one database in one transaction; closed when it goes out of scope.
    struct Cursor: ~Copyable {
        let handle: OpaquePointer

        init(txn: OpaquePointer, dbi: MDB_dbi) throws(StorageError) {
            var cursor: OpaquePointer?
            try check("mdb_cursor_open") { mdb_cursor_open(txn, dbi, &cursor) }
            handle = cursor!
        }

        deinit { mdb_cursor_close(handle) }

        /// Moves the cursor; returns the (key, value) it lands on, copied out, or nil at the end.
        func get(_ op: MDB_cursor_op, key: [UInt8]? = nil) throws(StorageError) -> (key: [UInt8], value: [UInt8])? {
            var k = MDB_val(), v = MDB_val()
            let rc: Int32
            if let key {
                rc = key.withUnsafeBytes { raw in
                    k = MDB_val(mv_size: raw.count, mv_data: UnsafeMutableRawPointer(mutating: raw.baseAddress))
                    return mdb_cursor_get(handle, &k, &v, op)
                }
            } else {
                rc = mdb_cursor_get(handle, &k, &v, op)
            }
            if rc == MDB_NOTFOUND { return nil }
            guard rc == MDB_SUCCESS else { throw StorageError(lmdb: rc, in: "mdb_cursor_get") }
            return (k.bytes, v.bytes)
        }
    }
}

extension MDB_val {
    /// Copies the bytes out: LMDB's pointers die with their transaction (lmdb.h).
    var bytes: [UInt8] {
        guard mv_size > 0, let data = mv_data else { return [] }
        return Array(UnsafeRawBufferPointer(start: data, count: mv_size))
    }
}
