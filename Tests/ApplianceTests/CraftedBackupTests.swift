import AtendeTesting
import Foundation
import Storage
import Testing

/// Unencrypted backups edited inside their LMDB payload, with both SHA-256 values recomputed as
/// anyone who can edit the file can: the checksums pass, so only reading the payload can refuse
/// them — and a payload that crashes LMDB must crash only the checker's child process.
@Suite(.serialized) struct CraftedBackupTests {
    /// The binary under test; ATENDE_CRAFTED_BINARY points this suite at another build (to
    /// measure an older one). Test code only.
    let atende = ProcessInfo.processInfo.environment["ATENDE_CRAFTED_BINARY"] ?? BuiltProducts.path("atende")

    @Test func ofEightyCraftedPayloadsNoneEndsInASignalAndEveryAcceptedOneHoldsTheSameDocuments() async throws {
        let directory = try TemporaryDirectory("crafted")
        defer { directory.remove() }
        let fixture = try await CraftedBackup.make(in: directory)
        let reference = try await fixture.documents(restoring: fixture.path, in: directory.appending("reference"), atende: atende)
        var refused = 0, harmless = 0, refusedInDocuments = 0, signals: [String] = [], other: [String] = []
        let offsets = fixture.offsets()
        for (n, (offset, mask)) in offsets.enumerated() {
            let bad = directory.appending("crafted-\(n).atende")
            try fixture.write(flipping: offset, with: mask, to: bad)
            let verify = try ChildProcess(atende, ["verify", bad])
            let ended = try await verify.waitForExit(timeout: .seconds(120))
            guard case .exited(let status) = ended else {
                signals.append("offset \(offset): \(ended)")
                continue
            }
            if status == 65 {
                refused += 1
                if n >= 60 { refusedInDocuments += 1 }
                #expect(verify.errorOutput.contains("error:") && verify.errorOutput.contains("hint:"))
            } else if status == 0 {
                // Harmless only if the restored documents are the very same.
                let documents = try await fixture.documents(restoring: bad, in: directory.appending("restored-\(n)"), atende: atende)
                if documents == reference { harmless += 1 } else { other.append("offset \(offset): verify passed changed documents") }
            } else {
                other.append("offset \(offset): exit \(status): \(verify.errorOutput.suffix(300))")
            }
            try? FileManager.default.removeItem(atPath: bad)
        }
        let summary = "of 80 crafted payloads (\(fixture.payload.count) bytes): \(refused) exit 65, \(harmless) exit 0 harmless, "
            + "\(other.count) other, \(signals.count) signals; \(refusedInDocuments) of the 20 inside document values refused"
        print(summary)
        #expect(signals.isEmpty, "\(summary): \(signals)")
        #expect(other.isEmpty, "\(summary): \(other)")
        // A byte in a page's free space or in an unused meta page changes nothing: those may pass,
        // and only those (the documents are compared). A byte changed in a document never passes.
        #expect(refusedInDocuments == 20, "\(summary)")
        #expect(refused >= 40, "\(summary)")
    }

    @Test func aPayloadWhosePagesLieBeyondTheFileIsRefusedWithExit65AndRestoreLeavesNoStagingBehind() async throws {
        let directory = try TemporaryDirectory("crafted")
        defer { directory.remove() }
        let fixture = try await CraftedBackup.make(in: directory)
        let target = directory.appending("target")
        #expect(try await ChildProcess.run(atende, ["restore", "--data", target, fixture.path]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: target + "/store/data.mdb"))

        let bad = directory.appending("beyond.atende")
        try fixture.write(payload: CraftedBackup.pointingPastTheEnd(fixture.payload), to: bad)
        let verify = try ChildProcess(atende, ["verify", bad])
        let verified = try await verify.waitForExit(timeout: .seconds(120))
        #expect(verified == .exited(65), "verify \(verified): \(verify.errorOutput)")
        #expect(verify.errorOutput.contains("corrupted"), "\(verify.errorOutput)")

        let restore = try ChildProcess(atende, ["restore", "--data", target, bad])
        let restored = try await restore.waitForExit(timeout: .seconds(120))
        #expect(restored == .exited(65), "restore \(restored): \(restore.errorOutput)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: target + "/store/data.mdb")) == before)
        let names = try FileManager.default.contentsOfDirectory(atPath: target)
        #expect(!names.contains { $0.hasPrefix("restore-") }, "\(names)")
    }

    @Test func aRestoreOfABackupWithABrokenDocumentIsRefusedAndLeavesNoStagingBehind() async throws {
        let directory = try TemporaryDirectory("crafted")
        defer { directory.remove() }
        let fixture = try await CraftedBackup.make(in: directory)
        let target = directory.appending("target")
        #expect(try await ChildProcess.run(atende, ["restore", "--data", target, fixture.path]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: target + "/store/data.mdb"))
        let bad = directory.appending("broken.atende")
        try fixture.write(flipping: try #require(fixture.documentOffsets().first), with: 0x80, to: bad)
        let restore = try await ChildProcess.run(atende, ["restore", "--data", target, bad])
        #expect(restore.status == 65, "\(restore.error)")
        #expect(restore.error.contains("not valid JSON"), "\(restore.error)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: target + "/store/data.mdb")) == before)
        #expect(try !FileManager.default.contentsOfDirectory(atPath: target).contains { $0.hasPrefix("restore-") })
    }
}
