/// A bounded top-k: the best `capacity` (score, slot) pairs seen so far, sorted best first.
/// Insertion into a small sorted buffer; after the first rows almost every score is below
/// `threshold`, so the scan's cost is one comparison per row and no N-sized buffer exists.
/// Raw storage (not two Swift arrays): the first block inserts every row, and array
/// insert/remove bookkeeping was measurable against a 10k-row scan.
final class TopK {
    let capacity: Int
    private(set) var count = 0
    /// A score must beat this to enter (+infinity when capacity is 0).
    private(set) var threshold: Float
    private let scoreBuffer: UnsafeMutablePointer<Float>
    private let slotBuffer: UnsafeMutablePointer<Int>

    init(capacity: Int) {
        self.capacity = max(0, capacity)
        threshold = capacity > 0 ? -.infinity : .infinity
        scoreBuffer = .allocate(capacity: max(1, capacity))
        slotBuffer = .allocate(capacity: max(1, capacity))
    }

    deinit {
        scoreBuffer.deallocate()
        slotBuffer.deallocate()
    }

    /// Inserts when `score` beats the current worst (ties keep the earlier slot).
    @inline(__always)
    func insert(_ score: Float, slot: Int) {
        guard score > threshold else { return }
        // When full the last entry falls off; shift smaller scores down one place.
        var i = min(count, capacity - 1)
        while i > 0 && scoreBuffer[i - 1] < score {
            scoreBuffer[i] = scoreBuffer[i - 1]
            slotBuffer[i] = slotBuffer[i - 1]
            i -= 1
        }
        scoreBuffer[i] = score
        slotBuffer[i] = slot
        if count < capacity { count += 1 }
        if count == capacity { threshold = scoreBuffer[capacity - 1] }
    }

    /// The i-th best score (i < count).
    func score(at i: Int) -> Float { scoreBuffer[i] }

    var scores: [Float] { Array(UnsafeBufferPointer(start: scoreBuffer, count: count)) }
    var slots: [Int] { Array(UnsafeBufferPointer(start: slotBuffer, count: count)) }
}
