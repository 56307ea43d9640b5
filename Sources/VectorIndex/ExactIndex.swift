/// Exact cosine search over float32 vectors: every query scans every row.
///
/// Vectors are L2-normalised on insert, so the score is the dot product. Safe to share
/// between threads: searches run concurrently with one another and with a writer, and a
/// search sees each write entirely or not at all.
public final class ExactIndex: Sendable {
    let core: IndexCore

    /// An empty index for vectors of `dimension` floats.
    /// - Parameters:
    ///   - kernel: the scan kernels; defaults to the CPU's best (or `ATENDE_VECTOR_KERNEL`).
    ///   - capacity: rows to reserve up front (the index grows as needed).
    public init(dimension: Int, kernel: KernelPath = .selected, capacity: Int = 1024) throws(VectorIndexError) {
        core = try IndexCore(dimension: dimension, quantized: false, kernel: kernel, rerankDepth: 0, capacity: capacity)
    }

    private init(core: IndexCore) { self.core = core }

    /// Maps an index file written by `save(to:)` without copying it. The file is checked
    /// (version, size, checksum) first; a damaged one throws.
    public static func open(path: String, kernel: KernelPath = .selected) throws(VectorIndexError) -> ExactIndex {
        let file = try MappedIndexFile.open(path, expectQuantized: false)
        return ExactIndex(core: try IndexCore(storage: file.storage, count: file.count, kernel: kernel, rerankDepth: 0))
    }

    /// Floats per vector.
    public var dimension: Int { core.dimension }
    /// The kernels this index scans with.
    public var kernel: KernelPath { core.kernels.path }
    /// Live vectors (deleted ones excluded).
    public var count: Int { core.count }

    /// Whether `id` is in the index.
    public func contains(_ id: UInt64) -> Bool { core.contains(id) }

    /// Adds one vector. Throws `.duplicateID` if `id` is present, `.dimensionMismatch` or `.invalidVector` for bad input.
    public func add(_ vector: Embedding, id: UInt64) throws(VectorIndexError) { try core.add([(id, vector)]) }

    /// Adds many vectors at once (cheaper than one by one); all or nothing.
    public func add(contentsOf rows: [(id: UInt64, vector: Embedding)]) throws(VectorIndexError) { try core.add(rows) }

    /// Replaces the vector of an existing id. Throws `.unknownID` if absent.
    public func update(_ vector: Embedding, id: UInt64) throws(VectorIndexError) { try core.update([(id, vector)]) }

    /// Removes `id`; returns whether it was present. Space is reclaimed by compaction.
    @discardableResult
    public func delete(_ id: UInt64) -> Bool { core.delete([id]) == 1 }

    /// Rewrites the rows without deleted ones (also done automatically when most rows are dead).
    public func compact() { core.compact() }

    /// The `k` most similar vectors to `query`, best first, optionally only among ids the filter allows.
    public func search(_ query: Embedding, k: Int, filter: SearchFilter? = nil) throws(VectorIndexError) -> [SearchHit] {
        try core.search(batch: [query], k: k, filter: filter)[0]
    }

    /// Several queries in one pass over the rows; results in query order.
    public func search(batch queries: [Embedding], k: Int, filter: SearchFilter? = nil) throws(VectorIndexError) -> [[SearchHit]] {
        try core.search(batch: queries, k: k, filter: filter)
    }

    /// Writes the index to `path` atomically (see `IndexFileLayout` for the format).
    public func save(to path: String) throws(VectorIndexError) { try core.save(to: path) }
}
