import Synchronization

/// Turns text into the terms the lexical index matches on: normalised tokens without stop words
/// or emoji, stemmed in the text's language, then accent-folded.
///
/// Stemming runs before folding because the Snowball rules read accents ("ções", "ável"); folding
/// afterwards makes "horário" and "horario" meet. Indexing and querying must use the same
/// analyser settings, or their terms will not meet.
///
/// Folded forms and stems are remembered (`StemMemo`): a business's vocabulary is small and
/// repeats, stemming a word costs microseconds and looking it up a fraction of that, and the decision reads the terms
/// of every passage it weighs (bench/assistant/README.md, pipeline latency).
public struct Analyser: Sendable {
    /// Whether words are stemmed (true) or only folded.
    public var stemming: Bool
    /// Whether stop words are removed.
    public var removesStopWords: Bool
    /// Whether question words ("qual", "how") are removed too: right for searching answers,
    /// wrong for telling intents apart.
    public var removesQuestionWords: Bool

    private let normaliser = Normaliser(emoji: .drop)

    public init(stemming: Bool = true, removesStopWords: Bool = true, removesQuestionWords: Bool = false) {
        self.stemming = stemming
        self.removesStopWords = removesStopWords
        self.removesQuestionWords = removesQuestionWords
    }

    /// The matching terms of `text` read as `language`, in order (repeats kept).
    public func terms(_ text: String, language: Language) -> [String] {
        let stemmer = Stemmer(language)
        var out: [String] = []
        for token in normaliser.tokens(text, language: language) {
            let word: StemMemo.Word
            if let known = StemMemo.shared.word(token, language: language) {
                word = known
            } else {
                let isNumber = token.first?.isNumber ?? false
                let stem = isNumber ? nil : Normaliser.fold(stemmer.stem(language == .pt ? Self.singularOfAo(token) : token))
                word = StemMemo.Word(folded: Normaliser.fold(token), stem: stem)
                StemMemo.shared.remember(word, of: token, language: language)
            }
            if removesStopWords, StopWords.contains(word.folded, language: language) { continue }
            if removesQuestionWords, StopWords.isQuestionWord(word.folded, language: language) { continue }
            out.append(stemming ? word.stem ?? word.folded : word.folded)
        }
        return out
    }

    /// A Portuguese plural of a word in -ão, as its singular: "cartões" → "cartão", "pães" →
    /// "pão", and "cartoes" (typed without accents) → "cartao". Snowball leaves these apart
    /// ("cartõ" and "cartã"), so "aceitam cartão?" would miss "aceitamos cartões". Unaccented
    /// "-aes" is left alone: "maes" is "mães", the plural of "mãe".
    static func singularOfAo(_ token: String) -> String {
        guard token.count >= 5 else { return token }
        for (plural, singular) in [("ões", "ão"), ("ães", "ão"), ("oes", "ao")] where token.hasSuffix(plural) {
            return String(token.dropLast(plural.count)) + singular
        }
        return token
    }
}

/// The folded form and folded stem of tokens already seen, per language; forgotten all at once
/// past `capacity` tokens, so a stream of new ones (ids, typos) cannot grow it without bound.
final class StemMemo: Sendable {
    struct Word: Sendable {
        let folded: String
        /// nil for a number, which is never stemmed.
        let stem: String?
    }

    static let shared = StemMemo()
    static let capacity = 100_000

    private let words = Mutex<[Language: [String: Word]]>([:])

    func word(_ token: String, language: Language) -> Word? {
        words.withLock { $0[language]?[token] }
    }

    func remember(_ word: Word, of token: String, language: Language) {
        words.withLock { memo in
            if memo[language, default: [:]].count >= Self.capacity { memo[language] = [:] }
            memo[language, default: [:]][token] = word
        }
    }
}
