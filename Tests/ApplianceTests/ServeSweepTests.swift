import AtendeTesting
import Foundation
import Testing

/// `serve` clears what a killed or crashed restore left in the data directory before it opens the port.
@Suite(.serialized) struct ServeSweepTests {
    @Test func serveRemovesAStaleRestoreDirectoryAtStartAndKeepsPreviousStores() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.appending("data")
        let planted = ["restore-20200101T000000Z/data.mdb", "restore-20200102T000000Z/data.mdb",
                       "restore-20200102T000000Z/lock.mdb", "previous-20190101T000000Z/data.mdb"]
        for file in planted {
            let path = (data as NSString).appendingPathComponent(file)
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try Data(file.utf8).write(to: URL(fileURLWithPath: path))
        }
        let port = try freeLoopbackPort()
        let child = try ChildProcess(BuiltProducts.path("atende"),
                                     ["serve", "--data", data, "--master-key", directory.appending("master.key"), "--port", String(port)])
        defer { if child.isRunning { child.signal(SIGKILL) } }
        do {
            try await waitUntilServing("http://127.0.0.1:\(port)/healthz")
        } catch {
            throw TestFailure("serve did not start: \(child.errorOutput.suffix(3000))")
        }
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: data))
        #expect(!names.contains { $0.hasPrefix("restore-") }, "\(names)")
        #expect(names.isSuperset(of: ["store", "previous-20190101T000000Z", "previous-20200102T000000Z"]), "\(names)")
        #expect(child.errorOutput.contains("restore-20200101T000000Z"), "the sweep is logged")
        child.signal(SIGTERM)
        #expect(try await child.wait() == 0)
    }
}
