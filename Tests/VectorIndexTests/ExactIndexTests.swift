import Testing
import VectorIndex

@Suite("ExactIndex")
struct ExactIndexTests {
    static let dim = 384

    static func rows(_ n: Int, seed: UInt64) -> [(id: UInt64, vector: [Float])] {
        var rng = SeededRandom(seed: seed)
        // Ids far apart and not in insertion order, so slot and id are never confused.
        return (0..<n).map { i in (UInt64(i) &* 7_919 &+ 1_000_000_007, rng.gaussianVector(dim)) }
    }

    @Test("top-k is identical to brute force, ids and scores, on every kernel path", arguments: supportedPaths)
    func topKMatchesBruteForce(path: KernelPath) throws {
        let data = Self.rows(1500, seed: 21)
        let index = try ExactIndex(dimension: Self.dim, kernel: path)
        try index.add(contentsOf: data)
        #expect(index.count == 1500)
        var rng = SeededRandom(seed: 22)
        for _ in 0..<8 {
            let q = rng.gaussianVector(Self.dim)
            let want = SyntheticData.bruteForce(data, query: q, k: 10)
            let got = try index.search(q, k: 10)
            #expect(got.map(\.id) == want.map(\.id))
            for (g, w) in zip(got, want) { #expect(abs(Double(g.score) - w.score) < 1e-5) }
        }
    }

    @Test("vectors are normalised on insert, so a scaled copy of a row scores 1 against it")
    func normalisesOnInsert() throws {
        let index = try ExactIndex(dimension: 4)
        try index.add([3, 0, 4, 0], id: 1)
        try index.add([0, 1, 0, 0], id: 2)
        let hits = try index.search([30, 0, 40, 0], k: 2)
        #expect(hits.map(\.id) == [1, 2])
        #expect(abs(hits[0].score - 1) < 1e-6)
        #expect(abs(hits[1].score) < 1e-6)
    }

    @Test("k larger than the index returns every row; k = 0 returns nothing")
    func kBounds() throws {
        let index = try ExactIndex(dimension: Self.dim)
        try index.add(contentsOf: Self.rows(5, seed: 3))
        #expect(try index.search(Self.rows(1, seed: 4)[0].vector, k: 50).count == 5)
        #expect(try index.search(Self.rows(1, seed: 4)[0].vector, k: 0).isEmpty)
    }

    @Test("an allowed-id filter and a predicate filter return the best hits among allowed ids only")
    func filters() throws {
        let data = Self.rows(800, seed: 31)
        let index = try ExactIndex(dimension: Self.dim)
        try index.add(contentsOf: data)
        let allowed = Set(data.enumerated().filter { $0.offset % 3 == 0 }.map(\.element.id))
        let q = Self.rows(1, seed: 32)[0].vector
        let want = SyntheticData.bruteForce(data.filter { allowed.contains($0.id) }, query: q, k: 10).map(\.id)
        #expect(try index.search(q, k: 10, filter: .allowedIDs(allowed)).map(\.id) == want)
        #expect(try index.search(q, k: 10, filter: .predicate { allowed.contains($0) }).map(\.id) == want)
        #expect(try index.search(q, k: 10, filter: .allowedIDs([])).isEmpty)
    }

    @Test("batch search returns the same hits as one search per query")
    func batchEqualsSingle() throws {
        let index = try ExactIndex(dimension: Self.dim)
        try index.add(contentsOf: Self.rows(700, seed: 41))
        let queries = Self.rows(6, seed: 42).map(\.vector)
        let batch = try index.search(batch: queries, k: 7)
        #expect(batch.count == 6)
        for (q, hits) in zip(queries, batch) { #expect(try index.search(q, k: 7) == hits) }
    }

    @Test("delete hides a row at once, update replaces it, and compaction keeps results unchanged")
    func deleteUpdateCompact() throws {
        let data = Self.rows(600, seed: 51)
        let index = try ExactIndex(dimension: Self.dim)
        try index.add(contentsOf: data)
        let target = data[17]
        #expect(try index.search(target.vector, k: 1).first?.id == target.id)
        #expect(index.delete(target.id))
        #expect(!index.delete(target.id))
        #expect(index.count == 599)
        #expect(!index.contains(target.id))
        #expect(try index.search(target.vector, k: 5).allSatisfy { $0.id != target.id })

        let moved = data[99]
        try index.update(target.vector, id: moved.id)
        #expect(index.count == 599)
        let hit = try index.search(target.vector, k: 1)[0]
        #expect(hit.id == moved.id)
        #expect(abs(hit.score - 1) < 1e-5)

        let before = try index.search(data[5].vector, k: 10)
        index.compact()
        #expect(try index.search(data[5].vector, k: 10) == before)
        #expect(index.count == 599)
    }

    @Test("deleting most rows compacts automatically and keeps every survivor searchable")
    func autoCompaction() throws {
        let data = Self.rows(3000, seed: 61)
        let index = try ExactIndex(dimension: Self.dim)
        try index.add(contentsOf: data)
        for row in data.prefix(2500) { index.delete(row.id) }
        #expect(index.count == 500)
        for row in data.suffix(500).prefix(20) { #expect(try index.search(row.vector, k: 1)[0].id == row.id) }
    }

    @Test("bad input is refused with a named error code")
    func badInput() throws {
        let index = try ExactIndex(dimension: 3)
        try index.add([1, 2, 3], id: 9)
        #expect { try index.add([1, 2], id: 1) } throws: { ($0 as? VectorIndexError)?.code == .dimensionMismatch }
        #expect { try index.add([0, 0, 0], id: 1) } throws: { ($0 as? VectorIndexError)?.code == .invalidVector }
        #expect { try index.add([.nan, 0, 1], id: 1) } throws: { ($0 as? VectorIndexError)?.code == .invalidVector }
        #expect { try index.add([1, 1, 1], id: 9) } throws: { ($0 as? VectorIndexError)?.code == .duplicateID }
        #expect { try index.add(contentsOf: [(5, [1, 0, 0]), (5, [0, 1, 0])]) } throws: {
            ($0 as? VectorIndexError)?.code == .duplicateID
        }
        #expect(index.count == 1)  // the failed batch wrote nothing
        #expect { try index.update([1, 1, 1], id: 10) } throws: { ($0 as? VectorIndexError)?.code == .unknownID }
        #expect { try index.search([1, 2, 3], k: -1) } throws: { ($0 as? VectorIndexError)?.code == .invalidArgument }
        #expect { try index.search([1, 2, 3, 4], k: 1) } throws: { ($0 as? VectorIndexError)?.code == .dimensionMismatch }
        #expect { try ExactIndex(dimension: 0) } throws: { ($0 as? VectorIndexError)?.code == .invalidArgument }
    }
}
