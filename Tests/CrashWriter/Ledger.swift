#if canImport(Glibc)
import Glibc
#endif

/// The acknowledgement ledger: one decimal number and a newline per acknowledged write,
/// appended with a single write(2) on an O_APPEND descriptor, so concurrent writers never
/// interleave inside a line. A SIGKILL keeps what write(2) handed to the kernel (the page cache
/// survives a process crash), so the ledger is exactly what the process had acknowledged.
/// Power loss is not simulated here (reliability.md B2), so no fsync.
final class Ledger: Sendable {
    private let fd: Int32

    init(path: String) throws {
        fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SystemError("open \(path)") }
    }

    deinit { close(fd) }

    func append(_ n: Int) throws {
        let line = Array("\(n)\n".utf8)
        let written = line.withUnsafeBytes { raw in
            var result: Int
            repeat { result = write(fd, raw.baseAddress, raw.count) } while result < 0 && errno == EINTR
            return result
        }
        // A short write would tear a line; for a few bytes on a regular file it doesn't happen,
        // but refuse to carry on rather than acknowledge something the ledger may not show.
        guard written == line.count else { throw SystemError("ledger write (\(written) of \(line.count) bytes)") }
    }
}

/// A failed system call, with errno's text.
struct SystemError: Error, CustomStringConvertible {
    let description: String
    init(_ call: String) { description = "\(call) failed: \(String(cString: strerror(errno)))" }
}

/// Writes one line to stdout at once (stdout is a file under the harness, so `print` would sit in
/// a buffer the harness never sees before the SIGKILL).
func emit(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    bytes.withUnsafeBytes { raw in _ = write(1, raw.baseAddress, raw.count) }
}
