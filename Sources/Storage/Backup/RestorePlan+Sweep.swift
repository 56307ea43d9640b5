import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension RestorePlan {
    /// What the sweep did with one `restore-*` directory.
    public struct SweptStaging: Sendable, CustomStringConvertible {
        public enum Outcome: Sendable, Equatable {
            /// A staged copy that never became the store: deleted.
            case removed
            /// The old store of a restore interrupted right after its swap: renamed to this path.
            case keptAsPrevious(String)
            /// The directory could not be removed or renamed (the reason).
            case failed(String)
        }

        public var path: String
        public var outcome: Outcome

        public var description: String {
            switch outcome {
            case .removed: "removed \(path), left by an interrupted or failed restore"
            case .keptAsPrevious(let previous): "kept the store an interrupted restore swapped out as \(previous)"
            case .failed(let reason): "could not clear \(path): \(reason)"
            }
        }
    }

    /// Clears the `restore-*` directories in `dataDirectory` that a restore left behind (killed,
    /// crashed or failed before cleaning up). Call it only while holding the data-directory lock,
    /// so no restore is running. Never touches `store` or `previous-*`.
    ///
    /// A staged copy is opened by nothing but the checker (without a lock file), so it has no
    /// `lock.mdb`; a store that `serve` used has one. So a `restore-*` directory with a `lock.mdb`
    /// is an old store swapped out just before the process died: it is renamed to `previous-*`,
    /// never deleted. Anything else is a staged copy and is removed.
    public static func sweepStaging(in dataDirectory: String) -> [SweptStaging] {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: dataDirectory) else { return [] }
        var swept: [SweptStaging] = []
        for name in names.sorted() where name.hasPrefix(stagingPrefix) {
            let path = (dataDirectory as NSString).appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            if manager.fileExists(atPath: (path as NSString).appendingPathComponent("lock.mdb")) {
                let previous = (dataDirectory as NSString)
                    .appendingPathComponent(previousPrefix + name.dropFirst(stagingPrefix.count))
                if manager.fileExists(atPath: previous) {
                    swept.append(SweptStaging(path: path, outcome: .failed("it holds a store and \(previous) exists")))
                } else if Glibc.rename(path, previous) == 0 {
                    swept.append(SweptStaging(path: path, outcome: .keptAsPrevious(previous)))
                } else {
                    swept.append(SweptStaging(path: path, outcome: .failed(String(cString: strerror(errno)))))
                }
                continue
            }
            do {
                try manager.removeItem(atPath: path)
                swept.append(SweptStaging(path: path, outcome: .removed))
            } catch {
                swept.append(SweptStaging(path: path, outcome: .failed("\(error)")))
            }
        }
        if !swept.isEmpty { try? syncDirectory(dataDirectory) }
        return swept
    }
}
