import Synchronization

/// The decoded versions of a collection's recently written or read documents, by key, each with
/// the exact bytes it was decoded from or encoded to. A read still fetches the stored bytes from
/// its transaction and reuses the decoded document only when they are equal (a memcmp), so it
/// sees every change at once, whoever committed it, and an aborted write's entry simply never
/// matches. What it saves is the JSON decode — the most expensive part of reading a document, and
/// on the ingest path the most expensive part of the store's single writer thread.
///
/// Sound only for documents whose encoding keeps everything decoding needs (`decode(encode(d))
/// == d`): synthesised Codable over plain values does; a type that drops or reshapes fields on
/// encode must not get a memo. Two generations of at most `capacity / 2` entries each bound the
/// memory: when the newer one fills up, the older one is dropped and the newer one takes its
/// place, and a document found in the older one moves to the newer one.
final class DocumentMemo<Document: Sendable>: Sendable {
    private struct Entry {
        let bytes: [UInt8]
        let document: Document
    }

    private struct Generations {
        var newer: [Key: Entry] = [:]
        var older: [Key: Entry] = [:]
    }

    private let generations = Mutex(Generations())
    private let half: Int

    init(capacity: Int) {
        precondition(capacity >= 2, "a memo keeps at least two documents")
        half = capacity / 2
    }

    /// The document decoded from exactly `bytes` under `key`, if remembered.
    func document(_ key: Key, storedAs bytes: [UInt8]) -> Document? {
        generations.withLock { state in
            if let entry = state.newer[key] { return entry.bytes == bytes ? entry.document : nil }
            guard let entry = state.older.removeValue(forKey: key), entry.bytes == bytes else { return nil }
            Self.insert(key, entry, into: &state, half: half)
            return entry.document
        }
    }

    /// Remembers that `bytes` under `key` decode to `document`.
    func remember(_ key: Key, _ document: Document, storedAs bytes: [UInt8]) {
        generations.withLock { state in
            state.older[key] = nil
            Self.insert(key, Entry(bytes: bytes, document: document), into: &state, half: half)
        }
    }

    /// How many documents are remembered (for tests).
    var count: Int { generations.withLock { $0.newer.count + $0.older.count } }

    private static func insert(_ key: Key, _ entry: Entry, into state: inout Generations, half: Int) {
        if state.newer[key] == nil, state.newer.count >= half {
            state.older = state.newer
            state.newer = [:]
        }
        state.newer[key] = entry
    }
}
