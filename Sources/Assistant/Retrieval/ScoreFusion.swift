/// Mixes two ranked lists by per-query z-scores (ai-pipeline.md §2.3): each list's scores become
/// (score − mean) / standard deviation over that list, and a unit's fused score is
/// `(1 − denseWeight) · z_lexical + denseWeight · z_dense`. A unit missing from one list takes
/// that list's lowest z-score, as if it were just below the cut.
///
/// On a small knowledge base rank fusion (RRF) flattens the top ranks and lets a weak list tie
/// a strong one; z-scores keep how far ahead the leader is.
public enum ScoreFusion {
    /// One fused entry, with the inputs it came from.
    public struct Fused: Sendable, Hashable {
        public let id: String
        public let score: Double
        public let lexical: Double?
        public let dense: Double?
    }

    /// The fused ranking of `lexical` and `dense`, best first.
    /// - Parameter denseWeight: 0 keeps only the lexical list's order, 1 only the dense one's.
    public static func zScore(lexical: [(id: String, score: Double)], dense: [(id: String, score: Double)],
                              denseWeight: Double) -> [Fused] {
        let zl = standardised(lexical), zd = standardised(dense)
        let floorL = zl.values.min() ?? 0, floorD = zd.values.min() ?? 0
        let rawL = Dictionary(lexical.map { ($0.id, $0.score) }, uniquingKeysWith: max)
        let rawD = Dictionary(dense.map { ($0.id, $0.score) }, uniquingKeysWith: max)
        var ids = Set(rawL.keys)
        ids.formUnion(rawD.keys)
        return ids.map { id in
            let score = (1 - denseWeight) * (zl[id] ?? floorL) + denseWeight * (zd[id] ?? floorD)
            return Fused(id: id, score: score, lexical: rawL[id], dense: rawD[id])
        }
        .sorted { $0.score > $1.score || ($0.score == $1.score && $0.id < $1.id) }
    }

    /// z-scores of one list; a list of one, or of equal scores, maps every entry to 0.
    static func standardised(_ list: [(id: String, score: Double)]) -> [String: Double] {
        guard !list.isEmpty else { return [:] }
        let n = Double(list.count)
        let mean = list.reduce(0) { $0 + $1.score } / n
        let variance = list.reduce(0) { $0 + ($1.score - mean) * ($1.score - mean) } / n
        let sd = variance.squareRoot()
        var out: [String: Double] = [:]
        for entry in list { out[entry.id] = max(out[entry.id] ?? -.infinity, sd > 1e-12 ? (entry.score - mean) / sd : 0) }
        return out
    }
}
