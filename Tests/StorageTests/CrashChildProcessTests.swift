import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A helper process started with posix_spawn, its stdout and stderr sent to files (a pipe nobody
/// drains could stall it, and a file keeps what it said after a SIGKILL). Reaped with waitpid;
/// killed and reaped on deinit if a test bails out early, so no child outlives its test.
final class ChildProcess {
    enum Status: Equatable, CustomStringConvertible {
        case exited(Int32)
        case signaled(Int32)
        var description: String {
            switch self {
            case .exited(let code): "exited with status \(code)"
            case .signaled(let signal): "killed by signal \(signal)"
            }
        }
    }

    let pid: pid_t
    let stdoutPath: String
    let stderrPath: String
    private(set) var status: Status?

    init(_ executable: String, _ arguments: [String], outputPrefix: String) throws {
        stdoutPath = outputPrefix + ".out"
        stderrPath = outputPrefix + ".err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard rc == 0 else { throw HarnessError("posix_spawn \(executable): \(String(cString: strerror(rc)))") }
        self.pid = pid
    }

    deinit {
        if status == nil {
            kill(pid, SIGKILL)
            var raw: Int32 = 0
            waitpid(pid, &raw, 0)
        }
    }

    var standardOutput: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var standardError: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Waits until the child prints a line starting with `prefix` and returns that line; throws
    /// if the child ends first or `timeout` passes.
    func line(startingWith prefix: String, timeout: Duration = .seconds(60)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = standardOutput.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) {
                return String(line)
            }
            if let status = poll() {
                throw HarnessError("child \(pid) \(status) before printing '\(prefix)'; stderr: \(standardError)")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw HarnessError("child \(pid) printed no '\(prefix)' within \(timeout); stderr: \(standardError)")
    }

    /// SIGKILL, then reap. Returns how the child ended (it may have ended on its own before).
    @discardableResult
    func killAndReap() -> Status {
        if status == nil { kill(pid, SIGKILL) }
        return reap()
    }

    /// Waits for the child to end on its own, or kills it after `timeout` and throws.
    func waitForExit(timeout: Duration = .seconds(120)) async throws -> Status {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let status = poll() { return status }
            try await Task.sleep(for: .milliseconds(10))
        }
        killAndReap()
        throw HarnessError("child \(pid) did not end within \(timeout); stderr: \(standardError)")
    }

    /// Non-blocking waitpid: the status if the child has ended.
    func poll() -> Status? {
        if let status { return status }
        var raw: Int32 = 0
        guard waitpid(pid, &raw, WNOHANG) == pid else { return nil }
        status = Self.decode(raw)
        return status
    }

    private func reap() -> Status {
        if let status { return status }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        status = Self.decode(raw)
        return status!
    }

    // WIFEXITED/WEXITSTATUS/WTERMSIG are C macros Swift can't import.
    private static func decode(_ raw: Int32) -> Status {
        raw & 0x7F == 0 ? .exited((raw >> 8) & 0xFF) : .signaled(raw & 0x7F)
    }
}

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
        let child = try ChildProcess("/bin/sh", ["-c", "echo up; exec sleep 30"],
                                     outputPrefix: FileManager.default.temporaryDirectory.path + "/atende-child-\(UUID())")
        defer { try? FileManager.default.removeItem(atPath: child.stdoutPath); try? FileManager.default.removeItem(atPath: child.stderrPath) }
        #expect(try await child.line(startingWith: "up") == "up")
        #expect(child.killAndReap() == .signaled(SIGKILL))
    }

    @Test func aChildThatExitsBeforeSayingReadyIsAnErrorNamingItsStatus() async throws {
        let child = try ChildProcess("/bin/sh", ["-c", "echo oops >&2; exit 3"],
                                     outputPrefix: FileManager.default.temporaryDirectory.path + "/atende-child-\(UUID())")
        defer { try? FileManager.default.removeItem(atPath: child.stdoutPath); try? FileManager.default.removeItem(atPath: child.stderrPath) }
        await #expect {
            _ = try await child.line(startingWith: "ready")
        } throws: { "\($0)".contains("exited with status 3") && "\($0)".contains("oops") }
    }

    @Test func theCrashWriterHelperIsFoundBesideTheTests() throws {
        let path = try builtExecutable("CrashWriter")
        #expect(FileManager.default.isExecutableFile(atPath: path))
    }
}
