extension IndexCore {
    /// Rows scored per kernel call: big enough to amortise the call, small enough that the
    /// score buffer (1 KiB) stays in L1 and a batch of queries re-reads the block from cache.
    static let blockRows = 256

    /// Live rows from which `FirstPass.automatic` starts with the 1-bit pass. Below it the
    /// full int8 scan is as fast or faster (codes in cache, fewer passes); measured with
    /// bench/vector on Zen 4 (see bench/README.md).
    static let binaryMinimumRows = 8192

    /// The best `k` hits for each query, in query order.
    func search(batch queries: [[Float]], k: Int, filter: SearchFilter?) throws(VectorIndexError) -> [[SearchHit]] {
        try searchReporting(batch: queries, k: k, filter: filter).map(\.hits)
    }

    /// Whether a search over `snap` starts with the 1-bit pass.
    func usesBinaryPass(_ snap: Snapshot) -> Bool {
        guard isQuantized, snap.storage.bitBlocks != nil else { return false }
        switch firstPass {
        case .automatic: return snap.liveCount >= Self.binaryMinimumRows
        case .binary: return true
        case .int8Scan: return false
        }
    }

    /// The best `k` hits for each query and what each search did.
    func searchReporting(batch queries: [[Float]], k: Int, filter: SearchFilter?) throws(VectorIndexError)
        -> [(hits: [SearchHit], report: SearchReport)] {
        guard k >= 0 else { throw VectorIndexError(.invalidArgument, "k must be ≥ 0, got \(k)") }
        var prepared: [PreparedQuery] = []
        prepared.reserveCapacity(queries.count)
        for q in queries {
            prepared.append(try Quantizer.prepareQuery(q, dimension: dimension, quantized: isQuantized))
        }
        let levels: [SearchReport.Level] = isQuantized ? [.int8, .float32] : [.float32]
        guard k > 0, !prepared.isEmpty else {
            return Array(repeating: ([], SearchReport(levels: levels, int8Rows: 0, exactRows: 0)), count: queries.count)
        }
        let snap = snapshot()
        let dim = dimension
        let vectors = UnsafeMutablePointer<Float>.allocate(capacity: dim * prepared.count)
        defer { vectors.deallocate() }
        for (i, q) in prepared.enumerated() { (vectors + i * dim).initialize(from: q.vector, count: dim) }

        if !isQuantized {
            let tops = scan(snap, queries: prepared.count, k: k, filter: filter) { start, rows, qi, out in
                kernels.blockF32(snap.storage.vector(start), stride: dim, count: rows,
                                 query: vectors + qi * dim, dim: dim, into: out)
            }
            let report = SearchReport(levels: levels, int8Rows: 0, exactRows: snap.liveCount)
            return tops.map { (hits($0.slots, $0.scores, snap), report) }
        }

        let codes = UnsafeMutablePointer<Int8>.allocate(capacity: dim * prepared.count)
        defer { codes.deallocate() }
        for (i, q) in prepared.enumerated() { (codes + i * dim).initialize(from: q.codes, count: dim) }
        if usesBinaryPass(snap) {
            return prepared.indices.map { qi in
                binarySearch(prepared[qi], vector: vectors + qi * dim, codes: codes + qi * dim, k: k, snap: snap, filter: filter)
            }
        }
        let storage = snap.storage
        let depth = max(k, rerankDepth)
        let candidates = scan(snap, queries: prepared.count, k: depth, filter: filter) { start, rows, qi, out in
            kernels.blockU8S8(storage.codes! + start * dim, stride: dim, count: rows,
                              query: codes + qi * dim, dim: dim, correction: prepared[qi].correction,
                              scales: storage.scales! + start, into: out)
        }
        // Exact re-rank of the int8 shortlist from the full-precision rows.
        return candidates.enumerated().map { qi, shortlist in
            let final = TopK(capacity: k)
            for slot in shortlist.slots {
                final.insert(kernels.dotF32(storage.vector(slot), vectors + qi * dim, dim), slot: slot)
            }
            return (hits(final.slots, final.scores, snap),
                    SearchReport(levels: levels, int8Rows: snap.liveCount, exactRows: shortlist.slots.count))
        }
    }

    /// Streams every published row once, block by block; for each block and query the
    /// kernel fills `out` and returns the block's best score, and only blocks that beat the
    /// query's current threshold are looked at row by row.
    private func scan(
        _ snap: Snapshot, queries: Int, k: Int, filter: SearchFilter?,
        kernel: (_ start: Int, _ rows: Int, _ query: Int, _ out: UnsafeMutablePointer<Float>) -> Float
    ) -> [TopK] {
        let tops = (0..<queries).map { _ in TopK(capacity: k) }
        let n = snap.count
        withUnsafeTemporaryAllocation(of: Float.self, capacity: Self.blockRows) { buffer in
            let out = buffer.baseAddress!
            var start = 0
            while start < n {
                let rows = min(Self.blockRows, n - start)
                for qi in 0..<queries {
                    let best = kernel(start, rows, qi, out)
                    if best > tops[qi].threshold {
                        consider(out, rows: rows, base: start, top: tops[qi], snap: snap, filter: filter)
                    }
                }
                start += rows
            }
        }
        return tops
    }

    @inline(__always)
    private func consider(_ out: UnsafeMutablePointer<Float>, rows: Int, base: Int, top: TopK,
                          snap: Snapshot, filter: SearchFilter?) {
        var threshold = top.threshold
        for r in 0..<rows {
            let score = out[r]
            guard score > threshold else { continue }
            let slot = base + r
            if snap.dead.contains(slot) { continue }
            if let filter, !filter.allows(snap.storage.ids[slot]) { continue }
            top.insert(score, slot: slot)
            threshold = top.threshold
        }
    }

    private func hits(_ slots: [Int], _ scores: [Float], _ snap: Snapshot) -> [SearchHit] {
        zip(slots, scores).map { SearchHit(id: snap.storage.ids[$0], score: $1) }
    }
}
