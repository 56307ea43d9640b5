/// Tells Portuguese, Spanish and English apart in chat messages, and says when it cannot.
///
/// Short messages defeat general-purpose detectors ("oi" and "bom dia" come out English,
/// ai-pipeline.md §2.6), so two kinds of evidence are added up per language: weighted cue words
/// and letters ("você", "ñ", "thanks", "ção"), and character-trigram log-probabilities learned
/// from our own sample text (`LanguageSamples`). When the best language does not lead the next by
/// `minimumMargin`, the detector abstains and keeps the conversation's current language, or the
/// business's language when there is none yet.
public struct LanguageDetector: Sendable {
    /// The outcome of one detection.
    public struct Detection: Sendable, Equatable {
        /// The language to use: the detected one, or on abstention the current/fallback language.
        public let language: Language
        /// True when the text did not decide: `language` is then `current ?? fallback`.
        public let abstained: Bool
        /// How far the best language led the second, in score units (0 when there was no evidence).
        public let margin: Double
    }

    /// The lead the winner needs over the runner-up before the detector commits.
    public var minimumMargin: Double

    private let model: TrigramModel

    public init(minimumMargin: Double = 1.5) {
        self.minimumMargin = minimumMargin
        self.model = TrigramModel.shared
    }

    /// The language of `text`. `current` is the conversation's language so far (nil for a new one);
    /// `fallback` is the business's language.
    public func detect(_ text: String, current: Language?, fallback: Language) -> Detection {
        let scores = self.scores(text)
        let ranked = Language.allCases.sorted { scores[$0, default: 0] > scores[$1, default: 0] }
        let margin = scores[ranked[0], default: 0] - scores[ranked[1], default: 0]
        guard margin >= minimumMargin else {
            return Detection(language: current ?? fallback, abstained: true, margin: margin)
        }
        return Detection(language: ranked[0], abstained: false, margin: margin)
    }

    /// The evidence for each language; higher is more likely. Exposed for calibration and tests.
    public func scores(_ text: String) -> [Language: Double] {
        let cleaned = Normaliser().clean(text)
        let tokens = Normaliser.split(cleaned, keepEmoji: false).filter { $0.first?.isLetter ?? false }
        var total: [Language: Double] = [.pt: 0, .es: 0, .en: 0]
        guard !tokens.isEmpty else { return total }

        for token in tokens {
            let folded = Normaliser.fold(token)
            for language in Language.allCases {
                total[language, default: 0] += LanguageCues.words[language]?[folded] ?? 0
            }
            for (fragment, language, weight) in LanguageCues.fragments where token.contains(fragment) {
                total[language, default: 0] += weight
            }
        }
        for mark in cleaned where mark == "¿" || mark == "¡" { total[.es, default: 0] += 3 }

        // Trigram evidence grows with length, so a long message is decided by it and a short one
        // by its cue words. Each trigram adds its log-probability relative to the mean of the three.
        let trigrams = TrigramModel.trigrams(of: tokens.map(Normaliser.fold))
        for trigram in trigrams {
            let logs = Language.allCases.map { model.logProbability(trigram, in: $0) }
            let mean = logs.reduce(0, +) / Double(logs.count)
            for (language, log) in zip(Language.allCases, logs) {
                total[language, default: 0] += TrigramModel.weight * (log - mean)
            }
        }
        return total
    }
}
