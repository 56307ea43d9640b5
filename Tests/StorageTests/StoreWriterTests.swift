import AtendeTesting
import Foundation
import Logging
import Storage
import Testing

@Suite struct StoreWriterTests {
    @Test func concurrentWritersShareCommitsAndEveryChangeIsDurable() async throws {
        try await withTemporaryStore(schema: testSchema) { store, _ in
            let docs = (0..<256).map { note($0) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for doc in docs { group.addTask { try await store.write { try notes.put(doc, in: $0) } } }
                try await group.waitForAll()
            }
            let stats = store.statistics
            #expect(stats.changes == 256)
            #expect(stats.commits < 256, "group commit should batch concurrent writers; got \(stats.commits) commits")
            #expect(try store.read { try notes.count(in: $0) } == 256)
        }
    }

    @Test func aChangeThatThrowsIsRolledBackAloneAndOthersInItsBatchCommit() async throws {
        struct Refused: Error {}
        try await withTemporaryStore(schema: testSchema) { store, _ in
            let results = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
                for n in 0..<40 {
                    group.addTask {
                        do {
                            try await store.write { txn in
                                try notes.put(note(n), in: txn)            // written, then…
                                if n % 4 == 0 { throw Refused() }           // …rolled back for every 4th
                            }
                            return (n, true)
                        } catch is Refused { return (n, false) }
                    }
                }
                return try await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
            }
            #expect(results.values.filter { !$0 }.count == 10)
            let stored = try store.read { txn throws in
                try (0..<40).filter { try notes.get(unique: "email", Key("user\($0)@example.com"), in: txn) != nil }
            }
            #expect(stored == (0..<40).filter { $0 % 4 != 0 })
        }
    }

    @Test func aFullMapGrowsAndTheWriteIsReplayedTransparently() async throws {
        var options = Store.Options()
        options.mapSize = 1 << 20                        // 1 MiB, then write ~6 MiB
        try await withTemporaryStore(schema: testSchema, options: options) { store, _ in
            let body = String(repeating: "x", count: 6_000)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<1_000 {
                    group.addTask { try await store.write { try notes.put(note(n, body: body), in: $0) } }
                    if n % 100 == 0 {                    // readers run while the map grows
                        group.addTask { _ = try store.read { try notes.count(in: $0) } }
                    }
                }
                try await group.waitForAll()
            }
            #expect(store.statistics.mapGrowths >= 1)
            #expect(store.mapUsage.size > 1 << 20)
            #expect(try store.read { try notes.count(in: $0) } == 1_000)
        }
    }

    @Test func aMapThatCannotGrowFurtherGivesAClearErrorAndKeepsEarlierData() async throws {
        var options = Store.Options()
        options.mapSize = 1 << 20
        options.maxMapSize = 1 << 20
        try await withTemporaryStore(schema: testSchema, options: options) { store, _ in
            let kept = note(0)
            try await store.write { try notes.put(kept, in: $0) }
            let big = String(repeating: "y", count: 2 << 20)
            await #expect {
                try await store.write { try notes.put(note(1, body: big), in: $0) }
            } throws: { ($0 as? StorageError)?.code == .mapFull }
            #expect(try store.read { try notes.get(Key(kept.id), in: $0) } == kept)
            #expect(store.health == .ok)
        }
    }

    @Test func committedWritesSurviveClosingAndReopening() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let doc = note(7)
        do {
            let store = try Store(directory: directory.path, schema: testSchema, logger: .quiet)
            try await store.write { try notes.put(doc, in: $0) }
            store.close()
        }
        let reopened = try Store(directory: directory.path, schema: testSchema, logger: .quiet)
        defer { reopened.close() }
        #expect(try reopened.read { try notes.get(Key(doc.id), in: $0) } == doc)
    }

    @Test func aSecondOpenOfTheSameDirectoryIsRefusedAsLocked() async throws {
        _ = try await withTemporaryStore(schema: testSchema) { _, directory in
            #expect {
                _ = try Store(directory: directory.path, schema: testSchema, logger: .quiet)
            } throws: { ($0 as? StorageError)?.code == .locked }
        }
    }

    @Test func writesAfterCloseAreRefused() async throws {
        try await withTemporaryStore(schema: testSchema) { store, _ in
            store.close()
            await #expect(throws: StorageError.self) { try await store.write { try notes.put(note(1), in: $0) } }
            #expect(throws: StorageError.self) { try store.read { try notes.count(in: $0) } }
        }
    }
}

@Suite struct StoreCloseTests {
    @Test func closingReleasesTheDirectoryAtOnceEvenWhileTheStoreIsStillReferenced() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try Store(directory: directory.path, schema: testSchema, logger: .quiet)
        try await first.write { try notes.put(note(1), in: $0) }
        first.close()
        let second = try Store(directory: directory.path, schema: testSchema, logger: .quiet)
        defer { second.close() }
        #expect(try second.read { try notes.count(in: $0) } == 1)
        #expect(first.mapUsage.size == 0)
        withExtendedLifetime(first) {}
    }
}
