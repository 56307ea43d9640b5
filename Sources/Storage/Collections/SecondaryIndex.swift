/// A secondary index on a collection, kept in its own database and updated in the same write
/// transaction as the document.
///
/// - A unique index maps each index value to one primary key; a second document with the same
///   value is refused with `StorageError.keyExists` naming the index.
/// - A non-unique index stores one entry per (value, primary key), keyed `value ‖ primary key`
///   (value escaped and terminated, see `Key(parts:)`), so entries for one value sort by primary
///   key — with time-ordered ids, by creation time.
public struct SecondaryIndex<Document>: Sendable {
    public let name: String
    public let isUnique: Bool
    let keys: @Sendable (Document) -> [Key]

    /// `keys` returns the index values of a document (none, one or several).
    public static func unique(_ name: String, _ keys: @escaping @Sendable (Document) -> [Key]) -> Self {
        Self(name: name, isUnique: true, keys: keys)
    }

    public static func multi(_ name: String, _ keys: @escaping @Sendable (Document) -> [Key]) -> Self {
        Self(name: name, isUnique: false, keys: keys)
    }

    func databaseName(in collection: String) -> String { "\(collection)#\(name)" }

    /// The stored entry key for one index value of one document.
    func entryKey(_ value: Key, primary: Key) -> [UInt8] {
        isUnique ? value.bytes : value.terminated + primary.bytes
    }
}

/// One page of a scan: the documents and the cursor to pass as `after` for the next page.
public struct Page<Document> {
    public var items: [Document]
    /// Nil when this is the last page.
    public var nextCursor: Key?
}

extension Page: Sendable where Document: Sendable {}
