import AtendeTesting
import Foundation
import Storage
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// reliability.md B3: the disk refusing a commit, and readers left behind by dead processes.
/// (A map that cannot grow further is StoreWriterTests' `aMapThatCannotGrowFurther…`.)
@Suite struct FaultTests {
    /// Mirrors the JSON line `CrashWriter disk-full` prints (Tests/CrashWriter/DiskFullMode.swift).
    struct DiskFullReport: Decodable {
        struct Failure: Decodable { var code: String; var errno: Int32?; var message: String }
        var acked: Int
        var limit: Int
        var failures: [Failure]
        var health: String
        var laterWrite: Failure?
    }

    @Test(.timeLimit(.minutes(3)))
    func aCommitTheDiskRefusesFailsClearlyStopsWritesAndLosesNothingAcknowledged() async throws {
        let run = try CrashRun()
        defer { run.directory.remove() }
        // The child lowers RLIMIT_FSIZE past its data file, so a commit that grows it gets EFBIG.
        let child = try ChildProcess(run.writer, ["disk-full", "--data", run.data, "--ledger", run.ledger, "--writers", "8"])
        let status = try await child.waitForExit()
        try #require(status == .exited(0), "disk-full writer \(status); stderr: \(child.errorOutput)")
        let line = try await child.line(startingWith: "report ", timeout: .seconds(1))
        let report = try JSONDecoder().decode(DiskFullReport.self, from: Data(line.dropFirst("report ".count).utf8))

        // The writers whose change was in the failing commit get an I/O error naming the cause…
        let io = report.failures.filter { $0.code == "io" }
        #expect(!io.isEmpty, "no writer saw an I/O error: \(report.failures)")
        // EFBIG when a write starts past the limit; EIO when it is cut short at the limit (LMDB
        // 0.9's mdb_page_flush reports a short write as EIO).
        #expect(io.allSatisfy { [EFBIG, EIO].contains($0.errno) && $0.message.contains("mdb_txn_commit") }, "\(io)")
        // …everyone after them is refused because the store is unhealthy, not by some other error.
        #expect(report.failures.allSatisfy { $0.code == "io" || $0.code == "unhealthy" }, "\(report.failures)")
        #expect(report.health != "ok")
        #expect(report.laterWrite?.code == "unhealthy", "a write after the failure got \(String(describing: report.laterWrite))")

        // Restarted without the limit: every acknowledged write is there once, and nothing of the
        // failed commits is (stored == acknowledged: no half-written batch).
        let acked = try readLedger(run.ledger)
        #expect(acked.count == report.acked && acked.count > 20)
        let check = try await checkCrashStore(run.data, acked: acked)
        #expect(check.isClean, "\(check)")
        #expect(check.stored == acked.count, "\(check.stored) documents stored, \(acked.count) acknowledged")
        let store = try await openStore(run.data)
        defer { store.close() }
        #expect(store.health == .ok)
        let record = CrashRecord(id: DocumentID(), n: 999_999, writer: 0, pad: "after restart")
        try await store.write { try crashRecords.insert(record, in: $0) }
        #expect(try store.read { try crashRecords.count(in: $0) } == acked.count + 1)
    }

    /// While any process has the environment open, a dead reader's slot stays (when none has,
    /// the next opener re-initialises the whole lock file, so `survivor` keeps it open here).
    @Test(.timeLimit(.minutes(2)))
    func aReaderKilledMidTransactionKeepsItsSlotUntilTheNextOpenClearsIt() async throws {
        let run = try CrashRun()
        defer { run.directory.remove() }
        try await seed(run.data)
        let victim = try startReader(run), survivor = try startReader(run)
        let victimPID = try await holdingPID(victim), survivorPID = try await holdingPID(survivor)
        #expect(try await readerSlots(run).contains(victimPID), "the live reader's slot is listed")
        victim.killAndReap()
        #expect(try await readerSlots(run).contains(victimPID), "a SIGKILLed reader's slot stays behind until a check")

        let store = try await openStore(run.data)
        defer { store.close() }
        let after = try await readerSlots(run)
        #expect(!after.contains(victimPID), "opening the store clears the dead reader's slot")
        #expect(after.contains(survivorPID), "a live reader's slot is left alone")
        survivor.killAndReap()
    }

    @Test(.timeLimit(.minutes(2)))
    func aReaderKilledWhileTheWriterRunsIsClearedByThePeriodicCheck() async throws {
        let run = try CrashRun()
        defer { run.directory.remove() }
        var options = Store.Options()
        options.readerCheckInterval = .milliseconds(100)
        let store = try await openStore(run.data, options: options)
        defer { store.close() }
        let first = CrashRecord(id: DocumentID(), n: 1, writer: 0, pad: "")
        try await store.write { try crashRecords.insert(first, in: $0) }

        let reader = try startReader(run)        // read-only, no directory lock: as `atende backup`
        let pid = try await holdingPID(reader)
        #expect(try await readerSlots(run).contains(pid))
        reader.killAndReap()
        let deadline = ContinuousClock.now + .seconds(10)
        while try await readerSlots(run).contains(pid), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try await !readerSlots(run).contains(pid), "the writer's periodic check did not clear the dead reader within 10 s")
        let second = CrashRecord(id: DocumentID(), n: 2, writer: 0, pad: "")
        try await store.write { try crashRecords.insert(second, in: $0) }
        #expect(try store.read { try crashRecords.count(in: $0) } == 2)
    }

    // MARK: Helpers

    private func seed(_ data: String) async throws {
        let store = try await openStore(data)
        defer { store.close() }
        let record = CrashRecord(id: DocumentID(), n: 1, writer: 0, pad: "")
        try await store.write { try crashRecords.insert(record, in: $0) }
    }

    private func startReader(_ run: CrashRun) throws -> ChildProcess {
        try ChildProcess(run.writer, ["hold-read", "--data", run.data])
    }

    private func holdingPID(_ reader: ChildProcess) async throws -> pid_t {
        let line = try await reader.line(startingWith: "holding ")
        let pid = try #require(pid_t(line.dropFirst("holding ".count)))
        #expect(pid == reader.pid)
        return pid
    }

    /// The pids in the environment's reader table, as LMDB's own `mdb_stat -r` lists them (an
    /// independent look at the lock file; lmdb-utils).
    private func readerSlots(_ run: CrashRun) async throws -> [pid_t] {
        guard let tool = ["/usr/bin/mdb_stat", "/usr/local/bin/mdb_stat"].first(where: FileManager.default.isExecutableFile) else {
            throw HarnessError("mdb_stat not found: install lmdb-utils (apt-get install lmdb-utils)")
        }
        let stat = try ChildProcess(tool, ["-r", (run.data as NSString).appendingPathComponent("store")])
        let status = try await stat.waitForExit(timeout: .seconds(30))
        let text = stat.output
        // mdb_stat 0.9 exits 1 after printing the reader table (it returns the print callback's
        // result), so judge by the output, not the status.
        guard case .exited = status, text.contains("Reader Table Status") else {
            throw HarnessError("mdb_stat -r \(status): \(text) \(stat.errorOutput)")
        }
        // Rows after the "pid thread txnid" header: "<pid> <thread> <txnid>".
        return text.split(separator: "\n").compactMap { row in
            let fields = row.split(separator: " ")
            return fields.count == 3 ? pid_t(fields[0]) : nil
        }
    }
}
