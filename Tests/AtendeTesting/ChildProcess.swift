import Foundation
import Spawn
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The directory holding the binaries this test run was built with (`atende`, `CrashWriter`):
/// the test bundle sits next to them, whatever the scratch path.
public enum BuiltProducts {
    public static var directory: URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
    }

    public static func path(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }
}

/// A process started by a test, with its standard output and error captured to files so a test
/// can read them while it runs and after it ends. Killed and reaped when released, so no child
/// outlives its test.
public final class ChildProcess: Sendable {
    public typealias Status = SpawnedProcess.Status
    public let spawned: SpawnedProcess
    public let outputPath: String
    public let errorPath: String

    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], stdin: Data? = nil) throws {
        let id = UUID().uuidString.prefix(8)
        outputPath = NSTemporaryDirectory() + "atende-child-\(id).out"
        errorPath = NSTemporaryDirectory() + "atende-child-\(id).err"
        var input = SpawnedProcess.Input.null
        let inputPath = NSTemporaryDirectory() + "atende-child-\(id).in"
        if let stdin {
            try stdin.write(to: URL(fileURLWithPath: inputPath))
            input = .file(inputPath)
        }
        // The child has opened its input by the time posix_spawn returns.
        defer { if stdin != nil { try? FileManager.default.removeItem(atPath: inputPath) } }
        spawned = try SpawnedProcess(executable: executable, arguments: arguments,
                                     environment: SpawnedProcess.inheritedEnvironment(environment),
                                     standardInput: input,
                                     standardOutput: outputPath, standardError: errorPath)
    }

    /// Runs `executable` to completion and returns its exit status and output.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                           stdin: Data? = nil, timeout: Duration = .seconds(120)) async throws -> (status: Int32, output: String, error: String) {
        let child = try ChildProcess(executable, arguments, environment: environment, stdin: stdin)
        let status = try await child.wait(timeout: timeout)
        return (status, child.output, child.errorOutput)
    }

    public var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
    public var errorOutput: String { (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "" }
    public var isRunning: Bool { spawned.isRunning }
    public var pid: Int32 { spawned.pid }
    /// How the child ended, or nil while it runs.
    public var status: Status? { spawned.poll() }

    public func signal(_ number: Int32) { spawned.signal(number) }

    /// SIGKILL (unless it ended already) to the child and to the processes it started, then
    /// reap: how the child ended.
    @discardableResult
    public func killAndReap() -> Status {
        killDescendants()
        return spawned.killAndReap()
    }

    /// SIGKILL to the processes the child started: a launcher such as Debian's `faketime` forks
    /// the program it runs, and killing only the launcher left that program running.
    private func killDescendants() {
        guard spawned.isRunning, let list = try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)
        else { return }
        for descendant in list.split(separator: " ").compactMap({ Int32($0) }) { kill(descendant, SIGKILL) }
    }

    /// Waits for the process to end; kills it and throws if it outlives `timeout`.
    public func waitForExit(timeout: Duration = .seconds(120)) async throws -> Status {
        if let status = try await spawned.exit(timeout: timeout) { return status }
        killAndReap()
        throw TestFailure("\(name) (pid \(pid)) did not exit within \(timeout); stderr: \(errorOutput.suffix(2000))")
    }

    /// Waits for the process to end and returns its exit status, or the signal that killed it;
    /// kills it and throws if it outlives `timeout`.
    @discardableResult
    public func wait(timeout: Duration = .seconds(60)) async throws -> Int32 {
        switch try await waitForExit(timeout: timeout) {
        case .exited(let code): code
        case .signaled(let signal): signal
        }
    }

    /// Waits until the child's standard error (or output) contains `text`.
    public func waitFor(_ text: String, in stream: KeyPath<ChildProcess, String> = \.errorOutput,
                        timeout: Duration = .seconds(60)) async throws -> String {
        // Made when the wait gives up, so it quotes standard error as it is then.
        func neverSaw() -> TestFailure { TestFailure("never saw \(text.debugDescription); stderr: \(errorOutput.suffix(2000))") }
        let seen = try await poll(every: .milliseconds(20), for: timeout) { () -> String? in
            let current = self[keyPath: stream]
            if current.contains(text) { return current }
            if !isRunning { throw neverSaw() }
            return nil
        }
        guard let seen else { throw neverSaw() }
        return seen
    }

    /// Waits until the child prints a line starting with `prefix` on standard output and returns
    /// that line; throws, naming how it ended, if the child ends first or `timeout` passes.
    public func line(startingWith prefix: String, timeout: Duration = .seconds(60)) async throws -> String {
        let found = try await poll(every: .milliseconds(5), for: timeout) { () -> String? in
            if let line = output.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) {
                return String(line)
            }
            if let status {
                throw TestFailure("\(name) (pid \(pid)) \(status) before printing '\(prefix)'; stderr: \(errorOutput.suffix(2000))")
            }
            return nil
        }
        if let found { return found }
        let state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? "gone"
        throw TestFailure("\(name) (pid \(pid), /proc stat: \(state.prefix(80))) printed no '\(prefix)' within \(timeout) "
            + "(stdout \(output.utf8.count) bytes); stderr: \(errorOutput.suffix(2000))")
    }

    private var name: String { URL(fileURLWithPath: spawned.executable).lastPathComponent }

    deinit {
        killAndReap()
        try? FileManager.default.removeItem(atPath: outputPath)
        try? FileManager.default.removeItem(atPath: errorPath)
    }
}

/// A failure a test helper reports, with its reason.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
public func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw TestFailure("could not find a free port") }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// One client for every test request, with no cookie jar: tests run side by side against servers
/// on 127.0.0.1, and cookies ignore the port, so a shared jar would hand one server's session to
/// another. Each test passes the cookies it means to send.
public let cookieFreeSession: URLSession = {
    let configuration = URLSessionConfiguration.ephemeral
    configuration.httpCookieStorage = nil
    configuration.httpShouldSetCookies = false
    return URLSession(configuration: configuration)
}()

/// A plain HTTP request to a test server on loopback.
public func httpRequest(_ url: String, method: String = "GET", headers: [String: String] = [:],
                        body: Data? = nil) async throws -> (status: Int, headers: [String: String], body: Data) {
    var request = URLRequest(url: URL(string: url)!)
    request.httpMethod = method
    request.httpBody = body
    request.httpShouldHandleCookies = false
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    let (data, response) = try await cookieFreeSession.data(for: request)
    let http = response as! HTTPURLResponse
    var fields: [String: String] = [:]
    for (key, value) in http.allHeaderFields { fields[String(describing: key).lowercased()] = String(describing: value) }
    return (http.statusCode, fields, data)
}

/// Polls `url` until it answers 200 or `timeout` passes (and looks once more after it). The
/// default is long because it detects a server that never starts, not a slow one: in the first
/// ~100 s of the whole suite on a 2-core Zen 1 VM, tests that started servers listening within
/// 0.3 s still saw no answer after 60 s.
public func waitUntilServing(_ url: String, timeout: Duration = .seconds(180)) async throws {
    let served = try await poll(every: .milliseconds(50), for: timeout) { () -> Bool? in
        if let response = try? await httpRequest(url), response.status == 200 { return true }
        return nil
    }
    if served == true { return }
    throw TestFailure("\(url) did not answer 200 within \(timeout)")
}
