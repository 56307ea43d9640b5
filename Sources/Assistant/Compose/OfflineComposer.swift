import Foundation

/// Composes a reply from retrieved passages without a language model, so it can state nothing
/// that is not there (ai-pipeline.md §4.1 item 8).
///
/// An FAQ passage answers with the owner's own answer text; a document passage with its one or
/// two sentences that cover most of the question's terms (stemmed), copied as written — numbers,
/// prices and hours included —, kept WhatsApp-short (`maximumLength`).
public struct OfflineComposer: Sendable {
    /// The longest reply composed from a document, in characters. An owner's FAQ answer is sent whole.
    public var maximumLength: Int

    private let analyser = Analyser(removesQuestionWords: true)

    public init(maximumLength: Int = 400) {
        self.maximumLength = maximumLength
    }

    /// The owner's answer when `passage` is an FAQ pair ("question: answer", the question being
    /// its title), nil for a document chunk.
    public static func faqAnswer(_ passage: Passage) -> String? {
        let prefix = passage.title + ": "
        guard !passage.title.isEmpty, passage.text.hasPrefix(prefix) else { return nil }
        let answer = passage.text.dropFirst(prefix.count).trimmingCharacters(in: .whitespacesAndNewlines)
        return answer.isEmpty ? nil : answer
    }

    /// The reply body for `question` from `passage`, nil when the passage has nothing that
    /// meets the question (a document none of whose sentences shares a term with it).
    public func compose(question: String, from passage: Passage, language: Language, tone: Tone) -> String? {
        if let answer = Self.faqAnswer(passage) { return answer }
        let wanted = Set(analyser.terms(question, language: language))
        guard !wanted.isEmpty else { return nil }
        let sentences = Self.sentences(passage.text)
        let scored = sentences.enumerated().map { index, sentence in
            (index, sentence, Set(analyser.terms(sentence, language: language)).intersection(wanted))
        }
        guard let best = scored.max(by: { $0.2.count < $1.2.count || ($0.2.count == $1.2.count && $0.0 > $1.0) }),
              !best.2.isEmpty else { return nil }
        var chosen = [best]
        // A second sentence when it adds a term of the question and the two still fit.
        let second = scored.filter { $0.0 != best.0 && !$0.2.subtracting(best.2).isEmpty }
            .max { $0.2.count < $1.2.count || ($0.2.count == $1.2.count && abs($0.0 - best.0) > abs($1.0 - best.0)) }
        if let second, best.1.count + second.1.count + 1 <= maximumLength { chosen.append(second) }
        let body = Self.shortened(chosen.sorted { $0.0 < $1.0 }.map(\.1).joined(separator: " "), to: maximumLength)
        return Templates.documentAnswer(body, topic: Self.topic(of: passage.title), language: language, tone: tone)
    }

    /// A passage's sentences, split after ". ", "! ", "? ", "; " and at line ends; a period inside
    /// a number ("R$ 1.200,00", "9.30") does not split.
    static func sentences(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        let chars = Array(text)
        for (i, c) in chars.enumerated() {
            if c == "\n" {
                out.append(current); current = ""; continue
            }
            current.append(c)
            let next = i + 1 < chars.count ? chars[i + 1] : " "
            if ".!?;".contains(c), next == " " || next == "\n" { out.append(current); current = "" }
        }
        out.append(current)
        return out.map { $0.trimmingCharacters(in: .whitespaces) }
            .map { $0.hasPrefix("- ") || $0.hasPrefix("* ") ? String($0.dropFirst(2)) : $0 }
            .filter { $0.contains(where: \.isLetter) && !$0.hasPrefix("#") }
    }

    /// `text` cut at a word boundary to at most `limit` characters, with "…" when cut.
    static func shortened(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        var cut = String(text.prefix(limit - 1))
        if let space = cut.lastIndex(of: " ") { cut = String(cut[..<space]) }
        return cut.trimmingCharacters(in: CharacterSet(charactersIn: " ,;:")) + "…"
    }

    /// The last heading of a breadcrumb ("Prices > Hair" → "Hair"), nil when empty or too long to
    /// read as a topic.
    static func topic(of title: String) -> String? {
        let last = title.components(separatedBy: " > ").last?.trimmingCharacters(in: .whitespaces) ?? ""
        return last.isEmpty || last.count > 60 ? nil : last
    }
}
