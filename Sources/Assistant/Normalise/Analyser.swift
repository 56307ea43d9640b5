/// Turns text into the terms the lexical index matches on: normalised tokens without stop words
/// or emoji, stemmed in the text's language, then accent-folded.
///
/// Stemming runs before folding because the Snowball rules read accents ("ções", "ável"); folding
/// afterwards makes "horário" and "horario" meet. Indexing and querying must use the same
/// analyser settings, or their terms will not meet.
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
            let folded = Normaliser.fold(token)
            if removesStopWords, StopWords.contains(folded, language: language) { continue }
            if removesQuestionWords, StopWords.isQuestionWord(folded, language: language) { continue }
            out.append(stemming && !(token.first?.isNumber ?? false) ? Normaliser.fold(stemmer.stem(token)) : folded)
        }
        return out
    }
}
