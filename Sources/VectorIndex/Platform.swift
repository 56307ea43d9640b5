#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The value of an environment variable, or nil.
func environmentValue(_ name: String) -> String? {
    guard let raw = getenv(name) else { return nil }
    return String(cString: raw)
}

/// The current thread's errno (a function so callers need not import libc).
func currentErrno() -> Int32 { errno }

/// Human text for an errno value.
func errnoText(_ code: Int32) -> String { String(cString: strerror(code)) }

/// open(2), named so it does not collide with `open` methods.
func posixOpen(_ path: String, _ flags: Int32) -> Int32 { open(path, flags) }

/// Heap memory for a large, long-lived section (codes, vectors, sign bits). From 2 MiB up
/// it is 2 MiB-aligned and advised MADV_HUGEPAGE before first touch, so where transparent
/// huge pages are `madvise` (Debian's default) the kernel backs it with 2 MiB pages: a
/// sequential scan then is not cut into 4 KiB pieces the hardware prefetcher stops at, and
/// a scattered read (the 1-bit pass's int8 candidates) does not walk the page table for
/// every row. Measured on Zen 4 (2 vCPU VM): a 153.6 MB stream read 21–22 GB/s on 4 KiB
/// pages, 32–34 GB/s on 2 MiB pages. Free with `deallocate()` as usual.
func allocateSection(_ bytes: Int) -> UnsafeMutableRawPointer {
    let huge = 2 << 20
    guard bytes >= huge else { return UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 64), alignment: 64) }
    let p = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: huge)
    #if os(Linux)
    _ = madvise(p, bytes / huge * huge, MADV_HUGEPAGE)
    #endif
    return p
}
