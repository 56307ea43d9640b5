public import Logging
import CLMDB
import Foundation
import Synchronization

/// The document store: one LMDB environment in `<data>/store/`, owned by this process while it
/// holds `<data>/atende.lock`. Reads run on the caller's thread on one snapshot; writes go through
/// the single writer thread and are committed in batches (group commit).
public final class Store: Sendable {
    public struct Options: Sendable {
        /// The first map size. The map grows (doubling) when it fills, up to `maxMapSize`.
        public var mapSize: Int = 256 << 20
        public var maxMapSize: Int = 64 << 30
        public var maxReaders: UInt32 = 512
        public var maxDatabases: UInt32 = 128
        /// Open without writing: for `verify` and `backup` of a directory another process may own.
        public var readOnly = false
        /// Take the data-directory lock. Off only for read-only copies made while `serve` runs.
        public var lockDirectory = true
        /// How often the writer clears reader slots left by dead processes (reliability.md B0.4).
        public var readerCheckInterval: Duration = .seconds(300)
        /// The most changes one group commit takes.
        public var maxBatch = 1024
        public init() {}
    }

    public enum Health: Sendable, Equatable {
        case ok
        /// A commit failed at the disk. The store refuses further writes; restart after fixing it.
        case failed(String)
    }

    /// The data directory (holds `store/` and `atende.lock`).
    public let directory: String
    /// The LMDB environment's directory, `<directory>/store`.
    public let environmentPath: String
    public let options: Options
    let environment: LMDB.Environment
    let databases: [String: MDB_dbi]
    let logger: Logger
    let metrics = StoreMetrics()
    /// Fired when the store fails at the disk (or when the daemon shuts down): ends `StoreService`.
    let stopSignal = AsyncSignal()
    /// Readers hold it shared; growing the map and closing hold it exclusively (lmdb.h: the map
    /// may only be resized while no transaction is active in this process).
    let gate = ReadWriteLock()
    private let state = Mutex<(health: Health, closed: Bool)>((.ok, false))
    private let lock: DataDirectoryLock?
    private let writerBox = Mutex<StoreWriter?>(nil)

