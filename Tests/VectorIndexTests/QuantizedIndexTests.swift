import Testing
import VectorIndex

@Suite("QuantizedIndex")
struct QuantizedIndexTests {
    static let dim = 384

    /// recall@10 of the int8 scan + exact re-rank against ExactIndex (itself checked against brute force).
    static func recall(rows: [[Float]], queries: [[Float]], path: KernelPath = .selected) throws -> Double {
        let exact = try ExactIndex(dimension: dim, capacity: rows.count)
        let quantized = try QuantizedIndex(dimension: dim, kernel: path, capacity: rows.count)
        let tagged = rows.enumerated().map { (id: UInt64($0.offset), vector: $0.element) }
        try exact.add(contentsOf: tagged)
        try quantized.add(contentsOf: tagged)
        return SyntheticData.recall(try quantized.search(batch: queries, k: 10), try exact.search(batch: queries, k: 10))
    }

    @Test("int8 scan with exact re-rank of 40 reaches recall@10 ≥ 0.99 on clustered data")
    func recallClustered() throws {
        let data = SyntheticData.clustered(count: 5000, queries: 100, dimension: Self.dim, seed: 71)
        let r = try Self.recall(rows: data.rows, queries: data.queries)
        #expect(r >= 0.99, "recall@10 = \(r)")
    }

    @Test("int8 scan with exact re-rank of 40 reaches recall@10 ≥ 0.99 on uniform random directions")
    func recallUniform() throws {
        let rows = SyntheticData.uniform(count: 5000, dimension: Self.dim, seed: 72)
        let queries = SyntheticData.uniform(count: 100, dimension: Self.dim, seed: 73)
        let r = try Self.recall(rows: rows, queries: queries)
        #expect(r >= 0.99, "recall@10 = \(r)")
    }

    @Test("every kernel path returns the same hits as the default path", arguments: supportedPaths)
    func pathsAgree(path: KernelPath) throws {
        let data = SyntheticData.clustered(count: 1200, queries: 10, dimension: Self.dim, seed: 74)
        let tagged = data.rows.enumerated().map { (id: UInt64($0.offset), vector: $0.element) }
        let reference = try QuantizedIndex(dimension: Self.dim)
        let forced = try QuantizedIndex(dimension: Self.dim, kernel: path)
        try reference.add(contentsOf: tagged)
        try forced.add(contentsOf: tagged)
        #expect(forced.kernel == path)
        for q in data.queries {
            let a = try reference.search(q, k: 10), b = try forced.search(q, k: 10)
            #expect(a.map(\.id) == b.map(\.id))
            for (x, y) in zip(a, b) { #expect(abs(x.score - y.score) < 1e-5) }
        }
    }

    @Test("returned scores are exact cosines, not int8 approximations")
    func scoresAreExact() throws {
        let rows = SyntheticData.uniform(count: 300, dimension: Self.dim, seed: 75)
        let index = try QuantizedIndex(dimension: Self.dim)
        try index.add(contentsOf: rows.enumerated().map { (UInt64($0.offset), $0.element) })
        let q = SyntheticData.uniform(count: 1, dimension: Self.dim, seed: 76)[0]
        let want = SyntheticData.bruteForce(rows.enumerated().map { (UInt64($0.offset), $0.element) }, query: q, k: 5)
        let got = try index.search(q, k: 5)
        #expect(got.map(\.id) == want.map(\.id))
        for (g, w) in zip(got, want) { #expect(abs(Double(g.score) - w.score) < 1e-5) }
    }

    @Test("scan data is at most 1.05 bytes per dimension per vector at d = 384")
    func scanBytes() throws {
        let index = try QuantizedIndex(dimension: Self.dim)
        #expect(Double(index.scanBytesPerVector) / Double(Self.dim) <= 1.05)
        #expect(index.rerankDepth == 40)
    }

    @Test("filters, deletes and updates apply before the re-rank shortlist is cut")
    func filtersAndDeletes() throws {
        let data = SyntheticData.clustered(count: 1000, queries: 1, dimension: Self.dim, seed: 77)
        let tagged = data.rows.enumerated().map { (id: UInt64($0.offset), vector: $0.element) }
        let index = try QuantizedIndex(dimension: Self.dim, rerankDepth: 20)
        try index.add(contentsOf: tagged)
        let q = data.queries[0]
        let odd = tagged.filter { $0.id % 2 == 1 }
        let want = SyntheticData.bruteForce(odd, query: q, k: 10).map(\.id)
        #expect(try index.search(q, k: 10, filter: .predicate { $0 % 2 == 1 }).map(\.id) == want)
        for id in want.prefix(3) { index.delete(id) }
        let after = try index.search(q, k: 10, filter: .predicate { $0 % 2 == 1 }).map(\.id)
        #expect(Array(after.prefix(7)) == Array(want.dropFirst(3)))
        try index.update(q, id: 0)
        #expect(try index.search(q, k: 1)[0].id == 0)
    }
}
