import Foundation

/// Recall@1, recall@5 and MRR@10 of a set of rankings: how retrieval is scored against
/// an evaluation set such as FaQuAD (each question's relevant ids are known).
public struct RetrievalMetrics: Sendable, Hashable, CustomStringConvertible {
    /// Share of queries whose first result is relevant.
    public let recallAt1: Double
    /// Share of queries with a relevant result in the first five.
    public let recallAt5: Double
    /// Mean of 1/rank of the first relevant result in the first ten (0 when there is none).
    public let mrrAt10: Double
    /// Queries scored.
    public let queries: Int

    /// Scores `rankings` (each a list of ids, best first; repeats are ignored) against the
    /// relevant ids of the same query.
    public init(rankings: [[String]], relevant: [Set<String>]) {
        var r1 = 0.0, r5 = 0.0, mrr = 0.0
        let n = min(rankings.count, relevant.count)
        for (ranking, wanted) in zip(rankings, relevant) {
            var seen = Set<String>()
            let distinct = ranking.filter { seen.insert($0).inserted }
            guard let rank = distinct.prefix(10).firstIndex(where: wanted.contains) else { continue }
            if rank == 0 { r1 += 1 }
            if rank < 5 { r5 += 1 }
            mrr += 1 / Double(rank + 1)
        }
        let d = Double(max(n, 1))
        (recallAt1, recallAt5, mrrAt10, queries) = (r1 / d, r5 / d, mrr / d, n)
    }

    /// Runs each query through `retriever` and scores the results by source id, so any chunk of
    /// a relevant document counts as a hit.
    public init(retriever: some Retriever, queries: [(query: String, relevant: Set<String>)], language: Language) {
        let rankings = queries.map { retriever.search($0.query, language: language, k: 20).map(\.sourceID) }
        self.init(rankings: rankings, relevant: queries.map(\.relevant))
    }

    public var description: String {
        let f = { (x: Double) in String(format: "%.3f", x) }
        return "R@1 \(f(recallAt1)) R@5 \(f(recallAt5)) MRR@10 \(f(mrrAt10)) (\(queries) queries)"
    }
}

