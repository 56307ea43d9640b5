/// The index file format, version 1. Little-endian; every section starts on a 64-byte
/// boundary so the mapped file can be scanned in place.
///
/// ```
/// 0    magic "ATVECIX1"                    8 bytes
/// 8    version (1)                         u32
/// 12   kind (1 = exact f32, 2 = int8+f32)  u32
/// 16   dimension                           u32
/// 20   rerank depth                        u32
/// 24   row count                           u64
/// 32   ids offset | 40 codes offset | 48 scales offset | 56 vectors offset   u64 each (0 = absent)
/// 64   file length                         u64
/// 72   payload checksum                    u64  (bytes [128, length), 1 MiB chunks chained)
/// 80   header checksum                     u64  (bytes [0, 80))
/// 88…127 zero
/// 128  ids: count × u64
///      codes: count × dimension × u8 (code + 128)      } quantised only; the hot scan data
///      scales: count × f32                              }
///      vectors: count × dimension × f32 (unit length)    re-rank / exact scan; may stay cold
/// ```
struct IndexFileLayout: Equatable {
    static let headerSize = 128
    static let magic: [UInt8] = Array("ATVECIX1".utf8)
    static let version: UInt32 = 1
    static let checksumChunk = 1 << 20

    let isQuantized: Bool
    let dimension: Int
    let count: Int

    static func align64(_ x: Int) -> Int { (x + 63) & ~63 }

    var idsOffset: Int { Self.headerSize }
    var codesOffset: Int { isQuantized ? Self.align64(idsOffset + count * 8) : 0 }
    var scalesOffset: Int { isQuantized ? Self.align64(codesOffset + count * dimension) : 0 }
    var vectorsOffset: Int {
        isQuantized ? Self.align64(scalesOffset + count * 4) : Self.align64(idsOffset + count * 8)
    }
    var fileLength: Int { Self.align64(vectorsOffset + count * dimension * 4) }
    var kind: UInt32 { isQuantized ? 2 : 1 }
}

/// Reading and writing the 128-byte header.
struct IndexFileHeader {
    var layout: IndexFileLayout
    var rerankDepth: Int
    var payloadChecksum: UInt64

    func encoded() -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: IndexFileLayout.headerSize)
        func put<T: FixedWidthInteger>(_ value: T, at offset: Int) {
            withUnsafeBytes(of: value.littleEndian) { bytes.replaceSubrange(offset..<offset + $0.count, with: $0) }
        }
        bytes.replaceSubrange(0..<8, with: IndexFileLayout.magic)
        put(IndexFileLayout.version, at: 8)
        put(layout.kind, at: 12)
        put(UInt32(layout.dimension), at: 16)
        put(UInt32(rerankDepth), at: 20)
        put(UInt64(layout.count), at: 24)
        put(UInt64(layout.idsOffset), at: 32)
        put(UInt64(layout.codesOffset), at: 40)
        put(UInt64(layout.scalesOffset), at: 48)
        put(UInt64(layout.vectorsOffset), at: 56)
        put(UInt64(layout.fileLength), at: 64)
        put(payloadChecksum, at: 72)
        let headerSum = bytes.withUnsafeBytes { Checksum.of(UnsafeRawBufferPointer(rebasing: $0[0..<80])) }
        put(headerSum, at: 80)
        return bytes
    }

    /// Parses and checks a header against the real file size. Every impossible value is
    /// reported by name, so a damaged file says what is wrong with it.
    static func decode(_ raw: UnsafeRawBufferPointer, fileSize: Int) throws(VectorIndexError) -> IndexFileHeader {
        guard raw.count >= IndexFileLayout.headerSize else {
            throw VectorIndexError(.truncated, "index file is \(raw.count) bytes, shorter than its \(IndexFileLayout.headerSize)-byte header")
        }
        func get<T: FixedWidthInteger>(_: T.Type, _ offset: Int) -> T {
            T(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: T.self))
        }
        guard Array(raw[0..<8]) == IndexFileLayout.magic else {
            throw VectorIndexError(.corrupted, "not an Atende vector index file (bad magic)")
        }
        let version = get(UInt32.self, 8)
        guard version == IndexFileLayout.version else {
            throw VectorIndexError(.unsupportedVersion, "index file format version \(version) is not supported (this build reads \(IndexFileLayout.version))")
        }
        let stored = get(UInt64.self, 80)
        guard Checksum.of(UnsafeRawBufferPointer(rebasing: raw[0..<80])) == stored else {
            throw VectorIndexError(.corrupted, "index file header checksum does not match")
        }
        let kind = get(UInt32.self, 12)
        guard kind == 1 || kind == 2 else { throw VectorIndexError(.corrupted, "index file has unknown kind \(kind)") }
        let dimension = Int(get(UInt32.self, 16))
        let count = get(UInt64.self, 24)
        guard dimension > 0, count < UInt64(1) << 40 else {
            throw VectorIndexError(.corrupted, "index file header has impossible dimension \(dimension) or count \(count)")
        }
        let layout = IndexFileLayout(isQuantized: kind == 2, dimension: dimension, count: Int(count))
        let offsets = [32, 40, 48, 56, 64].map { Int(get(UInt64.self, $0)) }
        guard offsets == [layout.idsOffset, layout.codesOffset, layout.scalesOffset, layout.vectorsOffset, layout.fileLength] else {
            throw VectorIndexError(.corrupted, "index file section offsets do not match its dimension and count")
        }
        guard fileSize >= layout.fileLength else {
            throw VectorIndexError(.truncated, "index file is \(fileSize) bytes but its header says \(layout.fileLength)")
        }
        guard fileSize == layout.fileLength else {
            throw VectorIndexError(.corrupted, "index file has \(fileSize - layout.fileLength) unexpected bytes after its end")
        }
        return IndexFileHeader(layout: layout, rerankDepth: Int(get(UInt32.self, 20)), payloadChecksum: get(UInt64.self, 72))
    }
}

/// The file checksum: `atende_vk_checksum64` over 1 MiB chunks, each seeded with the
/// previous chunk's result, so it can be computed while streaming the file out.
enum Checksum {
    static func of(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        cChecksum(bytes, seed: seed)
    }

    /// Checksum of a whole in-memory payload, chunk by chunk.
    static func payload(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0
        var start = 0
        while start < bytes.count {
            let end = min(start + IndexFileLayout.checksumChunk, bytes.count)
            h = cChecksum(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), seed: h)
            start = end
        }
        return h
    }
}
