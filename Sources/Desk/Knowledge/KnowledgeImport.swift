public import Assistant
import Foundation
import SwiftCSV

/// What one import file holds, read without I/O: FAQ entries and documents, checked, ready to be
/// stored in one transaction. Reading stops at the first bad line and names it, so a file is
/// imported whole or not at all.
public struct KnowledgeImport: Sendable, Equatable {
    public var faqs: [FAQDraft] = []
    public var documents: [DocumentDraft] = []
    public init() {}

    /// How a file's format is chosen: by name, or told.
    public enum Format: String, Sendable, CaseIterable {
        case auto, text, markdown, html, csv, jsonl
    }

    /// Reads `bytes` as `format` (`auto`: by the file name's extension, else by a look at the
    /// text). `language` and `section` apply to every entry that does not name its own.
    /// - Throws: `DeskError` — `.fileTooLarge` (field `file`) past `KnowledgeLimits.importBytes`,
    ///   `.invalidField` (field `file`) for text that is not UTF-8, an empty file or a bad line
    ///   (its number in the message), or a field of an entry (`question`, `answer`, …).
    public static func read(_ bytes: [UInt8], format: Format = .auto, filename: String? = nil,
                            language: Language, section: String? = nil) throws(DeskError) -> KnowledgeImport {
        guard bytes.count <= KnowledgeLimits.importBytes else {
            throw DeskError(.fileTooLarge, "The file is larger than \(KnowledgeLimits.describe(bytes: KnowledgeLimits.importBytes)), the most one import may be.", field: "file")
        }
        guard var text = String(validating: bytes, as: UTF8.self) else {
            throw DeskError.invalid("file", "The file is not UTF-8 text; save it as UTF-8 and import it again.")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        text = text.replacingOccurrences(of: "\r\n", with: "\n")
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DeskError.invalid("file", "The file is empty.")
        }
        let section = try KnowledgeLimits.section(section, field: "section")
        var result = KnowledgeImport()
        switch resolve(format, filename: filename, text: text) {
        case .csv:
            result.faqs = try csv(text, language: language, section: section)
        case .jsonl:
            result = try jsonLines(text, language: language, section: section)
        case let documentFormat:
            let title = Self.title(filename: filename, text: text)
            result.documents = [try DocumentDraft(title: title, text: text, format: documentFormat, language: language, section: section).checked()]
        }
        guard result.faqs.count + result.documents.count <= KnowledgeLimits.importEntries else {
            throw DeskError.invalid("file", "The file holds more than \(KnowledgeLimits.importEntries) entries; split it.")
        }
        return result
    }

    /// The format a file is read as.
    static func resolve(_ format: Format, filename: String?, text: String) -> KnowledgeFormat {
        if format != .auto, let known = KnowledgeFormat(rawValue: format.rawValue) { return known }
        switch filename.map({ ($0 as NSString).pathExtension.lowercased() }) {
        case "csv", "tsv": return .csv
        case "jsonl", "ndjson": return .jsonl
        case "md", "markdown": return .markdown
        case "html", "htm": return .html
        case "txt", "text": return .text
        default: break
        }
        let start = text.drop { $0.isWhitespace }
        if start.hasPrefix("{") { return .jsonl }
        if start.hasPrefix("<") { return .html }
        if start.hasPrefix("#") { return .markdown }
        return .text
    }

    /// A document's title: the file's name without its extension, else its first line.
    static func title(filename: String?, text: String) -> String {
        if let name = filename.map({ (($0 as NSString).lastPathComponent as NSString).deletingPathExtension }), !name.isEmpty {
            return String(name.prefix(KnowledgeLimits.title))
        }
        let first = text.split(separator: "\n").first.map { String($0.drop { $0 == "#" || $0.isWhitespace }) } ?? ""
        let plain = first.hasPrefix("<") ? HTMLText.extract(text).split(separator: "\n").first.map { String($0.drop { $0 == "#" || $0 == " " }) } ?? "" : first
        return plain.isEmpty ? "Imported document" : String(plain.prefix(80))
    }

