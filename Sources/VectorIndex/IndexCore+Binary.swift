internal import CVectorKernels
import Synchronization

/// The 1-bit first pass of a quantised index, then int8 and exact re-ranks.
///
/// 1. Every row's 1-bit score: a cosine estimate plus `binaryMarginSigmas` standard errors,
///    i.e. a bound the row's true cosine is very unlikely to exceed.
/// 2. Seeds: the rows whose bound reaches the `seedGroups`-th best maximum of 64-row groups
///    (at least that many rows). Their int8 scores give a first k-th best score s.
/// 3. The rows whose bound reaches s are the candidates. They are swept in falling bands of
///    bound (`binaryBand` wide), each band scored from int8 and the k-th best raised as it
///    goes; a band's rows below the k-th best so far are skipped, and the sweep stops at the
///    first band whose top is below it. So the rows scored are about those whose bound
///    reaches the *final* k-th best, not the seeds' lower one. The best `rerankDepth` int8
///    rows are then re-scored exactly.
///
/// So the candidate count adapts to the query: a few dozen rows where the neighbours stand
/// out (clustered data), a few thousand where they barely do (uniform random directions).
extension IndexCore {
    /// Standard errors of slack on the 1-bit estimate: the only margin, since the sweep's
    /// threshold is the final k-th best (not the seeds' lower one, which used to add slack of
    /// its own). Measured with bench/vector (300 queries, AVX2 and AVX-512 paths, Zen 4):
    /// recall@10 on uniform data at 100k / 10k, and int8 rows per query at 100k:
    /// z = 2.25 → 0.9950 / 0.9947, 5.7k rows; z = 2.5 → 0.9973 / 0.9973, 7.6k rows;
    /// z = 2.75 → 0.9997, 10k rows; z = 3 → 0.9997, 12.8k rows. Clustered: 1.000 at every z
    /// (50-70 rows). 2.5 keeps recall ≥ 0.995 with room; the old single threshold at z = 2
    /// scored 11k rows for 0.999.
    static let binaryMarginSigmas: Float = 2.5
    static let binaryGroupRows = 64
    static let seedGroups = 24
    /// Width of one band of the candidate sweep, in cosine units (≈ 1/4 of a standard error at d = 384).
    static let binaryBand: Float = 0.01
    /// int8 codes larger than this are not expected to stay cached between searches: the
    /// candidates' rows are then fetched so as not to evict the 1-bit blocks (a last-level
    /// cache is 8-32 MB on the VPS CPUs we measure; 100k × 384 is 38 MB, 10k is 3.8 MB).
    static let streamingCodeBytes = 16 << 20

