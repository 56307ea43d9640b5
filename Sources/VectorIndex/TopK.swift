/// A bounded top-k: the best `capacity` (score, slot) pairs seen so far, sorted best first.
/// Insertion into a small sorted array; after the first rows almost every score is below
/// `threshold`, so the scan's cost is one comparison per row and no N-sized buffer exists.
struct TopK {
    let capacity: Int
    private(set) var scores: [Float]
    private(set) var slots: [Int]

    init(capacity: Int) {
        self.capacity = capacity
        scores = []
        slots = []
        scores.reserveCapacity(capacity + 1)
        slots.reserveCapacity(capacity + 1)
    }

    /// A score must beat this to enter.
    var threshold: Float { scores.count < capacity ? -.infinity : scores[scores.count - 1] }

    var count: Int { scores.count }

    /// Inserts when `score` beats the current worst (ties keep the earlier slot).
    @inline(__always)
    mutating func insert(_ score: Float, slot: Int) {
        guard capacity > 0, score > threshold else { return }
        var i = scores.count
        while i > 0 && scores[i - 1] < score { i -= 1 }
        scores.insert(score, at: i)
        slots.insert(slot, at: i)
        if scores.count > capacity {
            scores.removeLast()
            slots.removeLast()
        }
    }
}
