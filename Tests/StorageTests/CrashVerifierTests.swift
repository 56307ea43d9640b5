import AtendeTesting
import Foundation
import Storage
import Testing

/// The crash writer's document, declared here on its own (not imported from the helper) so the
/// verifier does not trust the writer's definition. JSON shape: Tests/CrashWriter/CrashRecord.swift.
struct CrashRecord: Codable, Sendable {
    var id: DocumentID
    var n: Int
    var writer: Int
    var pad: String
}

let crashRecords = DocumentCollection<CrashRecord>(
    "records", key: { Key($0.id) },
    indexes: [.unique("n", { [Key(UInt64($0.n))] })])

let crashSchema = Schema(version: 1, databases: [crashRecords])

/// The numbers a ledger acknowledges, in order. Only complete lines count: a line without its
/// newline was never fully handed to the kernel, so it was never an acknowledgement.
func readLedger(_ path: String) throws -> [Int] {
    guard FileManager.default.fileExists(atPath: path) else { return [] }
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    lines.removeLast()                                // "" after the last newline, or a torn line
    return try lines.map { line in
        guard let n = Int(line) else { throw HarnessError("ledger \(path) has a line that is not a number: \(line.prefix(40))") }
        return n
    }
}

/// What the verifier found after a crash.
struct CrashCheck: CustomStringConvertible {
    var acked = 0
    var stored = 0
    /// Acknowledged but not in the store: a lost write.
    var lost: [Int] = []
    /// In the store more than once.
    var duplicated: [Int] = []
    /// Anything else inconsistent (index and documents disagree, a ledger number repeated…).
    var problems: [String] = []

    var isClean: Bool { lost.isEmpty && duplicated.isEmpty && problems.isEmpty }

    var description: String {
        "acked \(acked), stored \(stored), lost \(lost.count) \(lost.prefix(10)), duplicated \(duplicated.count) \(duplicated.prefix(10)), problems \(problems.prefix(5))"
    }
}

/// Opens the store in `directory` as a restarted daemon would (read-write, taking the directory
/// lock — so a dead writer must have left nothing that blocks an open), then checks `acked`.
///
/// - `recent == nil`: a full check. The unique index on `n` is walked page by page; each entry's
///   document must decode, the numbers must come strictly increasing (so no number is stored
///   twice), the index must hold exactly one entry per document, and every acknowledged number
///   must be among them.
/// - otherwise a quick check for the cycles between full ones: only the `recent` numbers are
///   looked up through the index, plus the count invariants.
func checkCrashStore(_ directory: String, acked: [Int], recent: ArraySlice<Int>? = nil) async throws -> CrashCheck {
    var check = CrashCheck(acked: acked.count)
    if Set(acked).count != acked.count { check.problems.append("the ledger acknowledges a number twice") }
    let store = try await openStore(directory)
    defer { store.close() }
    let counts = try store.databaseCounts()
    let documents = counts["records"] ?? 0, indexEntries = counts["records#n"] ?? 0
    check.stored = documents
    if documents != indexEntries {
        check.problems.append("\(documents) documents but \(indexEntries) unique-index entries")
    }
    if let recent {
        try store.read { txn throws in
            for n in recent where try crashRecords.get(unique: "n", Key(UInt64(n)), in: txn)?.n != n {
                check.lost.append(n)
            }
        }
        if documents < acked.count { check.problems.append("fewer documents (\(documents)) than acknowledgements") }
        return check
    }
    var stored: [Int] = []
    stored.reserveCapacity(documents)
    var cursor: Key?
    repeat {              // a read per page; nothing writes meanwhile (the writer is dead)
        let page = try store.read { try crashRecords.page(index: "n", after: cursor, limit: 2_000, in: $0) }
        stored += page.items.map(\.n)
        cursor = page.nextCursor
    } while cursor != nil
    for (previous, next) in zip(stored, stored.dropFirst()) where next <= previous {
        check.duplicated.append(next)
    }
    if stored.count != documents { check.problems.append("the index reaches \(stored.count) of \(documents) documents") }
    let present = Set(stored)
    check.lost = acked.filter { !present.contains($0) }
    return check
}

/// Opens the crash schema's store, retrying `.locked` for up to 2 s. Other tests in this process
/// spawn children; between posix_spawn's clone and the child's exec the child holds a copy of
/// every descriptor, including a just-closed store's flock'd `atende.lock`, so a reopen right
/// after a close can briefly see the directory as owned. A real second owner holds it longer.
func openStore(_ directory: String, options: Store.Options = Store.Options()) async throws -> Store {
    let deadline = ContinuousClock.now + .seconds(2)
    while true {
        do {
            return try Store(directory: directory, schema: crashSchema, options: options, logger: .quiet)
        } catch let error as StorageError where error.code == .locked && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

@Suite struct CrashVerifierTests {
    @Test func aLedgerLineWithoutItsNewlineIsNotCountedAsAcknowledged() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.appending("ledger")
        try Data("1\n2\n3".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try readLedger(path) == [1, 2])
    }

    @Test func aGarbledLedgerLineIsAnError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.appending("ledger")
        try Data("1\nx2\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: HarnessError.self) { try readLedger(path) }
    }

    @Test func theVerifierReportsAnAcknowledgedNumberMissingFromTheStoreAsLost() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        do {
            let store = try await openStore(directory.path)
            defer { store.close() }
            for n in 1...5 {
                let record = CrashRecord(id: DocumentID(), n: n, writer: 0, pad: "")
                try await store.write { try crashRecords.insert(record, in: $0) }
            }
        }
        let full = try await checkCrashStore(directory.path, acked: [1, 2, 3, 4, 5, 6])
        #expect(full.lost == [6] && full.duplicated.isEmpty && full.problems.isEmpty)
        let quick = try await checkCrashStore(directory.path, acked: [1, 2, 3, 4, 5, 6], recent: [5, 6])
        #expect(quick.lost == [6])
        #expect(try await checkCrashStore(directory.path, acked: [1, 2, 3, 4, 5]).isClean)
    }
}
