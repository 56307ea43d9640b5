import AtendeTesting
import Foundation
import Logging
@testable import Storage
import Testing

/// `StoreInspection` reads every entry of every database of a data file and refuses damage a
/// checksum cannot see (an unencrypted backup's checksums can be recomputed by whoever edits it).
@Suite struct StoreInspectionTests {
    /// A closed store holding 20 notes, after `damage` ran in a write transaction; its data file.
    static func dataFile(_ dir: TemporaryDirectory,
                         damage: @escaping @Sendable (borrowing WriteTransaction) throws -> Void = { _ in }) async throws -> String {
        let store = try Store(directory: dir.path, schema: testSchema, logger: .quiet)
        try await store.write { txn in
            for n in 0..<20 { try notes.put(note(n, tag: n.isMultiple(of: 2) ? "even" : "odd", body: "body \(n)"), in: txn) }
        }
        try await store.write { txn in try damage(txn) }
        store.close()
        return dir.appending("store/data.mdb")
    }

    static func rejection(_ path: String, schema: Schema?) -> String? {
        do {
            _ = try StoreInspection.inspect(dataFile: path, schema: schema)
            return nil
        } catch let error as StorageError {
            return error.code == .corrupted ? error.message : "wrong code: \(error)"
        } catch {
            return "wrong error type: \(error)"
        }
    }

    @Test func aSoundStoreIsReadDocumentByDocumentAndEveryIndexEntryIsFollowed() async throws {
        let dir = try TemporaryDirectory("inspect")
        defer { dir.remove() }
        let path = try await Self.dataFile(dir)
        let typed = try StoreInspection.inspect(dataFile: path, schema: testSchema)
        #expect(typed.databases["notes"] == 20)
        #expect(typed.databases["notes#email"] == 20)
        #expect(typed.databases["notes#tag"] == 20)
        #expect(typed.documents == 20)
        #expect(typed.indexEntries == 40)
        #expect(typed.typedCollections == ["notes"])
        let untyped = try StoreInspection.inspect(dataFile: path)
        #expect(untyped.documents == 20 && untyped.typedCollections.isEmpty)
    }

    @Test func aDocumentThatIsNotJSONIsRefusedWithOrWithoutItsType() async throws {
        let dir = try TemporaryDirectory("inspect")
        defer { dir.remove() }
        let path = try await Self.dataFile(dir) { txn in
            try RawDatabase("notes").put([0x7B, 0xFF, 0x7D], for: Key("zzz"), in: txn)
        }
        #expect(Self.rejection(path, schema: nil)?.contains("not valid JSON") == true)
        #expect(Self.rejection(path, schema: testSchema) != nil)
    }

    @Test func aDocumentOfAnotherShapeIsRefusedWhereTheSchemaKnowsItsType() async throws {
        let dir = try TemporaryDirectory("inspect")
        defer { dir.remove() }
        let path = try await Self.dataFile(dir) { txn in
            try RawDatabase("notes").put(Array(#"{"id":1}"#.utf8), for: Key("zzz"), in: txn)
        }
        #expect(Self.rejection(path, schema: nil) == nil, "plain JSON, and no type to hold it to")
        #expect(Self.rejection(path, schema: testSchema)?.contains("does not decode") == true)
    }

    @Test func aDocumentStoredUnderAnotherKeyIsRefused() async throws {
        let dir = try TemporaryDirectory("inspect")
        defer { dir.remove() }
        let moved = note(99)
        let path = try await Self.dataFile(dir) { txn in
            try RawDatabase("notes").put(Array(try JSONEncoder().encode(moved)), for: Key("not its key"), in: txn)
        }
        #expect(Self.rejection(path, schema: testSchema)?.contains("not its own") == true)
    }

    @Test func anIndexEntryThatPointsAtNoDocumentIsRefused() async throws {
        let dir = try TemporaryDirectory("inspect")
        defer { dir.remove() }
        let path = try await Self.dataFile(dir) { txn in
            try RawDatabase("notes#email").put(Array("no such id".utf8), for: Key("ghost@example.com"), in: txn)
        }
        #expect(Self.rejection(path, schema: nil)?.contains("missing") == true)
        #expect(Self.rejection(path, schema: testSchema) != nil)
    }

    @Test func aDocumentWithoutItsIndexEntryIsRefusedWhereTheSchemaKnowsTheIndex() async throws {
        let dir = try TemporaryDirectory("inspect")
        defer { dir.remove() }
        let path = try await Self.dataFile(dir) { txn in
            try RawDatabase("notes#email").delete(Key("user3@example.com"), in: txn)
        }
        #expect(Self.rejection(path, schema: nil) == nil)
        #expect(Self.rejection(path, schema: testSchema)?.contains("lacks its entry") == true)
    }

    @Test func aFileThatIsNotLMDBIsRefused() throws {
        let dir = try TemporaryDirectory("inspect")
        defer { dir.remove() }
        let path = dir.appending("data.mdb")
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: path))
        #expect(Self.rejection(path, schema: nil) != nil)
    }
}

/// A restore that fails leaves no staging directory, and the sweep clears what a killed one left.
@Suite struct RestoreStagingTests {
    @Test func aRestoreWhoseCheckFailsRemovesItsStagingDirectoryAndLeavesTheStore() throws {
        let dir = try TemporaryDirectory("staging")
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.appending("store"), withIntermediateDirectories: true)
        try Data("live".utf8).write(to: URL(fileURLWithPath: dir.appending("store/data.mdb")))
        #expect(throws: StorageError.self) {
            try RestorePlan(dataDirectory: dir.path).run(
                stage: { path in try Data("staged".utf8).write(to: URL(fileURLWithPath: path)) },
                check: { _ in throw StorageError(.corrupted, "refused by the test") },
                step: { _ in })
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(!names.contains { $0.hasPrefix("restore-") }, "\(names)")
        #expect(try String(contentsOfFile: dir.appending("store/data.mdb"), encoding: .utf8) == "live")
    }

    @Test func theSweepRemovesStagedCopiesKeepsASwappedOutStoreAndTouchesNothingElse() throws {
        let dir = try TemporaryDirectory("staging")
        defer { dir.remove() }
        let files = ["restore-20200101T000000Z/data.mdb", "restore-20200102T000000Z/data.mdb",
                     "restore-20200102T000000Z/lock.mdb", "previous-20190101T000000Z/data.mdb", "store/data.mdb"]
        for file in files {
            try FileManager.default.createDirectory(atPath: (dir.appending(file) as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try Data(file.utf8).write(to: URL(fileURLWithPath: dir.appending(file)))
        }
        let swept = RestorePlan.sweepStaging(in: dir.path)
        #expect(swept.map(\.outcome) == [.removed, .keptAsPrevious(dir.appending("previous-20200102T000000Z"))])
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
        #expect(names == ["previous-20190101T000000Z", "previous-20200102T000000Z", "store"])
        #expect(try String(contentsOfFile: dir.appending("previous-20200102T000000Z/data.mdb"), encoding: .utf8)
            == "restore-20200102T000000Z/data.mdb")
        #expect(try String(contentsOfFile: dir.appending("store/data.mdb"), encoding: .utf8) == "store/data.mdb")
    }
}
