/// Cuts a document into retrieval units along its headings and paragraphs.
///
/// A line starting with '#' (Markdown) is a heading; its level sets the breadcrumb
/// ("Price list > Hair > Colour") each chunk below it carries as its title. Paragraphs (blank-line
/// separated) are packed into chunks of up to `targetTokens` words; a paragraph longer than that is
/// cut at sentence ends, then at words. Consecutive chunks of one section share `overlapTokens`
/// words so an answer that straddles a cut is still found whole in one of them.
public struct Chunker: Sendable {
    /// The most words a chunk holds (overlap included), at least 20.
    public var targetTokens: Int
    /// Words a chunk repeats from the end of the previous one in the same section.
    public var overlapTokens: Int

    public init(targetTokens: Int = 300, overlapTokens: Int = 40) {
        self.targetTokens = max(20, targetTokens)
        self.overlapTokens = max(0, min(overlapTokens, targetTokens / 2))
    }

    /// The units of document `id`, numbered "id#0", "id#1"….
    public func chunk(id: String, title: String, text: String, language: Language) -> [KnowledgeUnit] {
        var units: [KnowledgeUnit] = []
        for section in sections(title: title, text: text) {
            for body in pack(section.paragraphs) {
                units.append(KnowledgeUnit(id: "\(id)#\(units.count)", sourceID: id, kind: .doc,
                                           title: section.breadcrumb, text: body, language: language))
            }
        }
        return units
    }

    private struct Section { var breadcrumb: String; var paragraphs: [String] }

    private func sections(title: String, text: String) -> [Section] {
        var headings: [(level: Int, text: String)] = []
        var out: [Section] = []
        var paragraph: [Substring] = []
        func breadcrumb() -> String { ([title] + headings.map(\.text)).filter { !$0.isEmpty }.joined(separator: " > ") }
        func endParagraph() {
            let joined = paragraph.joined(separator: " ").trimmingSpaces
            paragraph = []
            guard !joined.isEmpty else { return }
            if out.isEmpty || out[out.count - 1].breadcrumb != breadcrumb() {
                out.append(Section(breadcrumb: breadcrumb(), paragraphs: []))
            }
            out[out.count - 1].paragraphs.append(joined)
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingSpaces
            if trimmed.isEmpty {
                endParagraph()
            } else if trimmed.hasPrefix("#") {
                endParagraph()
                let level = trimmed.prefix { $0 == "#" }.count
                headings.removeAll { $0.level >= level }
                headings.append((level, String(trimmed.drop { $0 == "#" }).trimmingSpaces))
            } else {
                paragraph.append(Substring(trimmed))
            }
        }
        endParagraph()
        return out
    }

    /// Packs paragraphs into bodies of at most `targetTokens` words with overlap between bodies.
    private func pack(_ paragraphs: [String]) -> [String] {
        var pieces: [[Substring]] = []
        for paragraph in paragraphs {
            let words = paragraph.split(separator: " ")
            if words.count <= targetTokens { pieces.append(words); continue }
            var sentence: [Substring] = []
            for word in words {
                sentence.append(word)
                if sentence.count >= targetTokens || (word.last.map { ".!?".contains($0) } ?? false) {
                    pieces.append(sentence)
                    sentence = []
                }
            }
            if !sentence.isEmpty { pieces.append(sentence) }
        }
        var bodies: [String] = []
        var current: [Substring] = []
        var fresh = 0  // words in `current` not carried over from the previous body
        for piece in pieces {
            if fresh > 0, current.count + piece.count > targetTokens {
                bodies.append(current.joined(separator: " "))
                current = Array(current.suffix(overlapTokens))
                fresh = 0
            }
            current += piece
            fresh += piece.count
        }
        if fresh > 0 { bodies.append(current.joined(separator: " ")) }
        return bodies
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
