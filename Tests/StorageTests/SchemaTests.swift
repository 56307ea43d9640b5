import AtendeTesting
import Storage
import Testing

@Suite struct SchemaTests {
    @Test func migrationsRunOnceInOrderWhenTheSchemaVersionRises() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let doc = note(1, tag: "v1")
        do {
            let store = try Store(directory: directory.path, schema: testSchema, logger: .quiet)
            try await store.write { try notes.put(doc, in: $0) }
            store.close()
        }
        let v3 = Schema(version: 3, databases: [notes], migrations: [
            2: { txn in
                guard var d = try notes.get(Key(doc.id), in: txn) else { return }
                d.tag += "+2"; try notes.put(d, in: txn)
            },
            3: { txn in
                guard var d = try notes.get(Key(doc.id), in: txn) else { return }
                d.tag += "+3"; try notes.put(d, in: txn)
            },
        ])
        for _ in 0..<2 {                                 // the second open must not migrate again
            let store = try Store(directory: directory.path, schema: v3, logger: .quiet)
            #expect(try store.read { try notes.get(Key(doc.id), in: $0)?.tag } == "v1+2+3")
            store.close()
        }
    }

    @Test func anIndexAddedToACollectionThatHoldsDocumentsIsBuiltByItsMigration() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // Version 1: notes without a `body` index, 2 500 of them (more than one page of the rebuild).
        let written = (0..<2500).map { note($0, body: $0.isMultiple(of: 5) ? "five" : "other") }
        do {
            let store = try Store(directory: directory.path, schema: testSchema, logger: .quiet)
            try await store.write { txn in for doc in written { try notes.put(doc, in: txn) } }
            store.close()
        }
        let indexed = DocumentCollection<Note>(
            "notes", key: { Key($0.id) },
            indexes: notes.indexes + [.multi("body", { [Key($0.body)] })])
        let v2 = Schema(version: 2, databases: [indexed], migrations: [2: { txn in try indexed.rebuildIndex("body", in: txn) }])
        let store = try Store(directory: directory.path, schema: v2, logger: .quiet)
        let fives = try store.read { try indexed.page(index: "body", equals: Key("five"), limit: 1000, in: $0).items }
        #expect(Set(fives.map(\.id)) == Set(written.filter { $0.body == "five" }.map(\.id)))
        // A note written after the migration is indexed as any write is.
        let later = note(9999, body: "five")
        try await store.write { try indexed.put(later, in: $0) }
        #expect(try store.read { try indexed.page(index: "body", equals: Key("five"), limit: 1000, in: $0).items.count } == 501)
        store.close()
        // Every index entry the documents imply is there, and none more: the store inspects clean.
        let report = try StoreInspection.inspect(dataFile: directory.appending("store/data.mdb"), schema: v2)
        #expect(report.databases["notes#body"] == 2501 && report.documents == 2501)
    }

    @Test func anOlderAtendeRefusesAStoreWrittenByANewerSchema() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Store(directory: directory.path, schema: Schema(version: 5, databases: [notes]), logger: .quiet).close()
        #expect {
            _ = try Store(directory: directory.path, schema: testSchema, logger: .quiet)
        } throws: { ($0 as? StorageError)?.code == .invalid }
    }
}
