import Synchronization

/// The last decoded version of one document, for a hot path that reads the same document again
/// and again (the assistant settings, read for every inbound message): while the stored bytes are
/// unchanged the JSON decode is skipped. The bytes are always read from the transaction, so a
/// change committed by anyone is seen at once; comparing them costs a memcmp.
public final class DecodedDocumentCache<Document: Codable & Sendable>: Sendable {
    private let last = Mutex<(bytes: [UInt8], document: Document)?>(nil)

    public init() {}

    func document(storedAs bytes: [UInt8]) -> Document? {
        last.withLock { last in last.flatMap { $0.bytes == bytes ? $0.document : nil } }
    }

    func remember(_ document: Document, storedAs bytes: [UInt8]) {
        last.withLock { $0 = (bytes, document) }
    }
}

extension DocumentCollection {
    /// The document stored under `key`, or nil; decoded only when its bytes differ from the ones
    /// `cache` decoded last.
    public func get(_ key: Key, in txn: borrowing some TransactionReading & ~Copyable,
                    cache: DecodedDocumentCache<Document>) throws -> Document? {
        guard let bytes = try txn.rawGet(name, key.bytes) else { return nil }
        if let known = cache.document(storedAs: bytes) { return known }
        let document = try decode(bytes)
        cache.remember(document, storedAs: bytes)
        return document
    }
}
