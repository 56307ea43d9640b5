/// An embedding as the caller supplies it: any length equal to the index dimension;
/// the index L2-normalises it, so cosine similarity becomes a dot product.
public typealias Embedding = [Float]

/// One search result: the stored id and its cosine similarity to the query.
public struct SearchHit: Sendable, Hashable, CustomStringConvertible {
    public let id: UInt64
    /// Cosine similarity in [-1, 1], computed from the full-precision vectors.
    public let score: Float

    public init(id: UInt64, score: Float) {
        self.id = id
        self.score = score
    }

    public var description: String { "\(id):\(score)" }
}

/// Restricts a search to some ids, e.g. one knowledge-base section or one language.
/// The filter is consulted only for rows whose score would enter the top-k, so a
/// selective predicate costs nearly nothing on top of the scan.
public enum SearchFilter: Sendable {
    /// Only these ids may be returned.
    case allowedIDs(Set<UInt64>)
    /// Only ids for which the predicate returns true may be returned.
    case predicate(@Sendable (UInt64) -> Bool)

    @inline(__always)
    func allows(_ id: UInt64) -> Bool {
        switch self {
        case .allowedIDs(let set): set.contains(id)
        case .predicate(let body): body(id)
        }
    }
}
