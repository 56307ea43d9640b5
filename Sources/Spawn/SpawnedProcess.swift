import CSpawn
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A child process started with posix_spawn and reaped with waitpid on its own pid only.
///
/// Why not Foundation's `Process`: on Linux its `run()` can crash the parent (it scans
/// /proc/self/fd past its buffer, swift-corelibs-foundation#5472, still in Swift 6.3), and its
/// SIGCHLD handling reaps children it did not start, so a second spawner in the same process
/// loses their exit status. This type is the one way Atende and its tests start a process.
///
/// The child gets standard input from /dev/null or a file, standard output and error written to
/// files (a pipe nobody drains can stall a child, and a file keeps what it said after SIGKILL),
/// no other descriptor of ours, default signal dispositions and an empty signal mask.
public final class SpawnedProcess: Sendable {
    public enum Status: Equatable, Sendable, CustomStringConvertible {
        case exited(Int32)
        case signaled(Int32)

        public var description: String {
            switch self {
            case .exited(let code): "exited with status \(code)"
            case .signaled(let signal): "killed by signal \(signal)"
            }
        }
    }

    public enum Input: Sendable {
        case null
        case file(String)
    }

    public let pid: pid_t
    public let executable: String
    private let ended = Mutex<Status?>(nil)

    /// Starts `executable` (a path; no PATH search) with exactly `environment`.
    /// Throws `SpawnError` when the program cannot be started (missing, not executable, a file
    /// action that fails).
    public init(executable: String, arguments: [String], environment: [String: String], standardInput: Input = .null,
                standardOutput: String, standardError: String) throws(SpawnError) {
        self.executable = executable
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let inputPath: String
        switch standardInput {
        case .null: inputPath = "/dev/null"
        case .file(let path): inputPath = path
        }
        posix_spawn_file_actions_addopen(&actions, 0, inputPath, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, standardOutput, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        cspawn_add_close_from(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        var rc = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        // ETXTBSY: a program just written (a test's script) is still open for writing in another
        // child that this process forked a moment ago and that has not reached its exec yet. That
        // lasts microseconds; try again a few times before believing it.
        var tries = 0
        while rc == ETXTBSY && tries < 20 {
            tries += 1
            usleep(UInt32(2_000 * tries))
            rc = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        }
        guard rc == 0 else { throw SpawnError(executable: executable, code: rc) }
        self.pid = pid
    }

    /// The environment this process runs with, with `overrides` on top: what a child is usually given.
    public static func inheritedEnvironment(_ overrides: [String: String] = [:]) -> [String: String] {
        ProcessInfo.processInfo.environment.merging(overrides) { _, new in new }
    }

    /// How the child ended, or nil while it runs (non-blocking).
    public func poll() -> Status? {
        ended.withLock { status in
            if let status { return status }
            var raw: Int32 = 0
            guard waitpid(pid, &raw, WNOHANG) == pid else { return nil }
            status = Self.decode(raw)
            return status
        }
    }

    public var isRunning: Bool { poll() == nil }

    /// Sends `signal` unless the child has already been reaped (its pid may belong to another
    /// process by then).
    public func signal(_ number: Int32) {
        ended.withLock { status in
            if status == nil { kill(pid, number) }
        }
    }

    /// Blocks until the child ends or `timeout` passes; nil on timeout (the child keeps running).
    public func wait(timeout: Duration) -> Status? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let status = poll() { return status }
            if ContinuousClock.now >= deadline { return nil }
            usleep(5_000)
        }
    }

    /// Suspends until the child ends or `timeout` passes; nil on timeout (the child keeps running).
    public func exit(timeout: Duration) async throws -> Status? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let status = poll() { return status }
            if ContinuousClock.now >= deadline { return nil }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// SIGKILL (unless it has ended already), then reap: how the child ended.
    @discardableResult
    public func killAndReap() -> Status {
        ended.withLock { status in
            if let status { return status }
            kill(pid, SIGKILL)
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
            let reaped = Self.decode(raw)
            status = reaped
            return reaped
        }
    }

    deinit { killAndReap() }

    // WIFEXITED/WEXITSTATUS/WTERMSIG are C macros Swift cannot import.
    private static func decode(_ raw: Int32) -> Status {
        raw & 0x7F == 0 ? .exited((raw >> 8) & 0xFF) : .signaled(raw & 0x7F)
    }
}

/// A program that could not be started.
public struct SpawnError: Error, CustomStringConvertible {
    public let executable: String
    public let code: Int32
    public var description: String { "cannot start \(executable): \(String(cString: strerror(code)))" }
}
