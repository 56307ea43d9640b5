internal import CVectorKernels

/// The 1-bit first pass of a quantised index, then int8 and exact re-ranks.
///
/// 1. Every row's 1-bit score: a cosine estimate plus `binaryMarginSigmas` standard errors,
///    i.e. a bound the row's true cosine is very unlikely to exceed.
/// 2. Seeds: the rows whose bound reaches the `seedGroups`-th best maximum of 64-row groups
///    (at least that many rows). Their int8 scores give a k-th best score s.
/// 3. Every other row whose bound reaches s is scored from int8 too; a row whose bound is
///    below s cannot (with that confidence) enter the top k. The best `rerankDepth` int8
///    rows are then re-scored exactly.
///
/// So the candidate count adapts to the query: a few dozen rows where the neighbours stand
/// out (clustered data), several thousand where they barely do (uniform random directions).
extension IndexCore {
    /// Standard errors of slack on the 1-bit estimate. Measured recall@10 on the benchmark's
    /// sets (300 queries; clustered / uniform, 10k and 100k): z = 1.5 → 0.997–0.998 /
    /// 0.990–0.994, z = 2 → 0.999–1.000 / 0.998–0.999, z = 2.25 → 1.000 / 0.999–1.000 with
    /// 27 % more int8 rows on uniform data. 2 keeps recall ≥ 0.995 with room to spare.
    static let binaryMarginSigmas: Float = 2.0
    static let binaryGroupRows = 64
    static let seedGroups = 24
    /// Width of one band of the candidate sweep, in cosine units (≈ 2/3 of a standard error at d = 384).
    static let binaryBand: Float = 0.025

    func binarySearch(_ q: PreparedQuery, vector: UnsafePointer<Float>, codes: UnsafePointer<Int8>,
                      k: Int, snap: Snapshot, filter: SearchFilter?) -> (hits: [SearchHit], report: SearchReport) {
        let storage = snap.storage, n = snap.count, dim = dimension
        let depth = max(k, rerankDepth)
        guard n > 0, let blocks = storage.bitBlocks, let ones = storage.bitOnes, let invL1 = storage.bitInvL1,
              let sigma = storage.bitSigma, let rowCodes = storage.codes, let scales = storage.scales
        else { return ([], SearchReport(levels: [.binary, .int8, .float32], int8Rows: 0, exactRows: 0)) }

        let bq = BinaryQuery(q.vector)
        let affine = atende_vk_bits_affine(a: bq.a, b: bq.b, c: bq.c, z: Self.binaryMarginSigmas)
        let bound = UnsafeMutablePointer<Float>.allocate(capacity: n)
        let picked = UnsafeMutablePointer<UInt32>.allocate(capacity: n)
        let scored = UnsafeMutablePointer<Float>.allocate(capacity: n)
        defer { bound.deallocate(); picked.deallocate(); scored.deallocate() }

        // 1. The 1-bit pass, remembering the best bound of each 64-row group.
        let groups = TopK(capacity: Self.seedGroups)
        bq.tables.withUnsafeBufferPointer { tables in
            var start = 0
            while start < n {
                let rows = min(Self.binaryGroupRows, n - start)
                let best = kernels.scanBits(
                    blocks + BinaryCodes.offset(slot: start, pair: 0, dimension: dim), dimension: dim, count: rows,
                    tables: tables.baseAddress!, affine: affine, ones: ones + start, invL1: invL1 + start,
                    sigma: sigma + start, into: bound + start)
                groups.insert(best, slot: start)
                start += rows
            }
        }
        let shortlist = TopK(capacity: depth)
        var int8Rows = 0
        func score(low: Float, high: Float) {
            let count = kernels.select(bound, count: n, low: low, high: high, into: picked)
            guard count > 0 else { return }
            kernels.gatherU8S8(rowCodes, stride: dim, rows: picked, count: count, query: codes, dim: dim,
                               correction: q.correction, scales: scales, into: scored)
            int8Rows += count
            for i in 0..<count where scored[i] > shortlist.threshold {
                let slot = Int(picked[i])
                if snap.dead.contains(slot) { continue }
                if let filter, !filter.allows(storage.ids[slot]) { continue }
                shortlist.insert(scored[i], slot: slot)
            }
        }
        // 2. Seeds.
        let seedLow = groups.count == Self.seedGroups ? groups.threshold : -.infinity
        score(low: seedLow, high: .infinity)
        // 3. Every row that could still beat the k-th best (all rows if fewer than k survived).
        // One threshold, from the seeds: sweeping in falling bands (raising the k-th best as
        // it goes) cut the int8 rows on uniform data at 100k from ~11k to ~4k but recall@10
        // to 0.990 at z = 2, since the seeds' lower k-th best is part of the margin.
        if seedLow > -.infinity {
            let kth = shortlist.count >= k ? shortlist.score(at: k - 1) * q.scale : -.infinity
            if kth < seedLow { score(low: kth, high: seedLow) }
        }
        // Exact re-rank.
        let final = TopK(capacity: k)
        for slot in shortlist.slots {
            final.insert(kernels.dotF32(storage.vector(slot), vector, dim), slot: slot)
        }
        let hits = zip(final.slots, final.scores).map { SearchHit(id: storage.ids[$0], score: $1) }
        return (hits, SearchReport(levels: [.binary, .int8, .float32], int8Rows: int8Rows, exactRows: shortlist.count))
    }
}