    func binarySearch(_ q: PreparedQuery, vector: UnsafePointer<Float>, codes: UnsafePointer<Int8>,
                      k: Int, snap: Snapshot, filter: SearchFilter?) -> (hits: [SearchHit], report: SearchReport) {
        let storage = snap.storage, n = snap.count, dim = dimension
        let depth = max(k, rerankDepth)
        let streaming = n * dim > Self.streamingCodeBytes
        guard n > 0, let blocks = storage.bitBlocks, let ones = storage.bitOnes, let invL1 = storage.bitInvL1,
              let sigma = storage.bitSigma, let rowCodes = storage.codes, let scales = storage.scales
        else { return ([], SearchReport(levels: [.binary, .int8, .float32], int8Rows: 0, exactRows: 0)) }

        let bq = BinaryQuery(q.vector)
        let affine = atende_vk_bits_affine(a: bq.a, b: bq.b, c: bq.c, z: Self.binaryMarginSigmas)
        let scratch = binaryScratch.take(rows: n)
        defer { binaryScratch.give(scratch) }
        let bound = scratch.bound, picked = scratch.picked, order = scratch.order, scored = scratch.scored

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
        func score(_ rows: UnsafePointer<UInt32>, _ count: Int) {
            guard count > 0 else { return }
            kernels.gatherU8S8(rowCodes, stride: dim, rows: rows, count: count, query: codes, dim: dim,
                               correction: q.correction, scales: scales, streaming: streaming, into: scored)
            int8Rows += count
            for i in 0..<count where scored[i] > shortlist.threshold {
                let slot = Int(rows[i])
                if snap.dead.contains(slot) { continue }
                if let filter, !filter.allows(storage.ids[slot]) { continue }
                shortlist.insert(scored[i], slot: slot)
            }
        }
        func kthBest() -> Float { shortlist.count >= k ? shortlist.score(at: k - 1) * q.scale : -.infinity }

        // 2. Seeds: the rows of the best groups whose bound reaches the groups' threshold
        // (every row when there are too few groups to pick from).
        let seedLow: Float
        if groups.count == Self.seedGroups {
            seedLow = groups.threshold
            var m = 0
            for start in groups.slots.sorted() {
                for r in start..<min(start + Self.binaryGroupRows, n) where bound[r] >= seedLow {
                    picked[m] = UInt32(r)
                    m += 1
                }
            }
            score(picked, m)
        } else {
            seedLow = -.infinity
            for r in 0..<n { picked[r] = UInt32(r) }
            score(picked, n)
        }
        // 3. The rows whose bound reaches the seeds' k-th best, swept in falling bands.
        var kth = kthBest()
        if seedLow > -.infinity && kth < seedLow {
            let width = Self.binaryBand
            let bands = kth > -.infinity ? max(1, min(Kernels.maxBands, Int(((seedLow - kth) / width).rounded(.up)))) : 1
            withUnsafeTemporaryAllocation(of: Int.self, capacity: Kernels.maxBands) { ends in
                // A row of a group outside the best ones can tie the threshold exactly; it is
                // a candidate then, the seed rows (bound ≥ seedLow in a best group) are not.
                _ = kernels.selectBands(bound, count: n, low: kth, high: seedLow.nextUp, width: width, bands: bands,
                                        scratch: picked, into: order, ends: ends.baseAddress!)
                let seedGroupStarts = groups.slots
                var begin = 0
                for b in 0..<bands {
                    let end = ends[b]
                    if seedLow - Float(b) * width < kth { break }
                    var m = begin
                    for j in begin..<end {
                        let r = Int(order[j])
                        guard bound[r] >= kth else { continue }
                        if bound[r] >= seedLow && seedGroupStarts.contains(r - r % Self.binaryGroupRows) { continue }
                        order[m] = order[j]
                        m += 1
                    }
                    score(order + begin, m - begin)
                    kth = kthBest()
                    begin = end
                }
            }
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

/// The 1-bit pass's per-search buffers, 16 bytes a row (1.6 MB at 100k rows). Fresh
/// allocations of that size come from mmap and fault in their pages on every search, so
/// each index keeps a few for reuse.
final class BinaryScratch: @unchecked Sendable {
    private(set) var capacity = 0
    private(set) var bound = UnsafeMutablePointer<Float>.allocate(capacity: 1)
    private(set) var picked = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
    private(set) var order = UnsafeMutablePointer<UInt32>.allocate(capacity: 1)
    private(set) var scored = UnsafeMutablePointer<Float>.allocate(capacity: 1)

    func reserve(_ rows: Int) {
        guard rows > capacity else { return }
        free()
        capacity = max(rows, capacity + capacity / 4)
        bound = .allocate(capacity: capacity)
        picked = .allocate(capacity: capacity)
        order = .allocate(capacity: capacity)
        scored = .allocate(capacity: capacity)
    }

    private func free() {
        bound.deallocate()
        picked.deallocate()
        order.deallocate()
        scored.deallocate()
    }

    deinit { free() }
}

/// Scratch buffers for concurrent searches: a search takes one (or makes one) and gives it
/// back; at most `kept` wait between searches.
final class BinaryScratchPool: Sendable {
    static let kept = 4
    private let idle = Mutex<[BinaryScratch]>([])

    func take(rows: Int) -> BinaryScratch {
        let scratch = idle.withLock { $0.popLast() } ?? BinaryScratch()
        scratch.reserve(rows)
        return scratch
    }

    func give(_ scratch: BinaryScratch) {
        idle.withLock { if $0.count < Self.kept { $0.append(scratch) } }
    }
}