    /// Opens (creating if needed) the store in `directory`, opens every database of `schema`,
    /// migrates it, and starts the writer thread.
    ///
    /// - Throws: `StorageError` — `.locked` if another process owns the directory, `.invalid` if
    ///   the store was written by a newer schema, `.io` for file-system problems.
    public init(directory: String, schema: Schema = .empty, options: Options = Options(), logger: Logger) throws {
        self.directory = directory
        self.environmentPath = (directory as NSString).appendingPathComponent("store")
        self.options = options
        self.logger = logger
        if !options.readOnly {
            try FileManager.default.createDirectory(atPath: environmentPath, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } else if !FileManager.default.fileExists(atPath: (environmentPath as NSString).appendingPathComponent("data.mdb")) {
            throw StorageError(.notFound, "no store in \(directory) (expected \(environmentPath)/data.mdb)")
        }
        self.lock = options.lockDirectory ? try DataDirectoryLock(directory: directory) : nil
        let environment = try LMDB.Environment(path: environmentPath, mapSize: options.mapSize,
                                               maxReaders: options.maxReaders, maxDatabases: options.maxDatabases,
                                               readOnly: options.readOnly)
        let cleared = environment.clearStaleReaders()
        if cleared > 0 { logger.warning("cleared stale LMDB readers", metadata: ["atende.store.readers_cleared": "\(cleared)"]) }
        self.environment = environment
        self.databases = try Self.openDatabases(schema, in: environment, readOnly: options.readOnly)
        if !options.readOnly {
            try migrate(to: schema)
            writerBox.withLock { $0 = StoreWriter(store: self) }
        }
        metrics.update(from: environment)
    }

    deinit { close() }

    /// Counts since open: durable commits, changes applied, map growths. For tests and benchmarks;
    /// operators read the same figures at `/metrics`.
    public var statistics: Statistics { stats.withLock { $0 } }

    public struct Statistics: Sendable, Equatable {
        public var commits = 0
        public var changes = 0
        public var mapGrowths = 0
    }

    let stats = Mutex(Statistics())

    /// Healthy until a commit fails at the disk.
    public var health: Health { state.withLock { $0.health } }

    /// Runs `body` on one consistent snapshot. `body` is synchronous on purpose: an LMDB
    /// transaction must not cross an `await`.
    public func read<R>(_ body: (borrowing ReadTransaction) throws -> R) throws -> R {
        try gate.withReadLock {
            guard !state.withLock({ $0.closed }) else { throw StorageError(.invalid, "the store is closed") }
            let txn: LMDB.Transaction
            do {
                txn = try LMDB.Transaction(environment, readOnly: true)
            } catch let error as StorageError where error.code == .readersFull {
                environment.clearStaleReaders()
                txn = try LMDB.Transaction(environment, readOnly: true)
            }
            return try body(ReadTransaction(handle: txn.handle, store: self))
        }
    }

    /// Applies `change` in the next group commit and returns its result once that commit is
    /// durable (fdatasync'd). `change` may run more than once — it is replayed after the map
    /// grows — so it must only touch the transaction. If it throws, only it is rolled back.
    public func write<R: Sendable>(_ change: @escaping @Sendable (borrowing WriteTransaction) throws -> R) async throws -> R {
        guard let writer = writerBox.withLock({ $0 }) else {
            throw StorageError(.invalid, "the store is read-only or closed")
        }
        return try await writer.submit(change)
    }

    /// Stops the writer after it commits what is queued, then closes the environment and releases
    /// the data directory. Idempotent.
    public func close() {
        let writer = writerBox.withLock { box -> StoreWriter? in defer { box = nil }; return box }
        writer?.stop()
        gate.withWriteLock {
            state.withLock { $0.closed = true }
            environment.close()
        }
        lock?.release()
    }

    func markFailed(_ reason: String) {
        state.withLock { $0.health = .failed(reason) }
        stopSignal.fire()
    }

    var isClosed: Bool { state.withLock { $0.closed } }

    /// Bytes of the map in use and the map's size.
    /// Bytes of the map in use and the map's size; zero once the store is closed.
    public var mapUsage: (used: Int, size: Int) {
        gate.withReadLock {
            guard !isClosed else { return (0, 0) }
            let info = environment.info
            return ((Int(info.me_last_pgno) + 1) * environment.pageSize, Int(info.me_mapsize))
        }
    }

    /// The names of every database in the environment with its entry count.
    public func databaseCounts() throws -> [String: Int] {
        try read { txn in
            var counts: [String: Int] = [:]
            for name in databases.keys where !name.hasPrefix("_") { counts[name] = try txn.rawCount(name) }
            return counts
        }
    }
}

extension Store {
    private static func openDatabases(_ schema: Schema, in env: LMDB.Environment, readOnly: Bool) throws -> [String: MDB_dbi] {
        var dbis: [String: MDB_dbi] = [:]
        let names: [String]
        let txn = try LMDB.Transaction(env, readOnly: readOnly)
        if readOnly {
            names = try Self.listDatabases(txn.handle)  // everything that exists, schema or not
        } else {
            names = schema.allDatabaseNames
        }
        for name in names {
            var dbi = MDB_dbi()
            let flags = readOnly ? 0 : UInt32(MDB_CREATE)
            try check("mdb_dbi_open") { mdb_dbi_open(txn.handle, name, flags, &dbi) }
            dbis[name] = dbi
        }
        try txn.commit()        // dbi handles become visible to every later transaction
        return dbis
    }

    /// The named databases recorded in the main (unnamed) database.
    static func listDatabases(_ txn: OpaquePointer) throws(StorageError) -> [String] {
        var main = MDB_dbi()
        try check("mdb_dbi_open") { mdb_dbi_open(txn, nil, 0, &main) }
        let cursor = try LMDB.Cursor(txn: txn, dbi: main)
        var names: [String] = []
        var entry = try cursor.get(MDB_FIRST)
        while let (key, _) = entry {
            names.append(String(decoding: key, as: UTF8.self))
            entry = try cursor.get(MDB_NEXT)
        }
        return names
    }

    private func migrate(to schema: Schema) throws {
        let versionKey = Key("schema_version")
        let txn = try LMDB.Transaction(environment, readOnly: false)
        let write = WriteTransaction(handle: txn.handle, store: self)
        let stored = try Schema.meta.get(versionKey, in: write).map { Int(String(decoding: $0, as: UTF8.self)) ?? -1 }
        let current = stored ?? 0
        if current > schema.version {
            throw StorageError(.invalid, "this store has schema version \(current), newer than this atende (\(schema.version)); upgrade atende")
        }
        if stored == nil {
            try Schema.meta.put(Array(ISO8601DateFormatter().string(from: Date()).utf8), for: Key("created_at"), in: write)
        }
        if current < schema.version {
            for version in (current + 1)...schema.version {
                try schema.migrations[version]?(write)
                logger.info("migrated store schema", metadata: ["atende.store.schema_version": "\(version)"])
            }
        }
        if stored != schema.version {
            try Schema.meta.put(Array(String(schema.version).utf8), for: versionKey, in: write)
        }
        try txn.commit()
    }
}
