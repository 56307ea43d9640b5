import AtendeCrypto
import AtendeTesting
import Foundation
@testable import Storage
import Testing

/// Large payloads stream through in chunks: memory stays flat and the figures are printed
/// (reliability.md B4 asks to measure, not assert, backup speed).
@Suite(.serialized) struct BackupFileThroughputTests {
    /// Peak resident memory (VmHWM) since the last `resetPeakResident()`, in MiB.
    static func peakResidentMiB() throws -> Double {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") })
        let kilobytes = try #require(Double(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
        return kilobytes / 1024
    }

    /// Resets the kernel's peak-RSS mark to the current RSS (proc(5): clear_refs, value 5).
    static func resetPeakResident() throws {
        try "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    static func residentMiB() throws -> Double {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        return try #require(Double(line.split(separator: " ", omittingEmptySubsequences: true)[1])) / 1024
    }

    /// A payload written in 1 MiB pieces, so building it does not hold it all either.
    static func makePayload(_ path: String, mebibytes: Int) throws {
        let handle = try #require(FileHandle(forWritingAtPath: { _ = FileManager.default.createFile(atPath: path, contents: nil); return path }()))
        defer { try? handle.close() }
        for _ in 0..<mebibytes { handle.write(Data(try SecureRandom.bytes(1 << 20))) }
    }

    @Test func a128MiBPayloadRoundTripsInBothModesByteForByte() throws {
        let dir = try TemporaryDirectory("throughput")
        defer { dir.remove() }
        let mebibytes = 128
        try Self.makePayload(dir.appending("data.mdb"), mebibytes: mebibytes)
        try Self.resetPeakResident()
        let residentBefore = try Self.residentMiB()
        let clock = ContinuousClock()
        var figures: [String] = []
        var plainGrowth = 0.0
        for protection in [BackupFile.Protection.none, .passphrase("measure me")] {
            let label = if case .none = protection { "plain" } else { "encrypted" }
            let write = try clock.measure {
                try BackupFile.write(payloadAt: dir.appending("data.mdb"), to: dir.appending("b.atende"),
                                     appVersion: "bench", protection: protection)
            }
            let read = try clock.measure {
                let passphrase: String? = if case .none = protection { nil } else { "measure me" }
                try BackupFile.open(dir.appending("b.atende"), passphrase: passphrase)
                    .extractPayload(to: dir.appending("restored.mdb"))
            }
            #expect(try Self.sameContents(dir.appending("data.mdb"), dir.appending("restored.mdb")))
            let rate = { (d: Duration) in Double(mebibytes) / (Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18) }
            if case .none = protection { plainGrowth = try Self.peakResidentMiB() - residentBefore }
            figures.append("\(label): write \(write) (\(Int(rate(write))) MiB/s), verify+extract \(read) (\(Int(rate(read))) MiB/s)")
        }
        let growth = try Self.peakResidentMiB() - residentBefore
        print("backup throughput, \(mebibytes) MiB payload: " + figures.joined(separator: "; ")
              + String(format: "; peak RSS grew %.0f MiB over the plain round trip, %.0f MiB over both (scrypt: 128)",
                       plainGrowth, growth))
        // Peak RSS is printed, not asserted: it is the whole test process's, and the suites that
        // run alongside move it by more than the payload (a memory bound belongs in a benchmark).
    }

    static func sameContents(_ a: String, _ b: String) throws -> Bool {
        let (x, y) = (try #require(FileHandle(forReadingAtPath: a)), try #require(FileHandle(forReadingAtPath: b)))
        defer { try? x.close(); try? y.close() }
        while true {
            let (p, q) = (x.readData(ofLength: 1 << 20), y.readData(ofLength: 1 << 20))
            guard p == q else { return false }
            if p.isEmpty { return true }
        }
    }
}
