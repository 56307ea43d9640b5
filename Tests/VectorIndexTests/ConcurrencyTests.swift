import Synchronization
import Testing
import VectorIndex

/// The vector stored for `id` in version `version`: derivable by any reader, so a reader
/// can check every hit's score against what was written and catch a torn row.
private func vectorFor(_ id: UInt64, version: UInt64, dim: Int) -> [Float] {
    var rng = SeededRandom(seed: id &* 1_000_003 &+ version)
    return SyntheticData.unit(rng.gaussianVector(dim))
}

private func dot(_ a: [Float], _ b: [Float]) -> Double {
    var s = 0.0
    for i in 0..<a.count { s += Double(a[i]) * Double(b[i]) }
    return s
}

private final class Progress: Sendable {
    let done = Atomic<Bool>(false)
    let checked = Atomic<Int>(0)
}

/// Either index kind behind one face, so one test body covers both.
private enum EitherIndex: Sendable {
    case exact(ExactIndex)
    case quantized(QuantizedIndex)

    func add(_ rows: [(id: UInt64, vector: [Float])]) throws {
        switch self {
        case .exact(let i): try i.add(contentsOf: rows)
        case .quantized(let i): try i.add(contentsOf: rows)
        }
    }
    func update(_ v: [Float], id: UInt64) throws {
        switch self {
        case .exact(let i): try i.update(v, id: id)
        case .quantized(let i): try i.update(v, id: id)
        }
    }
    func delete(_ id: UInt64) {
        switch self {
        case .exact(let i): i.delete(id)
        case .quantized(let i): i.delete(id)
        }
    }
    func search(_ q: [Float]) throws -> [SearchHit] {
        switch self {
        case .exact(let i): try i.search(q, k: 10)
        case .quantized(let i): try i.search(q, k: 10)
        }
    }
    var count: Int {
        switch self {
        case .exact(let i): i.count
        case .quantized(let i): i.count
        }
    }
}

@Suite("Concurrency")
struct ConcurrencyTests {
    static let dim = 64

    @Test("searches running during adds, updates and deletes only ever see whole rows", arguments: [false, true])
    func concurrentReadersAndOneWriter(quantized: Bool) async throws {
        let index = quantized
            ? EitherIndex.quantized(try QuantizedIndex(dimension: Self.dim, capacity: 64))
            : EitherIndex.exact(try ExactIndex(dimension: Self.dim, capacity: 64))
        let anchor: UInt64 = 1
        try index.add([(anchor, vectorFor(anchor, version: 0, dim: Self.dim))])
        let progress = Progress()

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // The writer: grows storage many times, updates (version 1) and deletes.
                for batch in 0..<40 {
                    let ids = (0..<50).map { UInt64(1000 + batch * 50 + $0) }
                    try index.add(ids.map { ($0, vectorFor($0, version: 0, dim: Self.dim)) })
                    for id in ids.prefix(5) { try index.update(vectorFor(id, version: 1, dim: Self.dim), id: id) }
                    for id in ids.suffix(5) { index.delete(id) }
                }
                progress.done.store(true, ordering: .releasing)
            }
            for reader in 0..<3 {
                group.addTask {
                    var rng = SeededRandom(seed: UInt64(reader))
                    let q0 = vectorFor(anchor, version: 0, dim: Self.dim)
                    repeat {
                        let hits = try index.search(q0)
                        #expect(hits.first?.id == anchor)
                        #expect(abs((hits.first?.score ?? 0) - 1) < 1e-5)
                        let q = SyntheticData.unit(rng.gaussianVector(Self.dim))
                        for hit in try index.search(q) {
                            let s0 = dot(q, vectorFor(hit.id, version: 0, dim: Self.dim))
                            let s1 = dot(q, vectorFor(hit.id, version: 1, dim: Self.dim))
                            #expect(min(abs(Double(hit.score) - s0), abs(Double(hit.score) - s1)) < 1e-4,
                                    "hit \(hit.id) has a score no written version gives")
                        }
                        progress.checked.add(1, ordering: .relaxed)
                    } while !progress.done.load(ordering: .acquiring)
                }
            }
            try await group.waitForAll()
        }
        let final = index.count
        #expect(final == 1 + 40 * 45)
        #expect(progress.checked.load(ordering: .relaxed) > 0)
    }
}
