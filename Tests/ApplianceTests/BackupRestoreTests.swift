import AtendeTesting
import Foundation
import Logging
import Storage
import Testing

/// The shape CrashWriter stores; declared here again so the check does not trust the writer.
private struct Record: Codable, Sendable {
    var id: DocumentID
    var n: Int
    var writer: Int
    var pad: String
}

private let records = DocumentCollection<Record>(
    "records", key: { Key($0.id) }, indexes: [.unique("n", { [Key(UInt64($0.n))] })])

/// `atende backup`, `verify` and `restore` as an operator runs them, against a store that another
/// process keeps writing to.
@Suite(.serialized) struct BackupRestoreTests {
    let atende = BuiltProducts.path("atende")

    @Test(arguments: [false, true])
    func aBackupTakenUnderConcurrentWritesVerifiesAndRestoresEveryWriteAcknowledgedBeforeIt(encrypted: Bool) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let live = directory.appending("live"), ledger = directory.appending("ledger")
        let writer = try ChildProcess(BuiltProducts.path("CrashWriter"), ["write", "--data", live, "--ledger", ledger, "--writers", "16"])
        defer { writer.signal(SIGKILL) }
        try await waitForLedger(ledger, lines: 200)
        let acknowledgedBefore = try ledgerNumbers(ledger)
        var passphraseArgs: [String] = []
        if encrypted {
            let passphraseFile = directory.appending("passphrase")
            try "correct horse battery staple\n".write(toFile: passphraseFile, atomically: true, encoding: .utf8)
            passphraseArgs = ["--passphrase-file", passphraseFile]
        }
        let file = directory.appending("backup.atende")
        let backup = try await ChildProcess.run(atende, ["backup", "--data", live, file] + passphraseArgs)
        #expect(backup.status == 0, "backup failed: \(backup.error)")
        #expect(writer.isRunning, "the writer must keep writing during the backup")
        let moreAcknowledged = try ledgerNumbers(ledger)
        #expect(moreAcknowledged.count > acknowledgedBefore.count)

        let verify = try await ChildProcess.run(atende, ["verify", file] + passphraseArgs)
        #expect(verify.status == 0, "verify failed: \(verify.error)")
        #expect(verify.output.contains("records:"))
        #expect(verify.output.contains("encrypted:  \(encrypted ? "yes" : "no")"))

