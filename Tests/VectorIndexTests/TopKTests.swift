import Testing
@testable import VectorIndex

@Suite("TopK")
struct TopKTests {
    @Test("keeps exactly the best k of a stream, sorted, with ties going to the earlier slot",
          arguments: [1, 3, 10, 40])
    func keepsBestK(k: Int) {
        var rng = SeededRandom(seed: UInt64(k))
        // Few distinct values, so ties are common.
        let scores = (0..<500).map { _ in Float(rng.next() % 50) / 10 }
        let top = TopK(capacity: k)
        for (slot, s) in scores.enumerated() { top.insert(s, slot: slot) }
        let want = scores.enumerated().sorted { $0.element > $1.element || ($0.element == $1.element && $0.offset < $1.offset) }
            .prefix(k)
        #expect(top.slots == want.map(\.offset))
        #expect(top.scores == want.map(\.element))
        #expect(top.threshold == want.last!.element)
    }

    @Test("a top-0 accepts nothing and a partly filled top-k has no threshold yet")
    func edges() {
        let none = TopK(capacity: 0)
        none.insert(1, slot: 0)
        #expect(none.count == 0)
        let some = TopK(capacity: 5)
        some.insert(-3, slot: 1)
        #expect(some.count == 1)
        #expect(some.threshold == -.infinity)
    }
}
