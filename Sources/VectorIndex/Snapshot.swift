/// A bit per slot: set = deleted (or replaced by an update). Copy-on-write, so a reader's
/// snapshot never sees a writer's later deletes half-applied.
struct Tombstones: Sendable {
    private(set) var words: [UInt64] = []
    private(set) var count = 0

    @inline(__always)
    func contains(_ slot: Int) -> Bool {
        let w = slot >> 6
        return w < words.count && words[w] & (1 << UInt64(slot & 63)) != 0
    }

    mutating func insert(_ slot: Int) {
        let w = slot >> 6
        if w >= words.count { words.append(contentsOf: repeatElement(0, count: w - words.count + 1)) }
        let bit: UInt64 = 1 << UInt64(slot & 63)
        if words[w] & bit == 0 {
            words[w] |= bit
            count += 1
        }
    }
}

/// What a search reads: the storage, how many rows are published, and which are dead.
/// Taken under the index lock in O(1) and then read without it.
struct Snapshot: Sendable {
    let storage: RowStorage
    var count: Int
    var dead: Tombstones

    var liveCount: Int { count - dead.count }
}
