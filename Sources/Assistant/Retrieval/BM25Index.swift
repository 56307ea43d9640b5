import Foundation

/// An inverted index scored with Okapi BM25, over the terms an `Analyser` makes.
///
/// Units are added and removed one at a time (the knowledge base changes while the business
/// runs). A value type: the owner decides how it is shared (`KnowledgeIndex` guards one with a lock).
public struct BM25Index: Sendable {
    /// BM25's term-frequency saturation (k1) and length normalisation (b), and how typos are met.
    public struct Parameters: Sendable, Hashable {
        public var k1: Double
        public var b: Double
        /// A query term the index has never seen, of at least `typoMinimumLength` letters, also
        /// matches indexed terms one edit away ("pagamneto" → "pagament"), each counting this much
        /// of a real match. 0 turns typo matching off.
        public var typoWeight: Double
        public var typoMinimumLength: Int
        public init(k1: Double = 1.2, b: Double = 0.75, typoWeight: Double = 0.5, typoMinimumLength: Int = 5) {
            self.k1 = k1
            self.b = b
            self.typoWeight = typoWeight
            self.typoMinimumLength = typoMinimumLength
        }
    }

    public var parameters: Parameters

    private var slotOf: [String: Int] = [:]
    private var ids: [String?] = []          // nil = a freed slot
    private var lengths: [Double] = []
    private var termsOf: [[String: Double]] = []
    private var postings: [String: [Int: Double]] = [:]
    /// Indexed terms by first letter: the candidates a typo is compared with.
    private var vocabulary: [Character: Set<String>] = [:]
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
        for (term, tf) in terms {
            if postings[term] == nil, let first = term.first { vocabulary[first, default: []].insert(term) }
            postings[term, default: [:]][slot] = tf
        }
    }

    /// Removes `id`; returns whether it was indexed.
    @discardableResult
    public mutating func remove(id: String) -> Bool {
        guard let slot = slotOf.removeValue(forKey: id) else { return false }
        for term in termsOf[slot].keys {
            postings[term]?[slot] = nil
            if postings[term]?.isEmpty ?? false {
                postings[term] = nil
                if let first = term.first { vocabulary[first]?.remove(term) }
            }
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
        for (term, boost) in weighted(queryTerms) {
            guard let list = postings[term] else { continue }
            let df = Double(list.count)
            let idf = log(1 + (n - df + 0.5) / (df + 0.5))
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

    /// Each distinct query term with how often it occurs, plus, for a long term the index does not
    /// know, the indexed terms one edit away at `typoWeight`.
    private func weighted(_ queryTerms: [String]) -> [String: Double] {
        var weights: [String: Double] = [:]
        for term in queryTerms { weights[term, default: 0] += 1 }
        guard parameters.typoWeight > 0 else { return weights }
        for (term, count) in weights where postings[term] == nil && term.count >= parameters.typoMinimumLength {
            guard let first = term.first, let candidates = vocabulary[first] else { continue }
            let letters = Array(term.unicodeScalars)
            for candidate in candidates where weights[candidate] == nil
                && Self.isOneEditApart(letters, Array(candidate.unicodeScalars)) {
                weights[candidate] = count * parameters.typoWeight
            }
        }
        return weights
    }

    /// Whether one substitution, insertion, deletion or swap of neighbours turns `a` into `b`.
    static func isOneEditApart(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Bool {
        guard abs(a.count - b.count) <= 1, a != b else { return false }
        var i = 0
        while i < a.count, i < b.count, a[i] == b[i] { i += 1 }
        if a.count == b.count {
            if a[(i + 1)...] == b[(i + 1)...] { return true }                      // substitution
            return i + 1 < a.count && a[i] == b[i + 1] && a[i + 1] == b[i]         // swapped neighbours
                && a[(i + 2)...] == b[(i + 2)...]
        }
        return a.count > b.count ? a[(i + 1)...] == b[i...] : a[i...] == b[(i + 1)...]  // one letter more or less
    }
}
