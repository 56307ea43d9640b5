import Glibc

/// An open file descriptor we own, closed when the value ends. The vault's and the backup
/// format's only path to the file system, so every failure names the call, the path and errno.
struct CryptoFile: ~Copyable {
    let descriptor: Int32
    let path: String

    /// `open(2)` with `flags` (O_CLOEXEC is added) and `mode` for created files.
    init(path: String, flags: Int32, mode: mode_t = 0o600) throws(VaultError) {
        let fd = Glibc.open(path, flags | O_CLOEXEC, mode)
        guard fd >= 0 else { throw CryptoFile.failure("open", path) }
        self.descriptor = fd
        self.path = path
    }

    deinit { Glibc.close(descriptor) }

    /// The file's status (fstat).
    func status() throws(VaultError) -> stat {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw CryptoFile.failure("fstat", path) }
        return info
    }

    /// Reads until `buffer` is full or the file ends; returns how many bytes were read.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(VaultError) -> Int {
        try CryptoFile.read(descriptor, into: buffer, path: path)
    }

    /// Writes all of `buffer`, retrying short writes and EINTR.
    func write(_ buffer: UnsafeRawBufferPointer) throws(VaultError) {
        try CryptoFile.write(descriptor, buffer, path: path)
    }

    /// Writes all of `buffer` to `fd` (not owned), retrying short writes and EINTR.
    static func write(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, path: String) throws(VaultError) {
        var done = 0
        while done < buffer.count {
            let n = Glibc.write(fd, buffer.baseAddress! + done, buffer.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("write", path)
            }
            done += n
        }
    }

    func write(_ bytes: [UInt8]) throws(VaultError) {
        let failure: VaultError? = bytes.withUnsafeBytes { buffer in
            do throws(VaultError) { try write(buffer); return nil } catch { return error }
        }
        if let failure { throw failure }
    }

    /// Flushes data and metadata to the disk.
    func sync() throws(VaultError) {
        guard fsync(descriptor) == 0 else { throw CryptoFile.failure("fsync", path) }
    }

    /// Reads from `fd` (not owned) until `buffer` is full or EOF, at `offset` if given.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int? = nil,
                     path: String) throws(VaultError) -> Int {
        var done = 0
        while done < buffer.count {
            let n = offset.map { pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t($0 + done)) }
                ?? Glibc.read(fd, buffer.baseAddress! + done, buffer.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("read", path)
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Renames `from` over `to` atomically, then syncs the directory so the rename is durable.
    static func rename(_ from: String, to: String) throws(VaultError) {
        guard Glibc.rename(from, to) == 0 else { throw failure("rename", from) }
        try syncDirectory(containing: to)
    }

    /// fsync on the directory holding `path`, which makes a create or rename in it durable.
    static func syncDirectory(containing path: String) throws(VaultError) {
        let directory = parentDirectory(of: path)
        let fd = Glibc.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw failure("open", directory) }
        defer { Glibc.close(fd) }
        guard fsync(fd) == 0 else { throw failure("fsync", directory) }
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static func failure(_ call: String, _ path: String, fileID: StaticString = #fileID,
                        line: UInt = #line) -> VaultError {
        let code = errno
        return VaultError(.io, "\(call) \(path): \(String(cString: strerror(code)))", fileID: fileID, line: line)
    }
}
