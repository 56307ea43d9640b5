#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The rows of an index in the on-disk section layout: ids, int8 codes + per-row scales
/// (quantised indexes only), and full-precision vectors, each section 64-byte aligned.
/// Backed either by heap memory (growable by replacement) or by a read-only file mapping.
///
/// Concurrency: rows `< published count` are never written again; the single writer
/// appends at the end under the index lock and then publishes the new count. A storage
/// object is therefore safe to read from many threads (`@unchecked Sendable`).
final class RowStorage: @unchecked Sendable {
    let dimension: Int
    let isQuantized: Bool
    let capacity: Int
    let ids: UnsafeMutablePointer<UInt64>
    let vectors: UnsafeMutablePointer<Float>
    /// Only when `isQuantized`; `dimension` bytes per row.
    let codes: UnsafeMutablePointer<UInt8>?
    let scales: UnsafeMutablePointer<Float>?
    /// The 1-bit level (quantised only; always on the heap, also for a mapped file, where
    /// it is derived from the vectors on open): sign bits in bit blocks, and per row the
    /// count of set bits, 1/‖x‖₁ and the estimate's standard error (see `BinaryCodes`).
    let bitBlocks: UnsafeMutablePointer<UInt8>?
    let bitOnes: UnsafeMutablePointer<Float>?
    let bitInvL1: UnsafeMutablePointer<Float>?
    let bitSigma: UnsafeMutablePointer<Float>?
    /// Set for a file mapping: (base, length) to unmap on deinit.
    private let mapping: (UnsafeMutableRawPointer, Int)?
    private let owned: [UnsafeMutableRawPointer]

    /// Empty heap storage for `capacity` rows.
    init(dimension: Int, isQuantized: Bool, capacity: Int) {
        self.dimension = dimension
        self.isQuantized = isQuantized
        self.capacity = capacity
        func allocate(_ bytes: Int) -> UnsafeMutableRawPointer { allocateSection(bytes) }
        let rawIDs = allocate(capacity * 8), rawVectors = allocate(capacity * dimension * 4)
        ids = rawIDs.bindMemory(to: UInt64.self, capacity: capacity)
        vectors = rawVectors.bindMemory(to: Float.self, capacity: capacity * dimension)
        var owned = [rawIDs, rawVectors]
        if isQuantized {
            let rawCodes = allocate(capacity * dimension), rawScales = allocate(capacity * 4)
            codes = rawCodes.bindMemory(to: UInt8.self, capacity: capacity * dimension)
            scales = rawScales.bindMemory(to: Float.self, capacity: capacity)
            owned += [rawCodes, rawScales]
        } else {
            codes = nil
            scales = nil
        }
        let bits = Self.allocateBits(dimension: dimension, capacity: isQuantized ? capacity : 0)
        (bitBlocks, bitOnes, bitInvL1, bitSigma) = (bits.blocks, bits.ones, bits.invL1, bits.sigma)
        self.owned = owned + bits.owned
        mapping = nil
    }

    private static func allocateBits(dimension: Int, capacity: Int) -> (
        blocks: UnsafeMutablePointer<UInt8>?, ones: UnsafeMutablePointer<Float>?,
        invL1: UnsafeMutablePointer<Float>?, sigma: UnsafeMutablePointer<Float>?, owned: [UnsafeMutableRawPointer]
    ) {
        guard capacity > 0 else { return (nil, nil, nil, nil, []) }
        // Whole blocks, zeroed: the kernels read all 32 rows of the last block.
        let blockBytes = BinaryCodes.bytes(rows: capacity, dimension: dimension)
        let rawBlocks = allocateSection(blockBytes)
        rawBlocks.initializeMemory(as: UInt8.self, repeating: 0, count: blockBytes)
        let rawFactors = (0..<3).map { _ in allocateSection(max(capacity, 16) * 4) }
        return (rawBlocks.bindMemory(to: UInt8.self, capacity: blockBytes),
                rawFactors[0].bindMemory(to: Float.self, capacity: capacity),
                rawFactors[1].bindMemory(to: Float.self, capacity: capacity),
                rawFactors[2].bindMemory(to: Float.self, capacity: capacity),
                [rawBlocks] + rawFactors)
    }

    /// Storage over a validated file mapping; capacity equals the row count, so the
    /// first append copies to the heap and the file is never written through.
    init(mappedBase base: UnsafeMutableRawPointer, length: Int, layout: IndexFileLayout) {
        dimension = layout.dimension
        isQuantized = layout.isQuantized
        capacity = layout.count
        ids = (base + layout.idsOffset).assumingMemoryBound(to: UInt64.self)
        vectors = (base + layout.vectorsOffset).assumingMemoryBound(to: Float.self)
        if layout.isQuantized {
            codes = (base + layout.codesOffset).assumingMemoryBound(to: UInt8.self)
            scales = (base + layout.scalesOffset).assumingMemoryBound(to: Float.self)
        } else {
            codes = nil
            scales = nil
        }
        // The 1-bit level is not in the file (format version 1 stays readable both ways):
        // it is derived from the vectors here (one pass over them).
        let bits = Self.allocateBits(dimension: dimension, capacity: layout.isQuantized ? layout.count : 0)
        (bitBlocks, bitOnes, bitInvL1, bitSigma) = (bits.blocks, bits.ones, bits.invL1, bits.sigma)
        mapping = (base, length)
        owned = bits.owned
        if layout.isQuantized {
            for slot in 0..<layout.count { BinaryCodes.encode(vector(slot), dimension: dimension, slot: slot, into: self) }
        }
    }

    deinit {
        if let (base, length) = mapping { munmap(base, length) }
        for p in owned { p.deallocate() }
    }

    var isMapped: Bool { mapping != nil }

    func vector(_ slot: Int) -> UnsafeMutablePointer<Float> { vectors + slot &* dimension }

    /// Writes one prepared row at `slot` (which no reader can see yet).
    func write(slot: Int, row: PreparedRow) {
        ids[slot] = row.id
        row.vector.withUnsafeBufferPointer { vector(slot).update(from: $0.baseAddress!, count: dimension) }
        if let codes, let scales {
            row.codes.withUnsafeBufferPointer { (codes + slot &* dimension).update(from: $0.baseAddress!, count: dimension) }
            scales[slot] = row.scale
            BinaryCodes.encode(vector(slot), dimension: dimension, slot: slot, into: self)
        }
    }

    /// Copies row `from` of `source` into `slot` of this storage.
    func copyRow(from source: RowStorage, _ from: Int, to slot: Int) {
        ids[slot] = source.ids[from]
        vector(slot).update(from: source.vector(from), count: dimension)
        if let codes, let scales, let sc = source.codes, let ss = source.scales {
            (codes + slot &* dimension).update(from: sc + from &* dimension, count: dimension)
            scales[slot] = ss[from]
            BinaryCodes.copy(from: source, from, to: self, slot)
        }
    }

    /// Bytes of scan data (codes + scales) per row: what a quantised search streams.
    var scanBytesPerRow: Int { isQuantized ? dimension + 4 : dimension * 4 }
}
