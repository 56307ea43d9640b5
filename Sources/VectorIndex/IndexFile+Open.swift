#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A validated, read-only mapping of an index file.
struct MappedIndexFile {
    let storage: RowStorage
    let count: Int
    let rerankDepth: Int

    /// Maps `path` without copying and checks header, size and checksum before any row is
    /// used; a damaged file throws `.truncated`, `.corrupted` or `.unsupportedVersion`.
    static func open(_ path: String, expectQuantized: Bool) throws(VectorIndexError) -> MappedIndexFile {
        let fd = posixOpen(path, O_RDONLY)
        guard fd >= 0 else {
            let e = errno
            throw VectorIndexError(.io, "cannot open index file \(path): \(errnoText(e))", errno: e)
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let e = errno
            throw VectorIndexError(.io, "cannot stat \(path): \(errnoText(e))", errno: e)
        }
        let size = Int(st.st_size)
        guard size >= IndexFileLayout.headerSize else {
            throw VectorIndexError(.truncated, "index file \(path) is \(size) bytes, shorter than its \(IndexFileLayout.headerSize)-byte header")
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), Int(bitPattern: base) != -1 else {
            let e = errno
            throw VectorIndexError(.io, "cannot map \(path): \(errnoText(e))", errno: e)
        }
        do throws(VectorIndexError) {
            let whole = UnsafeRawBufferPointer(start: base, count: size)
            let header = try IndexFileHeader.decode(whole, fileSize: size)
            let layout = header.layout
            guard layout.isQuantized == expectQuantized else {
                throw VectorIndexError(.wrongKind, "\(path) holds \(layout.isQuantized ? "a quantised" : "an exact") index")
            }
            let payload = UnsafeRawBufferPointer(rebasing: whole[IndexFileLayout.headerSize..<layout.fileLength])
            guard Checksum.payload(payload) == header.payloadChecksum else {
                throw VectorIndexError(.corrupted, "index file \(path) fails its checksum (damaged or partly written)")
            }
            if layout.isQuantized {
                // The codes are the hot scan data; the vectors are read ~R rows per query.
                // Verifying the checksum touched every vector page: drop them from this
                // process's resident set again (they stay in the page cache, evictable).
                advise(base, from: layout.codesOffset, to: layout.vectorsOffset, MADV_WILLNEED)
                advise(base, from: layout.vectorsOffset, to: layout.fileLength, MADV_DONTNEED)
                advise(base, from: layout.vectorsOffset, to: layout.fileLength, MADV_RANDOM)
            }
            let storage = RowStorage(mappedBase: base, length: size, layout: layout)
            return MappedIndexFile(storage: storage, count: layout.count, rerankDepth: header.rerankDepth)
        } catch {
            munmap(base, size)
            throw error
        }
    }
}

/// madvise on the whole pages inside [from, to) (madvise needs page-aligned starts).
private func advise(_ base: UnsafeMutableRawPointer, from: Int, to: Int, _ advice: Int32) {
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let start = (from + page - 1) / page * page
    guard to > start else { return }
    _ = madvise(base + start, to - start, advice)
}
