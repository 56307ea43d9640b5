import Foundation
import Logging
import Storage

/// A fresh directory under the system temp dir, removed by `remove()`.
public struct TemporaryDirectory: Sendable {
    public let path: String

    public init(_ label: String = "atende") throws {
        let base = FileManager.default.temporaryDirectory.path
        path = (base as NSString).appendingPathComponent("\(label)-\(UUID().uuidString.prefix(12))")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    public func appending(_ component: String) -> String { (path as NSString).appendingPathComponent(component) }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Opens a real LMDB store in a temporary directory for the duration of `body`, then closes it
/// and deletes the directory.
public func withTemporaryStore<R>(
    schema: Schema = .empty,
    options: Store.Options = Store.Options(),
    _ body: (Store, TemporaryDirectory) async throws -> R
) async throws -> R {
    let directory = try TemporaryDirectory("atende-store")
    defer { directory.remove() }
    let store = try Store(directory: directory.path, schema: schema, options: options, logger: .quiet)
    defer { store.close() }
    return try await body(store, directory)
}

extension Logger {
    /// A logger that drops everything: for tests that don't look at logs.
    public static let quiet = Logger(label: "atende.test", factory: { _ in SwiftLogNoOpLogHandler() })
}
