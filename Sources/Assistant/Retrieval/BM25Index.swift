import Foundation

/// An inverted index scored with Okapi BM25, over the terms an `Analyser` makes.
///
/// Units are added and removed one at a time (the knowledge base changes while the business
/// runs). A value type: the owner decides how it is shared (`KnowledgeIndex` guards one with a lock).
public struct BM25Index: Sendable {
    /// BM25's term-frequency saturation (k1) and length normalisation (b).
    public struct Parameters: Sendable, Hashable {
        public var k1: Double
        public var b: Double
        public init(k1: Double = 1.2, b: Double = 0.75) {
            self.k1 = k1
            self.b = b
        }
    }

    public var parameters: Parameters

    private var slotOf: [String: Int] = [:]
    private var ids: [String?] = []          // nil = a freed slot
    private var lengths: [Double] = []
    private var termsOf: [[String: Double]] = []
    private var postings: [String: [Int: Double]] = [:]
    private var freeSlots: [Int] = []
    private var totalLength = 0.0

    public init(parameters: Parameters = Parameters()) { self.parameters = parameters }

    /// Units indexed.
    public var count: Int { slotOf.count }

    /// Indexes `id` with weighted term frequencies (a title term may count more than once);
    /// replaces what `id` had before.
    public mutating func add(id: String, terms: [String: Double]) {
        remove(id: id)
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            ids[slot] = id
            termsOf[slot] = terms
        } else {
            slot = ids.count
            ids.append(id)
            lengths.append(0)
            termsOf.append(terms)
        }
        let length = terms.values.reduce(0, +)
        lengths[slot] = length
        totalLength += length
        slotOf[id] = slot
        for (term, tf) in terms { postings[term, default: [:]][slot] = tf }
    }

    /// Removes `id`; returns whether it was indexed.
    @discardableResult
    public mutating func remove(id: String) -> Bool {
        guard let slot = slotOf.removeValue(forKey: id) else { return false }
        for term in termsOf[slot].keys {
            postings[term]?[slot] = nil
            if postings[term]?.isEmpty ?? false { postings[term] = nil }
        }
        totalLength -= lengths[slot]
        ids[slot] = nil
        termsOf[slot] = [:]
        lengths[slot] = 0
        freeSlots.append(slot)
        return true
    }

    /// The `k` best ids for the query terms, best first; units sharing no term are left out.
    public func search(_ queryTerms: [String], k: Int) -> [(id: String, score: Double)] {
        guard count > 0, k > 0 else { return [] }
        let n = Double(count)
        let averageLength = max(totalLength / n, 1e-9)
        var scores = [Double](repeating: 0, count: ids.count)
        var touched: [Int] = []
        for term in Set(queryTerms) {
            guard let list = postings[term] else { continue }
            let df = Double(list.count)
            let idf = log(1 + (n - df + 0.5) / (df + 0.5))
            let boost = Double(queryTerms.lazy.filter { $0 == term }.count)
            for (slot, tf) in list {
                let norm = parameters.k1 * (1 - parameters.b + parameters.b * lengths[slot] / averageLength)
                if scores[slot] == 0 { touched.append(slot) }
                scores[slot] += boost * idf * tf * (parameters.k1 + 1) / (tf + norm)
            }
        }
        // Keep the best k in a small sorted buffer instead of sorting every touched unit.
        var best: [(slot: Int, score: Double)] = []
        best.reserveCapacity(k + 1)
        for slot in touched {
            let score = scores[slot]
            if best.count == k, let last = best.last, !(score > last.score || (score == last.score && slot < last.slot)) { continue }
            let at = best.firstIndex { score > $0.score || (score == $0.score && slot < $0.slot) } ?? best.count
            best.insert((slot, score), at: at)
            if best.count > k { best.removeLast() }
        }
        return best.compactMap { entry in ids[entry.slot].map { ($0, entry.score) } }
    }
}
