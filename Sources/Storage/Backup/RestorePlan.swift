import CLMDB
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Puts a verified LMDB data file in place of a data directory's store, atomically.
///
/// Steps: take the data-directory lock (refused while `serve` runs) → sweep staging directories
/// an interrupted restore left → stage the file as `<data>/restore-<time>/data.mdb` → have the
/// caller's `check` prove it is a sound store → swap it with `<data>/store` in one
/// `renameat2(RENAME_EXCHANGE)` → keep the old store as `<data>/previous-<time>`. An interruption
/// before the swap leaves the old store in place; after it, the new one. Never a mix: each
/// `store/` is a whole environment. Any failure before the swap removes the staging directory.
public struct RestorePlan {
    public let dataDirectory: String
    public let stamp: String

    /// The prefix of a staging directory's name.
    public static let stagingPrefix = "restore-"
    static let previousPrefix = "previous-"

    public init(dataDirectory: String, now: Date = Date()) {
        self.dataDirectory = dataDirectory
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        stamp = formatter.string(from: now)
    }

    public var stagingPath: String { path(Self.stagingPrefix + stamp) }
    public var previousPath: String { path(Self.previousPrefix + stamp) }
    public var storePath: String { path("store") }

    /// Runs the plan. `stage` writes the verified data file to the path it is given; `check`
    /// inspects the staged data file (e.g. `StoreInspection` in a child process, which a damaged
    /// file may crash) and returns its databases and entry counts; `step` reports each numbered
    /// step to the operator.
    public func run(stage: (String) throws -> Void, check: (String) throws -> [String: Int],
                    step: (String) -> Void) throws {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let lock = try DataDirectoryLock(directory: dataDirectory)
        step("took the lock on \(dataDirectory): no server is using it")
        for swept in Self.sweepStaging(in: dataDirectory) { step(swept.description) }
        try FileManager.default.createDirectory(atPath: stagingPath, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        let stagedFile = (stagingPath as NSString).appendingPathComponent("data.mdb")
        do {
            try stage(stagedFile)
            let counts = try check(stagedFile)
            step("staged and checked the backup in \(stagingPath) (\(counts.count) databases)")
            try syncDirectory(stagingPath)
            if FileManager.default.fileExists(atPath: storePath) {
                guard atende_exchange_paths(stagingPath, storePath) == 0 else {
                    throw StorageError(.io, "cannot swap \(stagingPath) with \(storePath): \(String(cString: strerror(errno)))",
                                       errno: errno)
                }
            } else {
                try rename(stagingPath, storePath)
                try syncDirectory(dataDirectory)
                step("put the restored store in \(storePath) (there was no previous store)")
                withExtendedLifetime(lock) {}
                return
            }
        } catch {
            try? FileManager.default.removeItem(atPath: stagingPath)
            throw error
        }
        // From here `stagingPath` holds the old store: never removed. If a step below fails, the
        // next `serve` or `restore` finds it (it has a lock.mdb) and keeps it as previous-<time>.
        try syncDirectory(dataDirectory)
        step("swapped the restored store into \(storePath)")
        try rename(stagingPath, previousPath)
        step("kept the previous store in \(previousPath); delete it once you are satisfied")
        try syncDirectory(dataDirectory)
        withExtendedLifetime(lock) {}
    }

    func path(_ name: String) -> String { (dataDirectory as NSString).appendingPathComponent(name) }

    private func rename(_ from: String, _ to: String) throws {
        guard Glibc.rename(from, to) == 0 else {
            throw StorageError(.io, "cannot rename \(from) to \(to): \(String(cString: strerror(errno)))", errno: errno)
        }
    }
}

/// fsyncs a directory so a rename inside it is durable.
func syncDirectory(_ path: String) throws {
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw StorageError(.io, "cannot open \(path): \(String(cString: strerror(errno)))", errno: errno) }
    defer { close(fd) }
    guard fsync(fd) == 0 else { throw StorageError(.io, "fsync \(path): \(String(cString: strerror(errno)))", errno: errno) }
}
