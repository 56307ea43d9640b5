import AtendeTesting
import Foundation
import Storage
import Testing

@Suite struct DocumentCollectionTests {
    @Test func aDocumentWrittenIsReadBackByKeyAndByUniqueIndex() async throws {
        try await withTemporaryStore(schema: testSchema) { store, _ in
            let doc = note(1, body: "olá")
            try await store.write { txn in try notes.put(doc, in: txn) }
            let byKey = try store.read { try notes.get(Key(doc.id), in: $0) }
            let byEmail = try store.read { try notes.get(unique: "email", Key("user1@example.com"), in: $0) }
            #expect(byKey == doc)
            #expect(byEmail == doc)
            #expect(try store.read { try notes.count(in: $0) } == 1)
        }
    }

    @Test func aPutGivenTheVersionItReplacesMovesItsIndexEntriesAndRefusesAnotherKey() async throws {
        try await withTemporaryStore(schema: testSchema) { store, _ in
            let old = note(1, tag: "old")
            try await store.write { try notes.put(old, in: $0) }
            var new = old
            new.tag = "new"
            try await store.write { [new] txn in
                let stored = try notes.get(Key(old.id), in: txn)
                try notes.put(new, replacing: stored, in: txn)
            }
            #expect(try store.read { try notes.page(index: "tag", equals: Key("old"), limit: 10, in: $0).items }.isEmpty)
            #expect(try store.read { try notes.page(index: "tag", equals: Key("new"), limit: 10, in: $0).items } == [new])
            let stranger = note(2)
            await #expect(throws: StorageError.self) {
                try await store.write { [new] txn in try notes.put(new, replacing: stranger, in: txn) }
            }
        }
    }

    @Test func anIndexWalkStopsWhereItsBodySaysAndTheIndexCountNeedsNoScan() async throws {
        try await withTemporaryStore(schema: testSchema) { store, _ in
            let all = (1...5).map { note($0, tag: $0 <= 3 ? "a" : "b") }
            try await store.write { txn in for doc in all { try notes.put(doc, in: txn) } }
            var seen: [String] = []
            try store.read { txn in
                try notes.forEach(index: "email", in: txn) { doc in
                    seen.append(doc.email)
                    return seen.count < 2
                }
            }
            #expect(seen == ["user1@example.com", "user2@example.com"])
            #expect(try store.read { try notes.count(index: "tag", in: $0) } == 5)
        }
    }

    @Test func aSecondDocumentWithTheSameUniqueValueIsRefusedAndTheFirstKept() async throws {
        try await withTemporaryStore(schema: testSchema) { store, _ in
            let first = note(1)
            try await store.write { try notes.put(first, in: $0) }
            var clash = note(2)
            clash.email = first.email
            let copy = clash
            await #expect(throws: StorageError.self) { try await store.write { try notes.put(copy, in: $0) } }
            #expect(try store.read { try notes.get(unique: "email", Key(first.email), in: $0) } == first)
            #expect(try store.read { try notes.count(in: $0) } == 1)
        }
    }

    @Test func updatingADocumentMovesItsIndexEntries() async throws {
        try await withTemporaryStore(schema: testSchema) { store, _ in
            var doc = note(1, tag: "old")
            try await store.write { [doc] in try notes.put(doc, in: $0) }
            doc.email = "new@example.com"
            doc.tag = "new"
            try await store.write { [doc] in try notes.put(doc, in: $0) }
            try store.read { txn throws in
                #expect(try notes.get(unique: "email", Key("user1@example.com"), in: txn) == nil)
                #expect(try notes.get(unique: "email", Key("new@example.com"), in: txn) == doc)
                #expect(try notes.page(index: "tag", equals: Key("old"), limit: 10, in: txn).items.isEmpty)
                #expect(try notes.page(index: "tag", equals: Key("new"), limit: 10, in: txn).items == [doc])
            }
        }
    }

    @Test func deletingADocumentRemovesItAndItsIndexEntries() async throws {
        try await withTemporaryStore(schema: testSchema) { store, _ in
            let doc = note(1)
            try await store.write { try notes.put(doc, in: $0) }
            let existed = try await store.write { try notes.delete(Key(doc.id), in: $0) }
            let again = try await store.write { try notes.delete(Key(doc.id), in: $0) }
            #expect(existed && !again)
            try store.read { txn throws in
                #expect(try notes.get(Key(doc.id), in: txn) == nil)
                #expect(try notes.get(unique: "email", Key(doc.email), in: txn) == nil)
                #expect(try notes.page(index: "tag", equals: Key("a"), limit: 10, in: txn).items.isEmpty)
            }
        }
    }

    @Test func insertRefusesAnExistingKey() async throws {
        try await withTemporaryStore(schema: testSchema) { store, _ in
            let doc = note(1)
            try await store.write { try notes.insert(doc, in: $0) }
            await #expect(throws: StorageError.self) { try await store.write { try notes.insert(doc, in: $0) } }
        }
    }

    @Test func pagesWalkEveryDocumentOnceInOrderBothWays() async throws {
        try await withTemporaryStore(schema: testSchema) { store, _ in
            var generator = SystemRandomNumberGenerator()
            let docs = (0..<25).map { n in
                Note(id: DocumentID(milliseconds: 1_000 + UInt64(n), using: &generator), email: "u\(n)", tag: n % 2 == 0 ? "even" : "odd", body: "\(n)")
            }
            try await store.write { txn in for d in docs { try notes.put(d, in: txn) } }
            for reverse in [false, true] {
                var seen: [Note] = [], cursor: Key? = nil
                repeat {
                    let page = try store.read { try notes.page(after: cursor, limit: 7, reverse: reverse, in: $0) }
                    seen += page.items
                    cursor = page.nextCursor
                } while cursor != nil
                #expect(seen == (reverse ? docs.reversed() : docs))
            }
            var evens: [Note] = [], cursor: Key? = nil
            repeat {
                let page = try store.read { try notes.page(index: "tag", equals: Key("even"), after: cursor, limit: 4, reverse: true, in: $0) }
                evens += page.items
                cursor = page.nextCursor
            } while cursor != nil
            #expect(evens == docs.filter { $0.tag == "even" }.reversed())
        }
    }

    @Test func aCursorSurvivesItsTextForm() throws {
        let key = Key(Key("conversation"), Key(42), Key(bytes: [0, 255, 0]))
        #expect(Key(base64url: key.base64url) == key)
        #expect(Key(base64url: "not base64!") == nil)
    }

    @Test func compositeKeysWithDifferentSplitsDiffer() {
        #expect(Key(Key("ab"), Key("c")) != Key(Key("a"), Key("bc")))
        #expect(Key(Key("a"), Key(1)) < Key(Key("a"), Key(2)))
        #expect(Key(Key("a"), Key(UInt64.max)) < Key(Key("b"), Key(0)))
    }

    @Test func documentIDsSortByTimeAndSurviveTheirTextForm() throws {
        var generator = SystemRandomNumberGenerator()
        let early = DocumentID(milliseconds: 1_700_000_000_000, using: &generator)
        let late = DocumentID(milliseconds: 1_700_000_000_001, using: &generator)
        #expect(early < late)
        #expect(early.description < late.description)
        #expect(early.description.count == 26)
        #expect(DocumentID(string: early.description) == early)
        #expect(DocumentID(string: early.description.lowercased()) == early)
        #expect(late.milliseconds == 1_700_000_000_001)
        #expect(DocumentID(string: "too short") == nil)
        #expect(DocumentID(string: "8ZZZZZZZZZZZZZZZZZZZZZZZZZ") == nil)  // more than 128 bits
        let json = try JSONEncoder().encode([early])
        #expect(try JSONDecoder().decode([DocumentID].self, from: json) == [early])
    }

    @Test func idsMadeAtOnceOnManyThreadsInOneMillisecondAreAllDifferent() async {
        // 16,000 ids draw their random bytes from the shared pool ~60 times over, concurrently.
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let ids = await withTaskGroup(of: [DocumentID].self) { group in
            for _ in 0..<8 { group.addTask { (0..<2_000).map { _ in DocumentID(now: now) } } }
            return await group.reduce(into: [DocumentID]()) { $0 += $1 }
        }
        #expect(Set(ids).count == 16_000)
        #expect(Set(ids.map { $0.bytes[6...] }).count == 16_000)   // the random part alone differs
        #expect(ids.allSatisfy { $0.milliseconds == 1_700_000_000_000 })
    }

    @Test func aDocumentThatDoesNotDecodeIsReportedAsCorrupted() async throws {
        struct Other: Codable, Sendable { var number: Int }
        let raw = RawDatabase("notes")
        try await withTemporaryStore(schema: testSchema) { store, _ in
            try await store.write { try raw.put(Array("{\"x\":1}".utf8), for: Key("k"), in: $0) }
            #expect {
                try store.read { try notes.get(Key("k"), in: $0) }
            } throws: { ($0 as? StorageError)?.code == .corrupted }
        }
    }
}
