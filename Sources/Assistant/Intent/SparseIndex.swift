/// Sparse, L2-normalised vectors kept as postings (one list per dimension), so the cosine of a
/// short query with every stored vector costs only the query's non-zero dimensions times their
/// posting lengths, not rows × dimensions. Internal to the intent classifier.
struct SparseIndex: Sendable {
    private(set) var postings: [Int: [(row: Int, value: Float)]] = [:]
    private(set) var rows = 0

    /// Appends `vector` (dimension → weight, not necessarily normalised) as the next row.
    mutating func append(_ vector: [Int: Float]) {
        let norm = vector.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        if norm > 0 {
            for (dimension, value) in vector where value != 0 {
                postings[dimension, default: []].append((rows, value / norm))
            }
        }
        rows += 1
    }

    /// The cosine of `query` with every row, in row order (0 for rows sharing no dimension).
    func cosines(_ query: [Int: Float]) -> [Float] {
        var out = [Float](repeating: 0, count: rows)
        let norm = query.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 else { return out }
        out.withUnsafeMutableBufferPointer { scores in
            for (dimension, value) in query {
                guard let list = postings[dimension] else { continue }
                let weight = value / norm
                for entry in list { scores[entry.row] += weight * entry.value }
            }
        }
        return out
    }
}
