import AtendeTesting
import Foundation
@testable import Storage
import Testing

/// Every way a backup file can be damaged or tampered with is rejected before a payload is
/// declared good (reliability.md B4).
@Suite struct BackupFileTamperTests {
    static let passphrase = "tamper test passphrase"
    static let chunk = 4096
    static let chunkRecord = chunk + 28

    /// A backup of 5 chunks + 100 bytes (6 chunks when encrypted).
    static func make(_ dir: TemporaryDirectory, encrypted: Bool, seed: UInt64 = 11,
                     name: String = "b.atende") throws -> (path: String, payload: [UInt8]) {
        let payload = BackupFixture.bytes(5 * chunk + 100, seed: seed)
        let source = try BackupFixture.file(payload, in: dir, name: "payload-\(seed)")
        let path = dir.appending(name)
        try BackupFile.write(payloadAt: source, to: path, appVersion: "1",
                             protection: encrypted ? .passphrase(passphrase, BackupFixture.fastKDF) : .none,
                             chunkSize: chunk)
        return (path, payload)
    }

    /// Rejected by open/verify, and extracting writes nothing at the destination.
    static func expectRejected(_ bytes: [UInt8], in dir: TemporaryDirectory, allowed: Set<BackupFileError.Code>,
                               _ what: String, byChunkAuthentication: Bool = false,
                               sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = try BackupFixture.file(bytes, in: dir, name: "tampered")
        let code = BackupFixture.rejection(path, passphrase: passphrase)
        #expect(code.map(allowed.contains) == true, "\(what): got \(code.map(String.init(describing:)) ?? "accepted")",
                sourceLocation: sourceLocation)
        if byChunkAuthentication {
            // Not merely the payload checksum: the chunk's own tag (its AAD) must refuse it.
            let error = #expect(throws: BackupFileError.self, sourceLocation: sourceLocation) {
                try BackupFile.open(path, passphrase: passphrase).verify()
            }
            #expect(error?.message.contains("failed authentication") == true, "\(what): \(error?.message ?? "")",
                    sourceLocation: sourceLocation)
        }
        let out = dir.appending("extracted")
        _ = try? BackupFile.open(path, passphrase: passphrase).extractPayload(to: out)
        #expect(!FileManager.default.fileExists(atPath: out), "\(what): a payload was extracted",
                sourceLocation: sourceLocation)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, sourceLocation: sourceLocation)
    }

    @Test(arguments: [false, true])
    func aTruncatedBackupIsRejectedAtEverySixteenthAndAtEveryBoundary(encrypted: Bool) throws {
        let dir = try TemporaryDirectory("tamper")
        defer { dir.remove() }
        let bytes = try BackupFixture.read(try Self.make(dir, encrypted: encrypted).path)
        let start = BackupFixture.payloadOffset(bytes)
        var cuts = Set((0..<16).map { bytes.count * $0 / 16 })
        cuts.formUnion([1, 7, 8, 9, 13, 14, start - 1, start, bytes.count - 32, bytes.count - 1])
        for i in 1...5 { cuts.formUnion([start + i * (encrypted ? Self.chunkRecord : Self.chunk)]) }
        for cut in cuts.sorted() {
            try Self.expectRejected(Array(bytes[0..<cut]), in: dir, allowed: [.truncated], "cut at \(cut)")
        }
    }

    @Test(arguments: [false, true])
    func aSingleFlippedBitAnywhereIsRejected(encrypted: Bool) throws {
        let dir = try TemporaryDirectory("tamper")
        defer { dir.remove() }
        let bytes = try BackupFixture.read(try Self.make(dir, encrypted: encrypted).path)
        var rng = SeededGenerator(seed: encrypted ? 0xB17F : 0xF11B)
        // Always include the magic, version, length field, header, first chunk's nonce and tag, trailer.
        var positions = [0, 8, 9, 10, 13, 14, BackupFixture.payloadOffset(bytes), bytes.count - 1]
        positions += (0..<100).map { _ in Int.random(in: 0..<bytes.count, using: &rng) }
        let allowed: Set<BackupFileError.Code> = [.corrupted, .truncated, .notABackup, .unsupportedVersion, .wrongPassphrase]
        for position in positions {
            var flipped = bytes
            flipped[position] ^= UInt8(1) << UInt8(Int.random(in: 0..<8, using: &rng))
            try Self.expectRejected(flipped, in: dir, allowed: allowed, "bit flip at \(position)")
        }
    }

    /// Chunk `i`'s stored record (nonce ‖ ciphertext ‖ tag) range, for full-size chunks.
    static func record(_ i: Int, _ bytes: [UInt8]) -> Range<Int> {
        let start = BackupFixture.payloadOffset(bytes) + i * chunkRecord
        return start..<(start + chunkRecord)
    }

    @Test func swappingTwoChunksIsCaughtByTheChunkAuthentication() throws {
        let dir = try TemporaryDirectory("tamper")
        defer { dir.remove() }
        var bytes = try BackupFixture.read(try Self.make(dir, encrypted: true).path)
        let (a, b) = (Self.record(1, bytes), Self.record(2, bytes))
        let first = Array(bytes[a])
        bytes.replaceSubrange(a, with: bytes[b])
        bytes.replaceSubrange(b, with: first)
        try BackupFixture.resealTrailer(&bytes)
        try Self.expectRejected(bytes, in: dir, allowed: [.corrupted], "chunks 1 and 2 swapped",
                                byChunkAuthentication: true)
    }

    @Test func aDuplicatedChunkIsCaughtWhetherItReplacesOrIsInserted() throws {
        let dir = try TemporaryDirectory("tamper")
        defer { dir.remove() }
        let original = try BackupFixture.read(try Self.make(dir, encrypted: true).path)
        var replaced = original
        replaced.replaceSubrange(Self.record(3, original), with: original[Self.record(2, original)])
        try BackupFixture.resealTrailer(&replaced)
        try Self.expectRejected(replaced, in: dir, allowed: [.corrupted], "chunk 2 copied over chunk 3",
                                byChunkAuthentication: true)
        var inserted = original
        inserted.insert(contentsOf: original[Self.record(2, original)], at: Self.record(3, original).lowerBound)
        try BackupFixture.resealTrailer(&inserted)
        try Self.expectRejected(inserted, in: dir, allowed: [.corrupted], "chunk 2 inserted twice")
    }

    @Test func aDroppedChunkIsCaught() throws {
        let dir = try TemporaryDirectory("tamper")
        defer { dir.remove() }
        let original = try BackupFixture.read(try Self.make(dir, encrypted: true).path)
        for i in [0, 2, 4] {
            var dropped = original
            dropped.removeSubrange(Self.record(i, original))
            try BackupFixture.resealTrailer(&dropped)
            try Self.expectRejected(dropped, in: dir, allowed: [.truncated], "chunk \(i) dropped")
        }
    }

    @Test(arguments: [false, true])
    func aHeaderSwappedBetweenTwoBackupsIsRejected(encrypted: Bool) throws {
        let dir = try TemporaryDirectory("tamper")
        defer { dir.remove() }
        let a = try BackupFixture.read(try Self.make(dir, encrypted: encrypted, seed: 21, name: "a.atende").path)
        let b = try BackupFixture.read(try Self.make(dir, encrypted: encrypted, seed: 22, name: "b.atende").path)
        let (startA, startB) = (BackupFixture.payloadOffset(a), BackupFixture.payloadOffset(b))
        var swapped = Array(b[0..<startB]) + Array(a[startA...])
        try BackupFixture.resealTrailer(&swapped)
        try Self.expectRejected(swapped, in: dir, allowed: [.corrupted], "header of b on the body of a",
                                byChunkAuthentication: encrypted)
    }

    @Test func aBackupCutAtAChunkBoundaryWithAHeaderClaimingFewerBytesIsCaught() throws {
        // Rewrite the header to claim only the first two chunks (same key check and salt) and
        // drop the rest: every remaining chunk is intact, only the header digest and the
        // last-chunk flag in the AAD can tell.
        let dir = try TemporaryDirectory("tamper")
        defer { dir.remove() }
        let original = try BackupFixture.read(try Self.make(dir, encrypted: true).path)
        let backup = try BackupFile.open(dir.appending("b.atende"), passphrase: Self.passphrase)
        var header = backup.header
        header.payloadLength = UInt64(2 * Self.chunk)
        let prefix = try BackupFile.encodePrefix(header)
        var cut = prefix + Array(original[Self.record(0, original).lowerBound..<Self.record(1, original).upperBound])
            + Array(repeating: 0, count: 32)
        try BackupFixture.resealTrailer(&cut)
        try Self.expectRejected(cut, in: dir, allowed: [.corrupted], "header shortened to two chunks",
                                byChunkAuthentication: true)
    }

    @Test func aChangedPlainHeaderFieldIsCaughtByTheTrailer() throws {
        let dir = try TemporaryDirectory("tamper")
        defer { dir.remove() }
        var bytes = try BackupFixture.read(try Self.make(dir, encrypted: false).path)
        let text = String(decoding: bytes, as: UTF8.self)
        let range = try #require(text.range(of: "\"app_version\":\"1\""))
        let at = text.utf8.distance(from: text.startIndex, to: range.upperBound) - 2
        bytes[at] = UInt8(ascii: "9")
        try Self.expectRejected(bytes, in: dir, allowed: [.corrupted], "app_version edited")
    }
}