        let restored = directory.appending("restored")
        let restore = try await ChildProcess.run(atende, ["restore", "--data", restored, file] + passphraseArgs)
        #expect(restore.status == 0, "restore failed: \(restore.error)")
        let store = try Store(directory: restored, schema: Schema(version: 1, databases: [records]), logger: .quiet)
        defer { store.close() }
        let missing = try store.read { txn in
            try acknowledgedBefore.filter { try records.get(unique: "n", Key(UInt64($0)), in: txn) == nil }
        }
        #expect(missing.isEmpty, "\(missing.count) writes acknowledged before the backup are missing from it")
    }

    @Test func aDamagedBackupIsRejectedAndTheStoreItWouldReplaceIsUntouched() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let live = directory.appending("live"), ledger = directory.appending("ledger")
        let status = try await ChildProcess.run(BuiltProducts.path("CrashWriter"),
                                                ["write", "--data", live, "--ledger", ledger, "--count", "300"])
        #expect(status.status == 0)
        let file = directory.appending("backup.atende")
        #expect(try await ChildProcess.run(atende, ["backup", "--data", live, file]).status == 0)
        let good = try Data(contentsOf: URL(fileURLWithPath: file))

        // The store a bad restore must leave alone: a second copy restored from the good backup.
        let target = directory.appending("target")
        #expect(try await ChildProcess.run(atende, ["restore", "--data", target, file]).status == 0)
        let before = try fingerprint(of: target + "/store/data.mdb")

        var damaged: [(String, Data)] = [
            ("truncated in the header", good.prefix(20)),
            ("truncated in the payload", good.prefix(good.count / 2)),
            ("missing its last byte", good.dropLast()),
            ("not a backup at all", Data("hello, I am a text file\n".utf8)),
        ]
        var flipped = good
        flipped[flipped.count - 100] ^= 0x01
        damaged.append(("with one bit flipped in the payload", flipped))
        for (what, bytes) in damaged {
            let bad = directory.appending("bad.atende")
            try bytes.write(to: URL(fileURLWithPath: bad))
            let verify = try await ChildProcess.run(atende, ["verify", bad])
            #expect(verify.status == 65, "verify of a backup \(what) exited \(verify.status)")
            #expect(verify.error.contains("error:"), "verify of a backup \(what) printed no error")
            let restore = try await ChildProcess.run(atende, ["restore", "--data", target, bad])
            #expect(restore.status == 65, "restore of a backup \(what) exited \(restore.status): \(restore.error)")
            #expect(try fingerprint(of: target + "/store/data.mdb") == before, "restore of a backup \(what) changed the store")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: target).filter { $0.hasPrefix("restore-") }
        #expect(leftovers.isEmpty)
    }

    @Test func aWrongOrMissingPassphraseIsRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let live = directory.appending("live")
        #expect(try await ChildProcess.run(BuiltProducts.path("CrashWriter"),
                                           ["write", "--data", live, "--ledger", directory.appending("l"), "--count", "10"]).status == 0)
        let right = directory.appending("right"), wrong = directory.appending("wrong")
        try "the right passphrase\n".write(toFile: right, atomically: true, encoding: .utf8)
        try "the wrong passphrase\n".write(toFile: wrong, atomically: true, encoding: .utf8)
        let file = directory.appending("b.atende")
        #expect(try await ChildProcess.run(atende, ["backup", "--data", live, file, "--passphrase-file", right]).status == 0)
        let noPassphrase = try await ChildProcess.run(atende, ["verify", file])
        #expect(noPassphrase.status == 64)
        #expect(noPassphrase.error.contains("--passphrase-file"))
        let wrongPassphrase = try await ChildProcess.run(atende, ["restore", "--data", directory.appending("t"), file, "--passphrase-file", wrong])
        #expect(wrongPassphrase.status == 65)
        #expect(!FileManager.default.fileExists(atPath: directory.appending("t/store")))
    }

    @Test func restoreRefusesADataDirectoryAServerOwns() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let live = directory.appending("live"), ledger = directory.appending("ledger")
        let writer = try ChildProcess(BuiltProducts.path("CrashWriter"), ["write", "--data", live, "--ledger", ledger])
        defer { writer.signal(SIGKILL) }
        try await waitForLedger(ledger, lines: 20)
        let file = directory.appending("b.atende")
        #expect(try await ChildProcess.run(atende, ["backup", "--data", live, file]).status == 0)
        let restore = try await ChildProcess.run(atende, ["restore", "--data", live, file])
        #expect(restore.status == 69)
        #expect(restore.error.contains("in use by another atende process"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: live).filter { $0.hasPrefix("restore-") }.isEmpty)
    }

    @Test func aBackupNeverOverwritesAnExistingFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let existing = directory.appending("precious")
        try "keep me".write(toFile: existing, atomically: true, encoding: .utf8)
        let result = try await ChildProcess.run(atende, ["backup", "--data", directory.appending("d"), existing])
        #expect(result.status == 64)
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "keep me")
    }

    private func waitForLedger(_ path: String, lines: Int) async throws {
        let reached = try await poll(every: .milliseconds(20), for: .seconds(60)) { () -> Bool? in
            if let count = try? ledgerNumbers(path).count, count >= lines { return true }
            return nil
        }
        if reached == true { return }
        throw TestFailure("the writer acknowledged fewer than \(lines) writes in 60 s")
    }

    private func ledgerNumbers(_ path: String) throws -> [Int] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap { Int($0) }
    }

    private func fingerprint(of path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
    }
}
