import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The physical reference: how many `pwrite(4 KiB) + fdatasync` pairs the disk completes per
/// second in the benchmark's directory. One LMDB commit costs at least one such flush (data
/// pages, then the meta page through an O_DSYNC descriptor: reliability.md A1.1).
func rawSyncRate(in directory: String, for duration: Duration) throws -> Double {
    let path = (directory as NSString).appendingPathComponent("raw-sync.bin")
    let fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw BenchError("open \(path): \(String(cString: strerror(errno)))") }
    defer { close(fd); unlink(path) }
    let blocks = 256                                   // rewrite a 1 MiB region, block by block
    var buffer = [UInt8](repeating: 0xA5, count: 4096)
    // Allocate the region first so the timed loop flushes data only, not file-size metadata.
    for block in 0..<blocks { try writeBlock(fd, &buffer, at: block) }
    guard fsync(fd) == 0 else { throw BenchError("fsync: \(String(cString: strerror(errno)))") }
    let clock = ContinuousClock()
    let start = clock.now
    var count = 0
    while clock.now - start < duration {
        buffer[0] = UInt8(truncatingIfNeeded: count)
        try writeBlock(fd, &buffer, at: count % blocks)
        guard fdatasync(fd) == 0 else { throw BenchError("fdatasync: \(String(cString: strerror(errno)))") }
        count += 1
    }
    return Double(count) / (clock.now - start).seconds
}

private func writeBlock(_ fd: Int32, _ buffer: inout [UInt8], at block: Int) throws {
    let written = buffer.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(block * 4096)) }
    guard written == buffer.count else { throw BenchError("pwrite: \(String(cString: strerror(errno)))") }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
