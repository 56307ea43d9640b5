import CLMDB
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// A consistent copy of a store's LMDB data file, and what a data file holds.
///
/// The copy runs inside one LMDB read transaction (`mdb_env_copyfd2`), so it is a snapshot even
/// while `atende serve` keeps writing — a raw `cp` of data.mdb is not (reliability.md A1.6).
public enum StoreSnapshot {
    public struct Result: Sendable {
        /// Whether free pages were dropped (MDB_CP_COMPACT). False when compaction failed and a
        /// plain copy was made instead.
        public var compacted: Bool
        public var bytes: Int
    }

    /// Writes a snapshot of the store in `dataDirectory` to `path` (created with mode 0600).
    /// Does not take the data-directory lock: safe while another process serves from it.
    public static func copy(dataDirectory: String, to path: String, logger: Logger) throws -> Result {
        var options = Store.Options()
        options.readOnly = true
        options.lockDirectory = false
        let environmentPath = (dataDirectory as NSString).appendingPathComponent("store")
        guard FileManager.default.fileExists(atPath: (environmentPath as NSString).appendingPathComponent("data.mdb")) else {
            throw StorageError(.notFound, "no store in \(dataDirectory) (expected \(environmentPath)/data.mdb)")
        }
        let env = try LMDB.Environment(path: environmentPath, mapSize: options.mapSize, maxReaders: options.maxReaders,
                                       maxDatabases: options.maxDatabases, readOnly: true)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StorageError(.io, "cannot create \(path): \(String(cString: strerror(errno)))", errno: errno) }
        defer { close(fd) }
        var compacted = true
        var rc = mdb_env_copyfd2(env.handle, fd, UInt32(MDB_CP_COMPACT))
        if rc != MDB_SUCCESS {
            // Compaction fails on an environment with a page leak (lmdb.h); a plain copy is still
            // a consistent snapshot, only larger.
            logger.warning("compacting copy failed; making a plain copy",
                           metadata: ["atende.backup.error": "\(String(cString: mdb_strerror(rc)))"])
            compacted = false
            guard ftruncate(fd, 0) == 0, lseek(fd, 0, SEEK_SET) == 0 else {
                throw StorageError(.io, "cannot rewind \(path): \(String(cString: strerror(errno)))", errno: errno)
            }
            rc = mdb_env_copyfd2(env.handle, fd, 0)
        }
        guard rc == MDB_SUCCESS else { throw StorageError(lmdb: rc, in: "mdb_env_copyfd2") }
        guard fsync(fd) == 0 else { throw StorageError(.io, "fsync \(path): \(String(cString: strerror(errno)))", errno: errno) }
        var info = stat()
        fstat(fd, &info)
        return Result(compacted: compacted, bytes: Int(info.st_size))
    }

    /// The named databases in the LMDB data file at `path` with their entry counts. Opens the
    /// file privately (no lock file, read-only): for a snapshot no other process uses. Trusts the
    /// file (it reads LMDB's counts, not the entries): for a backup's payload use `StoreInspection`
    /// in a separate process.
    public static func contents(ofDataFile path: String) throws -> [String: Int] {
        let reader = try PrivateReader(dataFile: path)
        let txn = reader.txn
        var counts: [String: Int] = [:]
        for name in try Store.listDatabases(txn) {
            var dbi = MDB_dbi(), stat = MDB_stat()
            try check("mdb_dbi_open") { mdb_dbi_open(txn, name, 0, &dbi) }
            try check("mdb_stat") { mdb_stat(txn, dbi, &stat) }
            counts[name] = Int(stat.ms_entries)
        }
        return counts
    }
}
