import Assistant
import Desk
import Foundation

// The JSON shapes of Assistant → Knowledge. Optional values are written as explicit null.

struct FAQBody: Decodable {
    let question: String, answer: String
    let language: String?, section: String?

    func draft() throws -> FAQDraft {
        FAQDraft(question: question, answer: answer, language: try parseLanguage(language), section: section)
    }
}

struct DocumentBody: Decodable {
    let title: String, text: String
    let format: String?, language: String?, section: String?

    func draft() throws -> DocumentDraft {
        let parsed = try format.map { text in
            guard let format = KnowledgeFormat(rawValue: text), [.text, .markdown, .html].contains(format) else {
                throw DeskError.invalid("format", "A document's format is text, markdown or html; import CSV and JSON Lines files.")
            }
            return format
        } ?? .text
        return DocumentDraft(title: title, text: text, format: parsed, language: try parseLanguage(language), section: section)
    }
}

/// `pt` when not given; otherwise one of pt, es, en.
func parseLanguage(_ text: String?) throws -> Language {
    guard let text, !text.isEmpty else { return .pt }
    guard let language = Language(rawValue: text.lowercased()) else { throw DeskError.invalid("language", "The language is one of pt, es, en.") }
    return language
}

struct SearchBody: Decodable {
    let query: String
    let language: String?
    let k: Int?
}

struct FAQView: Encodable {
    let id: String, question: String, answer: String, language: String, section: String?, created_at: String, updated_at: String
    let external_id: String?
    init(_ entry: FAQEntry) {
        (id, question, answer, language, section) = (entry.id.description, entry.question, entry.answer, entry.language.rawValue, entry.section)
        (created_at, updated_at, external_id) = (rfc3339(entry.createdAt), rfc3339(entry.updatedAt), entry.externalID)
    }
    enum CodingKeys: String, CodingKey { case id, question, answer, language, section, created_at, updated_at, external_id }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id); try c.encode(question, forKey: .question); try c.encode(answer, forKey: .answer)
        try c.encode(language, forKey: .language); try c.encode(section, forKey: .section)
        try c.encode(created_at, forKey: .created_at); try c.encode(updated_at, forKey: .updated_at)
        try c.encode(external_id, forKey: .external_id)
    }
}

struct DocumentView: Encodable {
    let id: String, title: String, text: String, format: String, language: String, section: String?
    let created_at: String, updated_at: String, external_id: String?
    init(_ document: KnowledgeDocument) {
        (id, title, text, format) = (document.id.description, document.title, document.text, document.format.rawValue)
        (language, section) = (document.language.rawValue, document.section)
        (created_at, updated_at, external_id) = (rfc3339(document.createdAt), rfc3339(document.updatedAt), document.externalID)
    }
    enum CodingKeys: String, CodingKey { case id, title, text, format, language, section, created_at, updated_at, external_id }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id); try c.encode(title, forKey: .title); try c.encode(text, forKey: .text)
        try c.encode(format, forKey: .format); try c.encode(language, forKey: .language); try c.encode(section, forKey: .section)
        try c.encode(created_at, forKey: .created_at); try c.encode(updated_at, forKey: .updated_at)
        try c.encode(external_id, forKey: .external_id)
    }
}

struct ImportView: Encodable {
    let faqs: Int, documents: Int, replaced: Int
}

struct PassageView: Encodable {
    let id: String, source_id: String, kind: String, title: String, text: String
    let score: Double, lexical_score: Double?, dense_score: Double?
    init(_ hit: KnowledgeHit) {
        let p = hit.passage
        (id, source_id, kind, title, text) = (p.id, p.sourceID, hit.kind.rawValue, p.title, p.text)
        (score, lexical_score, dense_score) = (p.score, p.lexicalScore, p.denseScore)
    }
    enum CodingKeys: String, CodingKey { case id, source_id, kind, title, text, score, lexical_score, dense_score }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id); try c.encode(source_id, forKey: .source_id); try c.encode(kind, forKey: .kind)
        try c.encode(title, forKey: .title); try c.encode(text, forKey: .text); try c.encode(score, forKey: .score)
        try c.encode(lexical_score, forKey: .lexical_score); try c.encode(dense_score, forKey: .dense_score)
    }
}

/// The answer of "try a question". The assistant's would-be reply, confidence and decision join
/// it later as a `decision` object; the dashboard shows whatever that object holds.
struct SearchView: Encodable {
    let query: String
    let passages: [PassageView]
}

struct KnowledgeStatusView: Encodable {
    let faqs: Int, documents: Int, passages: Int, embedder: String, dense_weight: Double, reindexing: Bool
    init(_ status: KnowledgeStatus) {
        (faqs, documents, passages, embedder) = (status.faqs, status.documents, status.passages, status.embedder)
        (dense_weight, reindexing) = (status.denseWeight, status.reindexing)
    }
}
