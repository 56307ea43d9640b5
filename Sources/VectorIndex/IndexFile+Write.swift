#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Appends the payload through a 1 MiB buffer, checksumming each full chunk as it goes.
private struct ChunkedWriter: ~Copyable {
    let fd: Int32
    let path: String
    var position = IndexFileLayout.headerSize
    var checksum: UInt64 = 0
    private var buffer: UnsafeMutableRawBufferPointer
    private var used = 0

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
        buffer = .allocate(byteCount: IndexFileLayout.checksumChunk, alignment: 64)
    }

    deinit { buffer.deallocate() }

    mutating func append(_ bytes: UnsafeRawBufferPointer) throws(VectorIndexError) {
        var offset = 0
        while offset < bytes.count {
            let n = min(buffer.count - used, bytes.count - offset)
            (buffer.baseAddress! + used).copyMemory(from: bytes.baseAddress! + offset, byteCount: n)
            used += n
            offset += n
            position += n
            if used == buffer.count { try flush() }
        }
    }

    mutating func pad(to target: Int) throws(VectorIndexError) {
        let zeros = [UInt8](repeating: 0, count: target - position)
        try withBytes(zeros) { (b) throws(VectorIndexError) in try append(b) }
    }

    mutating func flush() throws(VectorIndexError) {
        guard used > 0 else { return }
        let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<used])
        checksum = Checksum.of(chunk, seed: checksum)
        try writeAll(fd, chunk, path: path)
        used = 0
    }
}

/// `Array.withUnsafeBytes` with a typed error (the stdlib version rethrows `any Error`).
func withBytes(_ array: [UInt8], _ body: (UnsafeRawBufferPointer) throws(VectorIndexError) -> Void) throws(VectorIndexError) {
    do {
        try array.withUnsafeBytes { try body($0) }
    } catch let error as VectorIndexError {
        throw error
    } catch {
        preconditionFailure("unreachable: body throws only VectorIndexError")
    }
}

func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(VectorIndexError) {
    var done = 0
    while done < bytes.count {
        let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
        if n < 0 {
            let e = errno
            if e == EINTR { continue }
            throw VectorIndexError(.io, "writing \(path) failed: \(errnoText(e))", errno: e)
        }
        done += n
    }
}

extension IndexCore {
    /// Writes the live rows to `path` atomically (temporary file, fsync, rename); dead rows
    /// are left out, so a saved file is always compact.
    func save(to path: String) throws(VectorIndexError) {
        let snap = snapshot()
        let live = (0..<snap.count).filter { !snap.dead.contains($0) }
        let layout = IndexFileLayout(isQuantized: isQuantized, dimension: dimension, count: live.count)
        let temporary = "\(path).tmp-\(getpid())"
        let fd = open(temporary, O_CREAT | O_TRUNC | O_WRONLY, 0o644)
        guard fd >= 0 else {
            let e = errno
            throw VectorIndexError(.io, "cannot create \(temporary): \(errnoText(e))", errno: e)
        }
        var closed = false
        defer { if !closed { close(fd); unlink(temporary) } }

        let s = snap.storage, dim = dimension
        let contiguous = live.count == snap.count
        var writer = ChunkedWriter(fd: fd, path: temporary)
        try withBytes([UInt8](repeating: 0, count: IndexFileLayout.headerSize)) { (b) throws(VectorIndexError) in
            try writeAll(fd, b, path: temporary)
        }
        func section(_ base: UnsafeRawPointer, rowBytes: Int) throws(VectorIndexError) {
            if contiguous {
                try writer.append(UnsafeRawBufferPointer(start: base, count: live.count * rowBytes))
            } else {
                for slot in live { try writer.append(UnsafeRawBufferPointer(start: base + slot * rowBytes, count: rowBytes)) }
            }
        }
        try section(s.ids, rowBytes: 8)
        if let codes = s.codes, let scales = s.scales {
            try writer.pad(to: layout.codesOffset)
            try section(codes, rowBytes: dim)
            try writer.pad(to: layout.scalesOffset)
            try section(scales, rowBytes: 4)
        }
        try writer.pad(to: layout.vectorsOffset)
        try section(s.vectors, rowBytes: dim * 4)
        try writer.pad(to: layout.fileLength)
        try writer.flush()

        let header = IndexFileHeader(layout: layout, rerankDepth: rerankDepth, payloadChecksum: writer.checksum).encoded()
        guard lseek(fd, 0, SEEK_SET) == 0 else {
            throw VectorIndexError(.io, "seeking in \(temporary) failed: \(errnoText(errno))", errno: errno)
        }
        try withBytes(header) { (b) throws(VectorIndexError) in try writeAll(fd, b, path: temporary) }
        guard fsync(fd) == 0 else {
            throw VectorIndexError(.io, "fsync of \(temporary) failed: \(errnoText(errno))", errno: errno)
        }
        close(fd)
        closed = true
        guard rename(temporary, path) == 0 else {
            let e = errno
            unlink(temporary)
            throw VectorIndexError(.io, "renaming \(temporary) to \(path) failed: \(errnoText(e))", errno: e)
        }
    }
}
