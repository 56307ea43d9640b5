import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on `<data>/atende.lock`: the process holding it owns the data directory.
/// The kernel drops it when the process dies, so a crash never leaves a stale lock behind.
public final class DataDirectoryLock: Sendable {
    public let path: String
    private let fd: Mutex<Int32?>

    /// Takes the lock or throws `.locked` at once (never waits).
    public init(directory: String) throws {
        path = (directory as NSString).appendingPathComponent("atende.lock")
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StorageError(.io, "cannot open \(path): \(String(cString: strerror(errno)))", errno: errno)
        }
        // A few short retries: a child process being spawned by this process holds a copy of the
        // descriptor until its exec closes it (O_CLOEXEC), so a lock just released can look taken
        // for an instant. A real owner keeps it far longer than these 100 ms.
        var rc = flock(fd, LOCK_EX | LOCK_NB)
        var code = rc == 0 ? 0 : errno
        for _ in 0..<10 where rc != 0 && code == EWOULDBLOCK {
            usleep(10_000)
            rc = flock(fd, LOCK_EX | LOCK_NB)
            code = rc == 0 ? 0 : errno
        }
        guard rc == 0 else {
            close(fd)
            if code == EWOULDBLOCK {
                throw StorageError(.locked, "\(directory) is in use by another atende process (is `atende serve` running?)", errno: code)
            }
            throw StorageError(.io, "cannot lock \(path): \(String(cString: strerror(code)))", errno: code)
        }
        self.fd = Mutex(fd)
    }

    /// Releases the lock (closing the descriptor releases the flock). Idempotent.
    public func release() {
        fd.withLock { fd in
            if let open = fd { close(open) }
            fd = nil
        }
    }

    deinit { release() }
}
