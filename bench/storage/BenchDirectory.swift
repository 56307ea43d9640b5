import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where the benchmark writes: a fresh directory on a real disk. tmpfs would make fdatasync free
/// and every figure meaningless, so a tmpfs temp dir is refused in favour of the current directory.
struct BenchDirectory {
    let path: String
    let filesystem: String

    init(requested: String?) throws {
        let candidates = requested.map { [$0] } ?? [FileManager.default.temporaryDirectory.path,
                                                    FileManager.default.currentDirectoryPath]
        for base in candidates {
            let type = Self.filesystemType(base)
            if requested == nil && (type.hasPrefix("tmpfs") || type.hasPrefix("ramfs")) { continue }
            path = (base as NSString).appendingPathComponent("atende-storage-bench-\(getpid())")
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            filesystem = type
            return
        }
        throw BenchError("no disk-backed directory found among \(candidates); pass --dir")
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// The file-system type of `path`: the type of the longest mount point in /proc/self/mounts
    /// that contains it (Glibc's module map does not export statfs(2)).
    static func filesystemType(_ path: String) -> String {
        let resolved = (path as NSString).resolvingSymlinksInPath
        guard let mounts = try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8) else { return "unknown" }
        var best: (point: String, type: String)?
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            // Mount points escape spaces as \040; benchmark paths don't contain any.
            let point = String(fields[1]), type = String(fields[2])
            let contains = point == "/" || resolved == point || resolved.hasPrefix(point + "/")
            if contains, point.count >= (best?.point.count ?? -1) { best = (point, type) }
        }
        return best.map { "\($0.type) (mounted on \($0.point))" } ?? "unknown"
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
