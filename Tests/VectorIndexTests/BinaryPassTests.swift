import Testing
@testable import VectorIndex

/// A quantised RowStorage holding `rows` (unit vectors), written the way an index writes them.
private func storage(_ rows: [[Float]], dimension: Int) throws -> RowStorage {
    let s = RowStorage(dimension: dimension, isQuantized: true, capacity: max(rows.count, 1))
    for (slot, row) in rows.enumerated() {
        s.write(slot: slot, row: try Quantizer.prepareRow(row, id: UInt64(slot), dimension: dimension, quantized: true))
    }
    return s
}

/// The 1-bit estimate computed directly from its definition, in Double:
/// Σ q̃ᵢ·sign(xᵢ) / Σ|xᵢ| with q̃ the query's 4-bit grid.
private func referenceEstimate(row x: [Float], query: BinaryQuery) -> Double {
    var dot = 0.0, l1 = 0.0
    for i in 0..<x.count {
        let q = Double(query.low) + Double(query.step) * Double(query.levels[i])
        dot += x[i] > 0 ? q : -q
        l1 += abs(Double(x[i]))
    }
    return dot / l1
}

extension RowStorage {
    func vectorArray(_ slot: Int) -> [Float] { Array(UnsafeBufferPointer(start: vector(slot), count: dimension)) }
}

@Suite("1-bit first pass")
struct BinaryPassTests {
    @Test("the 1-bit kernel gives the reference estimate for odd dimensions and partial blocks",
          arguments: supportedPaths)
    func kernelMatchesReference(path: KernelPath) throws {
        let kernels = Kernels(path)
        var rng = SeededRandom(seed: 91)
        for dim in [1, 3, 7, 8, 9, 31, 64, 100, 383, 384, 385] {
            for count in [1, 31, 32, 33, 95] {
                let rows = (0..<count).map { _ in SyntheticData.unit(rng.gaussianVector(dim)) }
                let s = try storage(rows, dimension: dim)
                let q = SyntheticData.unit(rng.gaussianVector(dim))
                let bq = BinaryQuery(q)
                var out = [Float](repeating: .nan, count: count)
                let best = bq.tables.withUnsafeBufferPointer { t in
                    out.withUnsafeMutableBufferPointer { o in
                        kernels.scanBits(s.bitBlocks!, dimension: dim, count: count, tables: t.baseAddress!,
                                         affine: .init(a: bq.a, b: bq.b, c: bq.c, z: 0), ones: s.bitOnes!,
                                         invL1: s.bitInvL1!, sigma: s.bitSigma!, into: o.baseAddress!)
                    }
                }
                for r in 0..<count {
                    let want = referenceEstimate(row: s.vectorArray(r), query: bq)
                    #expect(abs(Double(out[r]) - want) <= 1e-4, "path \(path) dim \(dim) row \(r): \(out[r]) vs \(want)")
                }
                #expect(best == out.max(), "path \(path) dim \(dim) count \(count)")
            }
        }
    }

    @Test("the slack adds z standard errors per row, and the estimate stays within 4 of them")
    func slackAndErrorBound() throws {
        let dim = 384
        let rows = SyntheticData.uniform(count: 2000, dimension: dim, seed: 92)
        let s = try storage(rows, dimension: dim)
        let q = SyntheticData.uniform(count: 1, dimension: dim, seed: 93)[0]
        let bq = BinaryQuery(q)
        let kernels = Kernels()
        func scan(z: Float) -> [Float] {
            var out = [Float](repeating: 0, count: rows.count)
            _ = bq.tables.withUnsafeBufferPointer { t in
                out.withUnsafeMutableBufferPointer { o in
                    kernels.scanBits(s.bitBlocks!, dimension: dim, count: rows.count, tables: t.baseAddress!,
                                     affine: .init(a: bq.a, b: bq.b, c: bq.c, z: z), ones: s.bitOnes!,
                                     invL1: s.bitInvL1!, sigma: s.bitSigma!, into: o.baseAddress!)
                }
            }
            return out
        }
        let plain = scan(z: 0), slack = scan(z: 2)
        var outside = 0
        for r in 0..<rows.count {
            #expect(abs(slack[r] - plain[r] - 2 * s.bitSigma![r]) < 1e-5)
            #expect(s.bitSigma![r] > 0.02 && s.bitSigma![r] < 0.06, "σ of a 384-d row is ≈ 0.038")
            var cosine: Float = 0
            for i in 0..<dim { cosine += rows[r][i] * q[i] }
            if abs(plain[r] - cosine) > 4 * s.bitSigma![r] { outside += 1 }
        }
        #expect(outside <= 2, "\(outside) of 2000 estimates are more than 4σ off")
    }

