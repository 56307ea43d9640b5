import AtendeCrypto
import AtendeTesting
import Foundation
@testable import Storage
import Testing

/// Deterministic bytes for payloads and tamper positions (xorshift64*), so a failure reproduces.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
    mutating func next() -> UInt64 {
        state ^= state >> 12; state ^= state << 25; state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}

/// Helpers shared by the backup-file suites.
enum BackupFixture {
    static let fastKDF = ScryptParameters(n: 1 << 10, r: 8, p: 1)

    static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    }

    static func file(_ bytes: [UInt8], in dir: TemporaryDirectory, name: String) throws -> String {
        let path = dir.appending(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func read(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    /// Opens and fully verifies; the error code if anything is rejected, nil if accepted.
    static func rejection(_ path: String, passphrase: String?) -> BackupFileError.Code? {
        do {
            try BackupFile.open(path, passphrase: passphrase).verify()
            return nil
        } catch let error as BackupFileError {
            return error.code
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }

    /// Recomputes the trailing SHA-256, as someone who knows the format would after tampering,
    /// so only the chunk authentication is left to catch the change.
    static func resealTrailer(_ bytes: inout [UInt8]) throws {
        let body = Array(bytes[0..<(bytes.count - 32)])
        bytes = body + (try SHA256.hash(body))
    }

    /// Offset of the payload section: prefix plus the header length field's value.
    static func payloadOffset(_ bytes: [UInt8]) -> Int {
        14 + (Int(bytes[10]) << 24 | Int(bytes[11]) << 16 | Int(bytes[12]) << 8 | Int(bytes[13]))
    }
}

@Suite struct BackupFileTests {
    @Test(arguments: [0, 1, 4096, 3 * 4096, 3 * 4096 + 17])
    func aPlainBackupRoundTripsItsPayloadAndHeader(length: Int) throws {
        let dir = try TemporaryDirectory("backup")
        defer { dir.remove() }
        let payload = BackupFixture.bytes(length, seed: UInt64(length) + 1)
        let source = try BackupFixture.file(payload, in: dir, name: "data.mdb")
        let written = try BackupFile.write(payloadAt: source, to: dir.appending("b.atende"), appVersion: "1.2.3",
                                           contents: ["contacts": 3, "messages": 40], chunkSize: 4096)
        let backup = try BackupFile.open(dir.appending("b.atende"))
        #expect(backup.header == written)
        #expect(backup.header.payloadLength == UInt64(length))
        #expect(backup.header.appVersion == "1.2.3")
        #expect(backup.header.contents == ["contacts": 3, "messages": 40])
        #expect(!backup.header.isEncrypted)
        #expect(backup.header.payloadSHA256 == (try SHA256.hash(payload)).hexString)
        try backup.extractPayload(to: dir.appending("restored.mdb"))
        #expect(try BackupFixture.read(dir.appending("restored.mdb")) == payload)
    }

    @Test(arguments: [0, 1, 4096, 3 * 4096, 3 * 4096 + 17])
    func anEncryptedBackupRoundTripsAndHidesThePayload(length: Int) throws {
        let dir = try TemporaryDirectory("backup")
        defer { dir.remove() }
        let payload = BackupFixture.bytes(length, seed: UInt64(length) + 7)
        let source = try BackupFixture.file(payload, in: dir, name: "data.mdb")
        try BackupFile.write(payloadAt: source, to: dir.appending("b.atende"), appVersion: "1.0.0",
                             protection: .passphrase("correct horse", BackupFixture.fastKDF), chunkSize: 4096)
        let stored = try BackupFixture.read(dir.appending("b.atende"))
        if length >= 64 {
            let probe = Array(payload[0..<32])
            #expect(!stored.indices.dropLast(31).contains { Array(stored[$0..<$0 + 32]) == probe })
        }
        let backup = try BackupFile.open(dir.appending("b.atende"), passphrase: "correct horse")
        #expect(backup.header.isEncrypted)
        #expect(backup.header.encryption.chunkSize == 4096)
        #expect(backup.header.encryption.kdf?.n == 1 << 10)
        try backup.extractPayload(to: dir.appending("restored.mdb"))
        #expect(try BackupFixture.read(dir.appending("restored.mdb")) == payload)
    }

    @Test func theDefaultSettingsUseOneMebibyteChunksAndStandardScrypt() throws {
        let dir = try TemporaryDirectory("backup")
        defer { dir.remove() }
        let payload = BackupFixture.bytes((5 << 19) + 3, seed: 42)        // 2.5 MiB: three chunks
        let source = try BackupFixture.file(payload, in: dir, name: "data.mdb")
        let header = try BackupFile.write(payloadAt: source, to: dir.appending("b.atende"), appVersion: "1",
                                          protection: .passphrase("pass phrase"))
        #expect(header.encryption.chunkSize == 1 << 20)
        #expect(header.encryption.kdf.map { [$0.n, $0.r, $0.p] } == [1 << 17, 8, 1])
        let size = try FileManager.default.attributesOfItem(atPath: dir.appending("b.atende"))[.size] as? Int
        #expect(size == BackupFixture.payloadOffset(try BackupFixture.read(dir.appending("b.atende")))
            + payload.count + 3 * 28 + 32)
        try BackupFile.open(dir.appending("b.atende"), passphrase: "pass phrase").extractPayload(to: dir.appending("out"))
        #expect(try BackupFixture.read(dir.appending("out")) == payload)
    }

    @Test func theBackupFileIsCreatedOwnerOnlyAndLeavesNoTemporaryFiles() throws {
        let dir = try TemporaryDirectory("backup")
        defer { dir.remove() }
        let source = try BackupFixture.file(BackupFixture.bytes(5000, seed: 3), in: dir, name: "data.mdb")
        try BackupFile.write(payloadAt: source, to: dir.appending("b.atende"), appVersion: "1", chunkSize: 4096)
        let mode = try FileManager.default.attributesOfItem(atPath: dir.appending("b.atende"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["b.atende", "data.mdb"])
    }

    @Test func anEncryptedBackupWithoutAPassphraseIsRefused() throws {
        let dir = try TemporaryDirectory("backup")
        defer { dir.remove() }
        let source = try BackupFixture.file(BackupFixture.bytes(5000, seed: 5), in: dir, name: "data.mdb")
        try BackupFile.write(payloadAt: source, to: dir.appending("b.atende"), appVersion: "1",
                             protection: .passphrase("right", BackupFixture.fastKDF), chunkSize: 4096)
        #expect(BackupFixture.rejection(dir.appending("b.atende"), passphrase: nil) == .passphraseRequired)
    }

    @Test func aWrongPassphraseIsToldApartFromCorruption() throws {
        let dir = try TemporaryDirectory("backup")
        defer { dir.remove() }
        let source = try BackupFixture.file(BackupFixture.bytes(5000, seed: 5), in: dir, name: "data.mdb")
        try BackupFile.write(payloadAt: source, to: dir.appending("b.atende"), appVersion: "1",
                             protection: .passphrase("right", BackupFixture.fastKDF), chunkSize: 4096)
        #expect(BackupFixture.rejection(dir.appending("b.atende"), passphrase: "wrong") == .wrongPassphrase)
        #expect(BackupFixture.rejection(dir.appending("b.atende"), passphrase: "right") == nil)
        let error = #expect(throws: BackupFileError.self) {
            try BackupFile.open(dir.appending("b.atende"), passphrase: "wrong")
        }
        #expect(error?.message.contains("wrong") == false)   // the passphrase is never echoed
    }

    @Test func aFileThatIsNotABackupIsNamedAsSuch() throws {
        let dir = try TemporaryDirectory("backup")
        defer { dir.remove() }
        let path = try BackupFixture.file(Array("SQLite format 3\0 and more".utf8), in: dir, name: "x.db")
        #expect(BackupFixture.rejection(path, passphrase: nil) == .notABackup)
    }

    @Test func aNewerFormatVersionIsRefusedAsUnsupported() throws {
        let dir = try TemporaryDirectory("backup")
        defer { dir.remove() }
        let source = try BackupFixture.file(BackupFixture.bytes(100, seed: 9), in: dir, name: "data.mdb")
        try BackupFile.write(payloadAt: source, to: dir.appending("b.atende"), appVersion: "1")
        var bytes = try BackupFixture.read(dir.appending("b.atende"))
        bytes[9] = 2
        try BackupFixture.resealTrailer(&bytes)
        let path = try BackupFixture.file(bytes, in: dir, name: "v2.atende")
        #expect(BackupFixture.rejection(path, passphrase: nil) == .unsupportedVersion)
    }

    @Test func aChunkSizeOutsideTheAllowedRangeIsRefusedBeforeWriting() throws {
        let dir = try TemporaryDirectory("backup")
        defer { dir.remove() }
        let source = try BackupFixture.file([1, 2, 3], in: dir, name: "data.mdb")
        let error = #expect(throws: BackupFileError.self) {
            try BackupFile.write(payloadAt: source, to: dir.appending("b.atende"), appVersion: "1", chunkSize: 16)
        }
        #expect(error?.code == .invalid)
        #expect(!FileManager.default.fileExists(atPath: dir.appending("b.atende")))
    }

    @Test func aMissingPayloadFileIsAnIOError() throws {
        let dir = try TemporaryDirectory("backup")
        defer { dir.remove() }
        let error = #expect(throws: BackupFileError.self) {
            try BackupFile.write(payloadAt: dir.appending("nope"), to: dir.appending("b.atende"), appVersion: "1")
        }
        #expect(error?.code == .io)
        #expect(error?.message.contains("nope") == true)
    }
}
