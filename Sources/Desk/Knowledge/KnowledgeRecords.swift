public import Assistant
public import Foundation
public import Storage

/// How a document's text was given; it says how the text is read into passages.
public enum KnowledgeFormat: String, Codable, Sendable, CaseIterable {
    case text, markdown, html, csv, jsonl
}

/// One FAQ pair the owner typed or imported: found as one unit, "question: answer".
public struct FAQEntry: Codable, Sendable, Equatable {
    public let id: DocumentID
    public var question: String
    public var answer: String
    public var language: Language
    /// Where it belongs ("Prices", "Opening hours"); nil when none was given.
    public var section: String?
    public let createdAt: Date
    public var updatedAt: Date
    /// The id an import file gave it (JSON Lines `"id"`): importing a line with the same id again
    /// replaces this entry instead of adding another.
    public var externalID: String? = nil
}

/// A document the owner pasted or uploaded, kept as given; its passages are cut from `text`.
public struct KnowledgeDocument: Codable, Sendable, Equatable {
    public let id: DocumentID
    public var title: String
    /// The text as given (HTML as sent, Markdown with its headings).
    public var text: String
    public var format: KnowledgeFormat
    public var language: Language
    public var section: String?
    public let createdAt: Date
    public var updatedAt: Date
    /// The id an import file gave it (see `FAQEntry.externalID`).
    public var externalID: String? = nil

    /// The text the index reads: HTML turned into text with its headings as Markdown heading
    /// lines (the `Chunker` keeps them as the breadcrumb); every other format as written.
    public var indexedText: String {
        format == .html ? HTMLText.extract(text) : text
    }
}

/// What the index was made with, so a change of embedder is noticed at start.
struct KnowledgeIndexMeta: Codable, Sendable, Equatable {
    /// `Embedder.name` of the embedder whose vectors the index holds.
    var embedder: String
    var builtAt: Date
    static let key = Key("index")
}

/// What an FAQ entry is made of, to create or replace one.
public struct FAQDraft: Sendable, Equatable {
    public var question: String
    public var answer: String
    public var language: Language
    public var section: String?
    /// The import file's id for it, if any.
    public var externalID: String?
    public init(question: String, answer: String, language: Language, section: String? = nil, externalID: String? = nil) {
        (self.question, self.answer, self.language, self.section, self.externalID) = (question, answer, language, section, externalID)
    }
}

/// What a document is made of, to create or replace one.
public struct DocumentDraft: Sendable, Equatable {
    public var title: String
    public var text: String
    public var format: KnowledgeFormat
    public var language: Language
    public var section: String?
    /// The import file's id for it, if any.
    public var externalID: String?
    public init(title: String, text: String, format: KnowledgeFormat = .text, language: Language, section: String? = nil,
                externalID: String? = nil) {
        (self.title, self.text, self.format, self.language, self.section, self.externalID) = (title, text, format, language, section, externalID)
    }

    /// The text the index reads (see `KnowledgeDocument.indexedText`).
    public var indexedText: String { format == .html ? HTMLText.extract(text) : text }
}

/// The limits every entry is checked against, in one place (the API and the CLI say them).
public enum KnowledgeLimits {
    public static let question = 500
    public static let answer = 4000
    public static let title = 200
    public static let section = 120
    /// A document's text, in bytes of UTF-8 (512 KiB: it fits the API's 1 MiB JSON body).
    public static let documentBytes = 512 << 10
    /// An import file, in bytes (4 MiB).
    public static let importBytes = 4 << 20
    /// Entries one import may hold.
    public static let importEntries = 5000
    /// An import file's id for an entry, in characters.
    public static let externalID = 200

    /// "1 MiB", "4 MiB" for messages.
    static func describe(bytes: Int) -> String { bytes >= 1 << 20 ? "\(bytes >> 20) MiB" : "\(bytes >> 10) KiB" }
}

extension FAQDraft {
    /// The draft trimmed and checked; each error names the field.
    func checked(prefix: String = "") throws(DeskError) -> FAQDraft {
        var draft = self
        draft.question = question.trimmingCharacters(in: .whitespacesAndNewlines)
        draft.answer = answer.trimmingCharacters(in: .whitespacesAndNewlines)
        draft.section = try KnowledgeLimits.section(section, field: prefix + "section")
        guard !draft.question.isEmpty else { throw DeskError.invalid(prefix + "question", "The question is empty.") }
        guard draft.question.count <= KnowledgeLimits.question else {
            throw DeskError.invalid(prefix + "question", "The question is longer than \(KnowledgeLimits.question) characters.")
        }
        guard !draft.answer.isEmpty else { throw DeskError.invalid(prefix + "answer", "The answer is empty.") }
        guard draft.answer.count <= KnowledgeLimits.answer else {
            throw DeskError.invalid(prefix + "answer", "The answer is longer than \(KnowledgeLimits.answer) characters.")
        }
        return draft
    }
}

extension DocumentDraft {
    /// The draft trimmed and checked; each error names the field.
    func checked(prefix: String = "") throws(DeskError) -> DocumentDraft {
        var draft = self
        draft.title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        draft.section = try KnowledgeLimits.section(section, field: prefix + "section")
        guard !draft.title.isEmpty else { throw DeskError.invalid(prefix + "title", "The title is empty.") }
        guard draft.title.count <= KnowledgeLimits.title else {
            throw DeskError.invalid(prefix + "title", "The title is longer than \(KnowledgeLimits.title) characters.")
        }
        guard text.utf8.count <= KnowledgeLimits.documentBytes else {
            throw DeskError(.fileTooLarge, "The text is larger than \(KnowledgeLimits.describe(bytes: KnowledgeLimits.documentBytes)), the most a document may hold.",
                            field: prefix + "text")
        }
        guard format == .text || format == .markdown || format == .html else {
            throw DeskError.invalid(prefix + "format", "A document is text, markdown or html; import CSV and JSON Lines files instead.")
        }
        guard !indexedText.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DeskError.invalid(prefix + "text", "The text is empty.")
        }
        return draft
    }
}

extension KnowledgeLimits {
    static func section(_ section: String?, field: String) throws(DeskError) -> String? {
        guard let trimmed = section?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        guard trimmed.count <= Self.section else {
            throw DeskError.invalid(field, "The section is longer than \(Self.section) characters.")
        }
        return trimmed
    }
}
