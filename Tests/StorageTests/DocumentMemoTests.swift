import AtendeTesting
import Foundation
@testable import Storage
import Testing

/// A collection that remembers up to four decoded documents.
private let remembered = DocumentCollection<Note>(
    "remembered", key: { Key($0.id) },
    indexes: [.unique("email", { [Key($0.email)] }), .multi("tag", { [Key($0.tag)] })],
    remembering: 4)
private let memoSchema = Schema(version: 1, databases: [remembered])

@Suite struct DocumentMemoTests {
    @Test func aRememberedDocumentIsReadBackAndEveryCommittedChangeIsSeen() async throws {
        try await withTemporaryStore(schema: memoSchema) { store, _ in
            var doc = note(1, body: "first")
            try await store.write { [doc] in try remembered.put(doc, in: $0) }
            #expect(try store.read { try remembered.get(Key(doc.id), in: $0) } == doc)
            #expect(try store.read { try remembered.get(Key(doc.id), in: $0) } == doc)
            #expect(try store.read { try remembered.get(unique: "email", Key(doc.email), in: $0) } == doc)
            doc.body = "second"
            try await store.write { [doc] in try remembered.put(doc, in: $0) }
            #expect(try store.read { try remembered.get(Key(doc.id), in: $0) }?.body == "second")
            _ = try await store.write { [doc] in try remembered.delete(Key(doc.id), in: $0) }
            #expect(try store.read { try remembered.get(Key(doc.id), in: $0) } == nil)
        }
    }

    @Test func aWriteThatFailedLeavesTheStoredDocumentTheOneRead() async throws {
        struct Refused: Error {}
        try await withTemporaryStore(schema: memoSchema) { store, _ in
            let doc = note(1, body: "kept")
            try await store.write { [doc] in try remembered.put(doc, in: $0) }
            var changed = doc
            changed.body = "never committed"
            await #expect(throws: Refused.self) {
                try await store.write { [changed] txn in
                    try remembered.put(changed, in: txn)
                    // The change is visible inside its own transaction, from the memo or not…
                    #expect(try remembered.get(Key(changed.id), in: txn)?.body == "never committed")
                    throw Refused()
                }
            }
            // …and gone with it: the memo's entry for the aborted bytes never matches again.
            #expect(try store.read { try remembered.get(Key(doc.id), in: $0) } == doc)
        }
    }

    @Test func theMemoKeepsAtMostItsCapacityAndStillReadsEveryDocument() async throws {
        try await withTemporaryStore(schema: memoSchema) { store, _ in
            let docs = (1...20).map { note($0, body: "n\($0)") }
            try await store.write { txn in for doc in docs { try remembered.put(doc, in: txn) } }
            #expect((remembered.memo?.count ?? 0) <= 4)
            for doc in docs.reversed() {
                #expect(try store.read { try remembered.get(Key(doc.id), in: $0) } == doc)
                #expect((remembered.memo?.count ?? 0) <= 4)
            }
        }
    }

    @Test func aDocumentEncodedAheadIsStoredLikeAnyOtherAndCannotTakeAKeyTwice() async throws {
        try await withTemporaryStore(schema: memoSchema) { store, _ in
            let encoded = try remembered.encoded(note(1, tag: "ahead"))
            try await store.write { try remembered.insert(encoded, in: $0) }
            #expect(try store.read { try remembered.page(index: "tag", equals: Key("ahead"), limit: 5, in: $0).items }
                == [encoded.document])
            await #expect(throws: StorageError.self) { try await store.write { try remembered.insert(encoded, in: $0) } }
            #expect(try store.read { try remembered.count(in: $0) } == 1)
        }
    }
}
