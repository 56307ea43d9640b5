/// The unit of retrieval: one FAQ pair, or one chunk of a document.
public struct KnowledgeUnit: Sendable, Hashable, Codable {
    /// What a unit was made from.
    public enum Kind: String, Sendable, Hashable, Codable { case faq, doc }

    /// Unique in one index, e.g. "price-list#2" for a document's third chunk.
    public let id: String
    /// The FAQ entry or document this unit came from.
    public let sourceID: String
    public let kind: Kind
    /// The FAQ question, or the document title and headings above the chunk ("Prices > Hair").
    public let title: String
    /// The text to match and to answer from. An FAQ pair reads "question: answer".
    public let text: String
    /// The language the unit is written in; it chooses the stemmer the unit is indexed with.
    public let language: Language

    public init(id: String, sourceID: String, kind: Kind, title: String, text: String, language: Language) {
        self.id = id
        self.sourceID = sourceID
        self.kind = kind
        self.title = title
        self.text = text
        self.language = language
    }

    /// An FAQ pair as one unit, "question: answer" (the question is also its title).
    public static func faq(id: String, question: String, answer: String, language: Language) -> KnowledgeUnit {
        KnowledgeUnit(id: id, sourceID: id, kind: .faq, title: question, text: "\(question): \(answer)", language: language)
    }
}
