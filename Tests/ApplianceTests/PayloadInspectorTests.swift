import AtendeTesting
import Foundation
import Storage
import Testing
@testable import Appliance

/// How `verify` and `restore` read the answer of the child that inspects a payload: anything but a
/// clean exit with a report means a corrupted backup (exit 65), never a crash of their own.
@Suite struct PayloadInspectorTests {
    /// A stand-in child: a shell script that behaves as `body` says.
    static func child(_ body: String, in directory: TemporaryDirectory) throws -> String {
        let path = directory.appending("child-\(UUID().uuidString.prefix(6)).sh")
        try "#!/bin/sh\n\(body)\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path)
        return path
    }

    static func refusal(_ body: String, timeout: Duration = .seconds(30)) throws -> BackupFileError? {
        let directory = try TemporaryDirectory("inspector")
        defer { directory.remove() }
        let inspector = PayloadInspector(executable: try child(body, in: directory), timeout: timeout)
        do {
            _ = try inspector.inspect(dataFile: directory.appending("data.mdb"))
            return nil
        } catch let error as BackupFileError {
            return error
        }
    }

    @Test(arguments: ["BUS", "SEGV", "KILL"])
    func aChildKilledByASignalMeansACorruptedBackup(signal: String) throws {
        let error = try Self.refusal("kill -\(signal) $$")
        #expect(error?.code == .corrupted)
        #expect(error?.message.contains("crashed the store reader") == true, "\(String(describing: error))")
    }

    @Test func aChildThatOutlivesItsTimeLimitIsKilledAndMeansACorruptedBackup() throws {
        let started = ContinuousClock.now
        let error = try Self.refusal("exec sleep 60", timeout: .seconds(1))
        #expect(ContinuousClock.now - started < .seconds(20))
        #expect(error?.code == .corrupted)
        #expect(error?.message.contains("longer than") == true, "\(String(describing: error))")
    }

    @Test func theTimeLimitGrowsWithThePayloadSoALargeSoundStoreIsNotTakenForALoop() {
        #expect(PayloadInspector.timeLimit(forPayloadBytes: 200 << 10) == .seconds(60))
        #expect(PayloadInspector.timeLimit(forPayloadBytes: 4 << 30) == .seconds(60 + 512))
    }

    @Test func aChildThatRefusesThePayloadPassesItsReasonOn() throws {
        let error = try Self.refusal("echo 'error: a document in staff is not valid JSON [corrupted]' >&2; exit 65")
        #expect(error?.code == .corrupted)
        #expect(error?.message.contains("a document in staff is not valid JSON") == true, "\(String(describing: error))")
    }

    @Test func aChildThatPrintsNoReportMeansACorruptedBackup() throws {
        #expect(try Self.refusal("echo hello")?.code == .corrupted)
    }

    @Test func aChildThatPrintsAReportIsBelieved() throws {
        let report = try #require(try? {
            let directory = try TemporaryDirectory("inspector")
            defer { directory.remove() }
            let json = #"{"databases":{"staff":2},"documents":2,"index_entries":0,"typed_collections":["staff"]}"#
            return try PayloadInspector(executable: try Self.child("echo '\(json)'", in: directory))
                .inspect(dataFile: directory.appending("data.mdb"))
        }())
        #expect(report.databases == ["staff": 2] && report.documents == 2)
    }
}