    @Test("range selection (one band) returns exactly the indices in [low, high), in order", arguments: supportedPaths)
    func selectMatchesFilter(path: KernelPath) {
        let kernels = Kernels(path)
        var rng = SeededRandom(seed: 94)
        for n in [0, 1, 7, 8, 9, 100, 1001] {
            let values = (0..<n).map { _ in rng.gaussian() }
            for (low, high) in [(-Float.infinity, Float.infinity), (0.5, Float.infinity), (-0.2, 0.3), (9, 10)] {
                var scratch = [UInt32](repeating: 0, count: max(n, 1)), out = scratch
                var end = 0
                let count = values.withUnsafeBufferPointer { v in
                    scratch.withUnsafeMutableBufferPointer { s in
                        out.withUnsafeMutableBufferPointer {
                            kernels.selectBands(v.baseAddress!, count: n, low: low, high: high, width: 1, bands: 1,
                                                scratch: s.baseAddress!, into: $0.baseAddress!, ends: &end)
                        }
                    }
                }
                let want = values.indices.filter { values[$0] >= low && values[$0] < high }.map(UInt32.init)
                #expect(Array(out.prefix(count)) == want, "path \(path) n \(n) [\(low), \(high))")
            }
        }
    }

    @Test("scoring listed int8 rows gives the block kernel's scores for those rows",
          arguments: supportedPaths, KernelTests.queryBounds)
    func gatherMatchesBlock(path: KernelPath, bound: Int) {
        let kernels = Kernels(path)
        var rng = SeededRandom(seed: 95)
        for dim in [5, 64, 96, 384, 385] {
            let rows = 70
            let codes = (0..<rows * dim).map { _ in UInt8(1 + rng.next() % 255) }
            let q = (0..<dim).map { _ in Int8(Int(rng.next() % UInt64(2 * bound + 1)) - bound) }
            let scales = (0..<rows).map { _ in Float(rng.next() % 100 + 1) / 1000 }
            let correction = 128 * q.reduce(Int32(0)) { $0 + Int32($1) }
            var all = [Float](repeating: 0, count: rows), some = [Float](repeating: 0, count: rows)
            let picked: [UInt32] = [69, 0, 3, 3, 40, 12, 68, 1, 2, 55, 31, 32, 33]
            codes.withUnsafeBufferPointer { c in q.withUnsafeBufferPointer { qp in scales.withUnsafeBufferPointer { sp in
                _ = all.withUnsafeMutableBufferPointer {
                    kernels.blockU8S8(c.baseAddress!, stride: dim, count: rows, query: qp.baseAddress!, dim: dim,
                                      correction: correction, scales: sp.baseAddress!, into: $0.baseAddress!)
                }
                for streaming in [false, true] {
                    picked.withUnsafeBufferPointer { p in
                        some.withUnsafeMutableBufferPointer {
                            kernels.gatherU8S8(c.baseAddress!, stride: dim, rows: p.baseAddress!, count: picked.count,
                                               query: qp.baseAddress!, dim: dim, correction: correction,
                                               scales: sp.baseAddress!, streaming: streaming, into: $0.baseAddress!)
                        }
                    }
                    for (i, r) in picked.enumerated() {
                        #expect(some[i] == all[Int(r)], "path \(path) dim \(dim) row \(r) bound \(bound) streaming \(streaming)")
                    }
                }
            } } }
        }
    }
}

@Suite("QuantizedIndex with the 1-bit pass")
struct BinaryIndexTests {
    static let dim = 384

    static func recall(rows: [[Float]], queries: [[Float]], path: KernelPath = .selected) throws -> (Double, [SearchReport]) {
        let tagged = rows.enumerated().map { (id: UInt64($0.offset), vector: $0.element) }
        let exact = try ExactIndex(dimension: dim, capacity: rows.count)
        let binary = try QuantizedIndex(dimension: dim, kernel: path, capacity: rows.count, firstPass: .binary)
        try exact.add(contentsOf: tagged)
        try binary.add(contentsOf: tagged)
        let got = try queries.map { try binary.search(reporting: $0, k: 10) }
        return (SyntheticData.recall(got.map(\.hits), try exact.search(batch: queries, k: 10)), got.map(\.report))
    }

    @Test("recall@10 ≥ 0.995 on clustered data, re-ranking only a few rows")
    func recallClustered() throws {
        let data = SyntheticData.clustered(count: 6000, queries: 100, dimension: Self.dim, seed: 101)
        let (r, reports) = try Self.recall(rows: data.rows, queries: data.queries)
        #expect(r >= 0.995, "recall@10 = \(r)")
        let mean = reports.map(\.int8Rows).reduce(0, +) / reports.count
        #expect(mean < 600, "mean int8 rows \(mean) of 6000")
        #expect(reports.allSatisfy { $0.levels == [.binary, .int8, .float32] })
    }

    @Test("recall@10 ≥ 0.995 on uniform random directions (the estimate's worst case)")
    func recallUniform() throws {
        let rows = SyntheticData.uniform(count: 6000, dimension: Self.dim, seed: 102)
        let queries = SyntheticData.uniform(count: 100, dimension: Self.dim, seed: 103)
        let (r, reports) = try Self.recall(rows: rows, queries: queries)
        #expect(r >= 0.995, "recall@10 = \(r)")
        #expect(reports.allSatisfy { $0.int8Rows < 6000 && $0.exactRows == 40 })
    }

