import Foundation

/// Searches files for raw bytes: proves a secret's plaintext never reached the disk.
public enum FileScan {
    /// Every regular file under `directory` (recursively) — or `directory` itself if it is a file —
    /// whose bytes contain `needle`.
    public static func files(containing needle: [UInt8], under directory: String) throws -> [String] {
        precondition(!needle.isEmpty)
        var paths: [String] = []
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else { return [] }
        if isDirectory.boolValue {
            let enumerator = FileManager.default.enumerator(atPath: directory)
            while let relative = enumerator?.nextObject() as? String {
                let path = (directory as NSString).appendingPathComponent(relative)
                var sub: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &sub), !sub.boolValue { paths.append(path) }
            }
        } else {
            paths = [directory]
        }
        return try paths.filter { path in
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return data.range(of: Data(needle)) != nil
        }
    }
}