    /// question,answer rows; a first row reading question,answer (or pergunta,resposta /
    /// pregunta,respuesta) is a header. The delimiter (comma, semicolon or tab) is guessed.
    static func csv(_ text: String, language: Language, section: String?) throws(DeskError) -> [FAQDraft] {
        let table: EnumeratedCSV
        do {
            table = try EnumeratedCSV(string: text, loadColumns: false)
        } catch {
            throw DeskError.invalid("file", "The file is not CSV that can be read: \(error). Quote fields that hold quotes.")
        }
        let headerWords: Set<String> = ["question", "pergunta", "pregunta"]
        let hasHeader = table.header.first.map { headerWords.contains($0.trimmingCharacters(in: .whitespaces).lowercased()) } ?? false
        let rows = (hasHeader ? [] : [table.header]) + table.rows
        var faqs: [FAQDraft] = []
        for (index, row) in rows.enumerated() {
            let number = index + (hasHeader ? 2 : 1)
            let cells = row.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            if cells.allSatisfy(\.isEmpty) { continue }
            guard cells.count >= 2 else {
                throw DeskError.invalid("file", "Row \(number) has one column; each row is question,answer.")
            }
            do throws(DeskError) {
                faqs.append(try FAQDraft(question: cells[0], answer: cells[1], language: language, section: section).checked())
            } catch {
                throw DeskError.invalid("file", "Row \(number): \(error.message)")
            }
        }
        guard !faqs.isEmpty else { throw DeskError.invalid("file", "The file has no question,answer rows.") }
        return faqs
    }

    private struct Line: Decodable {
        let id: String?
        let kind: String?
        let question: String?, answer: String?
        let title: String?, text: String?
        let language: String?, section: String?
    }

    /// One JSON object per line: `{"id","kind":"faq","question","answer"}` or
    /// `{"id","kind":"doc","title","text"}`, each with an optional language and section.
    static func jsonLines(_ text: String, language: Language, section: String?) throws(DeskError) -> KnowledgeImport {
        var result = KnowledgeImport()
        var seen: [String: Int] = [:]      // "faq:id" → the line that gave it
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            func bad(_ message: String) -> DeskError { DeskError.invalid("file", "Line \(number): \(message)") }
            let line: Line
            do {
                line = try JSONDecoder().decode(Line.self, from: Data(trimmed.utf8))
            } catch {
                throw bad("not a JSON object with string fields (id, kind, question, answer, title, text, language, section).")
            }
            var lineLanguage = language
            if let code = line.language {
                guard let parsed = Language(rawValue: code.lowercased()) else { throw bad("the language is one of pt, es, en.") }
                lineLanguage = parsed
            }
            let lineSection = line.section ?? section
            var externalID: String?
            if let id = line.id?.trimmingCharacters(in: .whitespaces), !id.isEmpty {
                guard id.count <= KnowledgeLimits.externalID else { throw bad("the id is longer than \(KnowledgeLimits.externalID) characters.") }
                let key = "\(line.kind?.lowercased() ?? ""):\(id)"
                if let first = seen[key] { throw bad("the id \(id) was given before, on line \(first).") }
                seen[key] = number
                externalID = id
            }
            do throws(DeskError) {
                switch line.kind?.lowercased() {
                case "faq":
                    result.faqs.append(try FAQDraft(question: line.question ?? "", answer: line.answer ?? "",
                                                    language: lineLanguage, section: lineSection, externalID: externalID).checked())
                case "doc":
                    result.documents.append(try DocumentDraft(title: line.title ?? line.id ?? "", text: line.text ?? "", format: .text,
                                                              language: lineLanguage, section: lineSection, externalID: externalID).checked())
                default:
                    throw bad("kind is \"faq\" or \"doc\".")
                }
            } catch {
                throw error.code == .invalidField && error.field != "file" ? bad(error.message) : error
            }
        }
        guard !result.faqs.isEmpty || !result.documents.isEmpty else { throw DeskError.invalid("file", "The file has no lines.") }
        return result
    }
}
