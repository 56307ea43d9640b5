/// Finds the passages of the knowledge base that answer a question.
///
/// `KnowledgeIndex` is the built-in implementation; the Desk wraps one per business and keeps
/// it in step with the knowledge its owner edits.
public protocol Retriever: Sendable {
    /// The best `k` passages for `query`, best first. `language` is the query's language; it
    /// chooses the stemmer and the chat abbreviations the query is read with.
    func search(_ query: String, language: Language, k: Int) -> [Passage]
    /// The analysed terms of a passage this retriever returned, if it kept them when indexing
    /// (so the decision need not analyse the passage again); nil otherwise.
    func terms(of passage: Passage) -> [String]?
    /// False while the retriever is still loading what it searches (a large knowledge base built
    /// after start-up): a search now would miss what is there, so a caller that must not give a
    /// wrong "I don't know" waits.
    var isReady: Bool { get }
}

extension Retriever {
    public func terms(of passage: Passage) -> [String]? { nil }
    public var isReady: Bool { true }
}

/// One retrieved passage: a knowledge unit and how well it matched.
public struct Passage: Sendable, Hashable {
    /// The unit's id (`KnowledgeUnit.id`).
    public let id: String
    /// The document or FAQ entry the unit came from; several chunks share one source.
    public let sourceID: String
    /// The fused score: higher is better, comparable only within one search.
    public let score: Double
    /// The unit's heading breadcrumb or FAQ question.
    public let title: String
    /// The unit's text, as the owner wrote it.
    public let text: String
    /// The lexical (BM25) score, nil when the unit was not among the lexical candidates.
    public let lexicalScore: Double?
    /// The dense (cosine) score, nil when the unit was not among the dense candidates.
    public let denseScore: Double?

    public init(id: String, sourceID: String, score: Double, title: String, text: String,
                lexicalScore: Double?, denseScore: Double?) {
        self.id = id
        self.sourceID = sourceID
        self.score = score
        self.title = title
        self.text = text
        self.lexicalScore = lexicalScore
        self.denseScore = denseScore
    }
}