    @Test("every kernel path returns the same hits through the 1-bit pass", arguments: supportedPaths)
    func pathsAgree(path: KernelPath) throws {
        let data = SyntheticData.clustered(count: 1500, queries: 10, dimension: Self.dim, seed: 104)
        let tagged = data.rows.enumerated().map { (id: UInt64($0.offset), vector: $0.element) }
        let reference = try QuantizedIndex(dimension: Self.dim, kernel: .portable, firstPass: .binary)
        let forced = try QuantizedIndex(dimension: Self.dim, kernel: path, firstPass: .binary)
        try reference.add(contentsOf: tagged)
        try forced.add(contentsOf: tagged)
        for q in data.queries {
            let a = try reference.search(q, k: 10), b = try forced.search(q, k: 10)
            #expect(a.map(\.id) == b.map(\.id), "path \(path)")
        }
    }

    @Test("the index says which levels it used: 1-bit only from the size where it pays, unless told")
    func levelsReported() throws {
        let small = try QuantizedIndex(dimension: 8)
        var rng = SeededRandom(seed: 105)
        let rows = (0..<QuantizedIndex.binaryMinimumRows).map { (id: UInt64($0), vector: rng.gaussianVector(8)) }
        try small.add(contentsOf: Array(rows.dropLast()))
        let q = rng.gaussianVector(8)
        #expect(try small.search(reporting: q, k: 3).report.levels == [.int8, .float32])
        try small.add(rows.last!.vector, id: rows.last!.id)
        let report = try small.search(reporting: q, k: 3).report
        #expect(report.levels == [.binary, .int8, .float32])
        #expect(report.int8Rows < rows.count)
        let never = try QuantizedIndex(dimension: 8, firstPass: .int8Scan)
        try never.add(contentsOf: rows)
        let full = try never.search(reporting: q, k: 3).report
        #expect(full.levels == [.int8, .float32] && full.int8Rows == rows.count)
    }

    @Test("filters, deletes, updates and growth apply in the 1-bit pass as in the int8 scan")
    func filtersAndDeletes() throws {
        let data = SyntheticData.clustered(count: 3000, queries: 1, dimension: Self.dim, seed: 106)
        let tagged = data.rows.enumerated().map { (id: UInt64($0.offset), vector: $0.element) }
        let index = try QuantizedIndex(dimension: Self.dim, rerankDepth: 20, capacity: 64, firstPass: .binary)
        try index.add(contentsOf: tagged)  // grows (copies rows, bit level included) several times
        let q = data.queries[0]
        let odd = tagged.filter { $0.id % 2 == 1 }
        let want = SyntheticData.bruteForce(odd, query: q, k: 10).map(\.id)
        #expect(try index.search(q, k: 10, filter: .predicate { $0 % 2 == 1 }).map(\.id) == want)
        for id in want.prefix(3) { index.delete(id) }
        let after = try index.search(q, k: 10, filter: .predicate { $0 % 2 == 1 }).map(\.id)
        #expect(Array(after.prefix(7)) == Array(want.dropFirst(3)))
        try index.update(q, id: 0)
        #expect(try index.search(q, k: 1)[0].id == 0)
        index.compact()
        #expect(try index.search(q, k: 1)[0].id == 0)
        // A filter that allows only a few rows still finds them all.
        let few: Set<UInt64> = [7, 1234, 2999]
        #expect(Set(try index.search(q, k: 10, filter: .allowedIDs(few)).map(\.id)) == few)
    }

    @Test("a saved index reopened by mapping derives the same 1-bit level and returns the same hits")
    func persistedIndexStillLoads() throws {
        let dir = TemporaryDirectory()
        let data = SyntheticData.clustered(count: 2500, queries: 8, dimension: Self.dim, seed: 107)
        let tagged = data.rows.enumerated().map { (id: UInt64($0.offset) * 7 + 1, vector: $0.element) }
        let index = try QuantizedIndex(dimension: Self.dim, firstPass: .binary)
        try index.add(contentsOf: tagged)
        index.delete(tagged[10].id)
        let before = try index.search(batch: data.queries, k: 10)
        try index.save(to: dir.file("kb.vidx"))
        let reopened = try QuantizedIndex.open(path: dir.file("kb.vidx"), firstPass: .binary)
        #expect(try reopened.search(batch: data.queries, k: 10) == before)
        #expect(try reopened.search(reporting: data.queries[0], k: 10).report.levels.first == .binary)
        // The file format did not change: the same file also opens with the int8 scan.
        let plain = try QuantizedIndex.open(path: dir.file("kb.vidx"), firstPass: .int8Scan)
        #expect(SyntheticData.recall(try plain.search(batch: data.queries, k: 10), before) >= 0.98)
    }
}
