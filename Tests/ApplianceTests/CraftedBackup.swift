import AtendeCrypto
import AtendeTesting
import Foundation
import Logging
import Storage

/// A real backup of a real store (300 CrashWriter records), and the means to edit its LMDB payload
/// and recompute the header's payload SHA-256 and the trailer as the backup format computes them.
struct CraftedBackup {
    let path: String
    let bytes: [UInt8]
    let payloadRange: Range<Int>

    var payload: [UInt8] { Array(bytes[payloadRange]) }

    static func make(in directory: TemporaryDirectory) async throws -> CraftedBackup {
        let live = directory.appending("live")
        let writer = try await ChildProcess.run(BuiltProducts.path("CrashWriter"),
                                                ["write", "--data", live, "--ledger", directory.appending("ledger"), "--count", "300"])
        guard writer.status == 0 else { throw TestFailure("CrashWriter failed: \(writer.error)") }
        let path = directory.appending("good.atende")
        let backup = try await ChildProcess.run(BuiltProducts.path("atende"), ["backup", "--data", live, path])
        guard backup.status == 0 else { throw TestFailure("backup failed: \(backup.error)") }
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let start = 14 + (Int(bytes[10]) << 24 | Int(bytes[11]) << 16 | Int(bytes[12]) << 8 | Int(bytes[13]))
        return CraftedBackup(path: path, bytes: bytes, payloadRange: start..<(bytes.count - 32))
    }

    /// 60 offsets spread over every page of the payload and 20 inside document values, each with
    /// the mask to XOR there (0x80 or 0xFF: either turns an ASCII byte into invalid UTF-8).
    func offsets() -> [(Int, UInt8)] {
        let length = payloadRange.count
        let spread = (0..<60).map { i in min(length - 1, i * length / 60 + (i * 131) % 61) }
        let documents = documentOffsets()
        let inside = (0..<20).map { documents[$0 * documents.count / 20] }
        return (spread + inside).enumerated().map { ($0.element, $0.offset.isMultiple(of: 2) ? 0x80 : 0xFF) }
    }

    /// Payload offsets inside the `pad` string of each record.
    func documentOffsets() -> [Int] {
        let needle = Array(#""pad":""#.utf8), payload = self.payload
        var found: [Int] = []
        var i = 0
        while i + needle.count + 20 < payload.count {
            if payload[i] == needle[0], Array(payload[i..<(i + needle.count)]) == needle {
                found.append(i + needle.count + 10)
                i += needle.count
            } else {
                i += 1
            }
        }
        return found
    }

    func write(flipping offset: Int, with mask: UInt8, to destination: String) throws {
        var edited = payload
        edited[offset] ^= mask
        try write(payload: edited, to: destination)
    }

    /// Writes the backup with `payload` in place of its own, both SHA-256 values recomputed.
    func write(payload: [UInt8], to destination: String) throws {
        precondition(payload.count == payloadRange.count)
        var edited = bytes
        edited.replaceSubrange(payloadRange, with: payload)
        let field = Array(#""payload_sha256":""#.utf8)
        let header = Array(edited[0..<payloadRange.lowerBound])
        guard let at = (0..<(header.count - field.count)).first(where: { Array(header[$0..<($0 + field.count)]) == field }) else {
            throw TestFailure("no payload_sha256 in the header")
        }
        let hex = Array(Self.hex(try SHA256.hash(payload)).utf8)
        edited.replaceSubrange((at + field.count)..<(at + field.count + 64), with: hex)
        let body = Array(edited[0..<(edited.count - 32)])
        edited.replaceSubrange((edited.count - 32)..., with: try SHA256.hash(body))
        try Data(edited).write(to: URL(fileURLWithPath: destination))
    }

    /// Restores `file` into a new data directory and reads back every record's stored JSON.
    func documents(restoring file: String, in data: String, atende: String) async throws -> [[UInt8]] {
        let restore = try await ChildProcess.run(atende, ["restore", "--data", data, file])
        guard restore.status == 0 else { throw TestFailure("restore of an accepted backup failed: \(restore.error)") }
        var options = Store.Options()
        options.readOnly = true
        let store = try Store(directory: data, options: options, logger: .quiet)
        defer { store.close() }
        var documents: [[UInt8]] = []
        try store.read { txn in try RawDatabase("records").forEach(in: txn) { _, value in documents.append(value); return true } }
        return documents
    }

    /// Both meta pages claim 100 000 pages and put the main database's root at page 90 000, far
    /// past the end of the file: LMDB maps that far and faults (SIGBUS) on the first read there.
    /// Offsets are lmdb.h's MDB_meta after the 16-byte page header, on 64-bit.
    static func pointingPastTheEnd(_ payload: [UInt8]) -> [UInt8] {
        var edited = payload
        let pageSize = Int(edited[40]) | Int(edited[41]) << 8 | Int(edited[42]) << 16 | Int(edited[43]) << 24
        for meta in [0, pageSize] {
            put(90_000, at: meta + 128, in: &edited)      // mm_dbs[MAIN_DBI].md_root
            put(100_000, at: meta + 136, in: &edited)     // mm_last_pg
        }
        return edited
    }

    private static func put(_ value: UInt64, at offset: Int, in bytes: inout [UInt8]) {
        for i in 0..<8 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
}
