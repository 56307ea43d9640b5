/// Cosine search over three levels of each vector: sign bits (1 bit per dimension), int8
/// codes (one byte per dimension plus a 4-byte per-row scale) and the float32 vectors.
/// A search scans either the sign bits (from `binaryMinimumRows` rows up, see `FirstPass`)
/// and scores only the rows that could still reach the top k from int8, or every int8
/// code; either way the best `rerankDepth` int8 candidates are re-ranked exactly.
/// `search(reporting:)` says which levels a search used.
///
/// A quarter of ExactIndex's bytes are streamed per query, so at memory-bound sizes it is
/// about four times faster; the exact re-rank makes the returned scores exact and the
/// ranking match ExactIndex except when the true top-k lies outside the int8 shortlist.
/// Thread-safety as `ExactIndex`.
public final class QuantizedIndex: Sendable {
    /// The default shortlist length re-ranked from full precision.
    public static let defaultRerankDepth = 40

    let core: IndexCore

    /// An empty index for vectors of `dimension` floats.
    /// - Parameters:
    ///   - rerankDepth: int8 candidates re-scored exactly per query (at least `k` are always used).
    ///   - kernel: the scan kernels; defaults to the CPU's best (or `ATENDE_VECTOR_KERNEL`).
    ///   - capacity: rows to reserve up front (the index grows as needed).
    ///   - firstPass: whether searches start with the 1-bit pass (default: from `binaryMinimumRows` rows).
    public init(dimension: Int, rerankDepth: Int = QuantizedIndex.defaultRerankDepth,
                kernel: KernelPath = .selected, capacity: Int = 1024,
                firstPass: FirstPass = .automatic) throws(VectorIndexError) {
        core = try IndexCore(dimension: dimension, quantized: true, kernel: kernel, rerankDepth: rerankDepth,
                             capacity: capacity, firstPass: firstPass)
    }

    /// Live rows from which `FirstPass.automatic` starts with the 1-bit pass.
    public static var binaryMinimumRows: Int { IndexCore.binaryMinimumRows }

    private init(core: IndexCore) { self.core = core }

    /// Maps an index file written by `save(to:)` without copying it; the int8 codes are the
    /// hot part, the float32 vectors stay in the mapping and are paged in only for re-ranking.
    /// The file is checked (version, size, checksum) first; a damaged one throws.
    /// The 1-bit level is not stored in the file; it is derived from the vectors on open.
    public static func open(path: String, rerankDepth: Int? = nil, kernel: KernelPath = .selected,
                            firstPass: FirstPass = .automatic) throws(VectorIndexError) -> QuantizedIndex {
        let file = try MappedIndexFile.open(path, expectQuantized: true)
        let core = try IndexCore(storage: file.storage, count: file.count, kernel: kernel,
                                 rerankDepth: rerankDepth ?? file.rerankDepth, firstPass: firstPass)
        return QuantizedIndex(core: core)
    }

    public var dimension: Int { core.dimension }
    public var kernel: KernelPath { core.kernels.path }
    public var rerankDepth: Int { core.rerankDepth }
    public var firstPass: FirstPass { core.firstPass }
    public var count: Int { core.count }

    /// Bytes a query streams per stored row: `dimension` code bytes + a 4-byte scale.
    public var scanBytesPerVector: Int { core.dimension + 4 }

    public func contains(_ id: UInt64) -> Bool { core.contains(id) }

    /// Adds one vector. Throws `.duplicateID` if `id` is present, `.dimensionMismatch` or `.invalidVector` for bad input.
    public func add(_ vector: Embedding, id: UInt64) throws(VectorIndexError) { try core.add([(id, vector)]) }

    /// Adds many vectors at once (cheaper than one by one); all or nothing.
    public func add(contentsOf rows: [(id: UInt64, vector: Embedding)]) throws(VectorIndexError) { try core.add(rows) }

    /// Replaces the vector of an existing id. Throws `.unknownID` if absent.
    public func update(_ vector: Embedding, id: UInt64) throws(VectorIndexError) { try core.update([(id, vector)]) }

    /// Removes `id`; returns whether it was present.
    @discardableResult
    public func delete(_ id: UInt64) -> Bool { core.delete([id]) == 1 }

    /// Rewrites the rows without deleted ones.
    public func compact() { core.compact() }

    /// The `k` most similar vectors to `query`, best first, with exact scores.
    public func search(_ query: Embedding, k: Int, filter: SearchFilter? = nil) throws(VectorIndexError) -> [SearchHit] {
        try core.search(batch: [query], k: k, filter: filter)[0]
    }

    /// As `search(_:k:filter:)`, and what the search did (levels used, rows scored at each).
    public func search(reporting query: Embedding, k: Int, filter: SearchFilter? = nil) throws(VectorIndexError)
        -> (hits: [SearchHit], report: SearchReport) {
        try core.searchReporting(batch: [query], k: k, filter: filter)[0]
    }

    /// Several queries in one pass over the codes; results in query order.
    public func search(batch queries: [Embedding], k: Int, filter: SearchFilter? = nil) throws(VectorIndexError) -> [[SearchHit]] {
        try core.search(batch: queries, k: k, filter: filter)
    }

    /// Writes the index to `path` atomically.
    public func save(to path: String) throws(VectorIndexError) { try core.save(to: path) }
}
