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

    @Test func anOlderAtendeRefusesAStoreWrittenByANewerSchema() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try Store(directory: directory.path, schema: Schema(version: 5, databases: [notes]), logger: .quiet).close()
        #expect {
            _ = try Store(directory: directory.path, schema: testSchema, logger: .quiet)
        } throws: { ($0 as? StorageError)?.code == .invalid }
    }
}
