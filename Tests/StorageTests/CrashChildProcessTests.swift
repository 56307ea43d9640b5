import AtendeTesting
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Finds a helper executable built alongside the tests (`swift build --build-tests` builds every
/// target). The test runner lives in the build's products directory, so look beside it first;
/// then in every `.build*` directory of the package (any `--scratch-path` named that way);
/// `ATENDE_TEST_BIN_DIR` overrides both.
func builtExecutable(_ name: String) throws -> String {
    var directories: [String] = []
    if let dir = ProcessInfo.processInfo.environment["ATENDE_TEST_BIN_DIR"] { directories.append(dir) }
    if let me = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
        directories.append((me as NSString).deletingLastPathComponent)
    }
    directories.append((Bundle.main.bundlePath as NSString).deletingLastPathComponent)
    directories.append(Bundle.main.bundlePath)
    for dir in directories {
        let candidate = (dir as NSString).appendingPathComponent(name)
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    // Fallback: <package>/.build*/**/debug/<name>, newest first.
    let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    let scratch = ((try? FileManager.default.contentsOfDirectory(atPath: packageRoot)) ?? []).filter { $0.hasPrefix(".build") }
    var found: [(path: String, modified: Date)] = []
    for dir in scratch {
        let base = (packageRoot as NSString).appendingPathComponent(dir)
        let triples = ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).map { "\(dir)/\($0)/debug" }
        for sub in [dir + "/debug"] + triples {
            let candidate = "\(packageRoot)/\(sub)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate),
               let modified = try? FileManager.default.attributesOfItem(atPath: candidate)[.modificationDate] as? Date {
                found.append((candidate, modified))
            }
        }
    }
    guard let newest = found.max(by: { $0.modified < $1.modified }) else {
        throw HarnessError("\(name) not found beside the test runner (\(directories)) nor under \(packageRoot)/.build*; build it with `swift build --build-tests`")
    }
    return newest.path
}

@Suite struct CrashChildProcessTests {
    @Test func aChildKilledWithSIGKILLIsReportedAsKilledBySignalNine() async throws {
        let child = try ChildProcess("/bin/sh", ["-c", "echo up; exec sleep 300"])
        #expect(try await child.line(startingWith: "up") == "up")
        #expect(child.killAndReap() == .signaled(SIGKILL))
    }

    @Test func killingALauncherKillsTheProgramItForked() async throws {
        // As Debian's `faketime` does: the launcher forks the program and waits for it.
        let child = try ChildProcess("/bin/sh", ["-c", "sleep 300 & echo $!; wait"])
        let forked = try #require(Int32(try await child.line(startingWith: "")))
        child.killAndReap()
        var state = "running"
        for _ in 0..<200 {
            // Gone, or a zombie waiting for whoever adopted it.
            state = (try? String(contentsOfFile: "/proc/\(forked)/stat", encoding: .utf8))
                .map { $0.split(separator: ")").last?.split(separator: " ").first.map(String.init) ?? "?" } ?? "gone"
            if state == "gone" || state == "Z" { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        #expect(state == "gone" || state == "Z")
    }

    @Test func aChildThatExitsBeforeSayingReadyIsAnErrorNamingItsStatus() async throws {
        let child = try ChildProcess("/bin/sh", ["-c", "echo oops >&2; exit 3"])
        await #expect {
            _ = try await child.line(startingWith: "ready")
        } throws: { "\($0)".contains("exited with status 3") && "\($0)".contains("oops") }
    }

    @Test func aChildInheritsNoDescriptorOfOursButItsThreeStandardOnes() async throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)   // without O_CLOEXEC, as a careless library might open one
        defer { close(ends[0]); close(ends[1]) }
        let child = try ChildProcess("/bin/sleep", ["300"])
        // While it starts, the program itself opens and closes files (its libraries, the locale);
        // a descriptor inherited from us would stay open for good.
        var open: [String] = []
        for _ in 0..<200 {
            open = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(child.pid)/fd").sorted()
            if open == ["0", "1", "2"] { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        #expect(open == ["0", "1", "2"])
    }

    @Test func aChildStartsWithNoStandardSignalBlockedOrIgnored() async throws {
        // The test runner ignores SIGPIPE (SwiftNIO does); a child must not inherit that. (32 and
        // 33 are glibc's own; a new program sets them up itself.)
        let child = try ChildProcess("/bin/sleep", ["300"])
        let status = try String(contentsOfFile: "/proc/\(child.pid)/status", encoding: .utf8)
        for name in ["SigBlk", "SigIgn"] {
            let line = try #require(status.split(separator: "\n").first { $0.hasPrefix(name + ":") })
            let mask = try #require(UInt64(line.split(separator: "\t").last ?? "", radix: 16))
            #expect(mask & 0x7FFF_FFFF == 0, "\(line)")
        }
    }

    @Test func standardInputDataReachesTheChild() async throws {
        let echoed = try await ChildProcess.run("/bin/cat", [], stdin: Data("olá\n".utf8))
        #expect(echoed.status == 0 && echoed.output == "olá\n")
    }

    @Test func aProgramThatCannotBeStartedIsAnErrorNamingIt() {
        #expect {
            _ = try ChildProcess("/nonexistent/atende-helper", [])
        } throws: { "\($0)" == "cannot start /nonexistent/atende-helper: No such file or directory" }
    }

    @Test func theCrashWriterHelperIsFoundBesideTheTests() throws {
        let path = try builtExecutable("CrashWriter")
        #expect(FileManager.default.isExecutableFile(atPath: path))
    }
}
