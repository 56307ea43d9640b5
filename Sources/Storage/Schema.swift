/// What a store holds: every database to open, the schema version, and the migrations that bring
/// an older store up to it. Declared once by the module that owns the data (Desk), passed to `Store`.
public struct Schema: Sendable {
    /// A step from version `n - 1` to `n`, run inside the opening write transaction.
    public typealias Migration = @Sendable (borrowing WriteTransaction) throws -> Void

    public var version: Int
    public var databases: [any DatabaseDescriptor]
    public var migrations: [Int: Migration]

    public init(version: Int, databases: [any DatabaseDescriptor], migrations: [Int: Migration] = [:]) {
        self.version = version
        self.databases = databases
        self.migrations = migrations
    }

    /// A schema with no documents: enough to open a store for backup, verify or the vault.
    public static let empty = Schema(version: 0, databases: [])

    /// Storage's own bookkeeping: the schema version and the time the store was created.
    static let meta = RawDatabase("_meta")

    var allDatabaseNames: [String] {
        var seen = Set<String>(), names: [String] = []
        for name in ([Self.meta] + databases).flatMap(\.databaseNames) where seen.insert(name).inserted {
            names.append(name)
        }
        return names
    }
}
