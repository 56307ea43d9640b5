import Foundation

/// Character-trigram log-probabilities per language, counted from `LanguageSamples` (text we wrote)
/// once per process, with add-one smoothing so an unseen trigram costs the same in every language.
struct TrigramModel: Sendable {
    /// How much one trigram's relative log-probability counts against one cue-word point.
    static let weight = 0.35

    static let shared = TrigramModel(samples: LanguageSamples.text)

    private let logs: [Language: [String: Double]]
    private let unseen: [Language: Double]

    init(samples: [Language: String]) {
        var logs: [Language: [String: Double]] = [:]
        var unseen: [Language: Double] = [:]
        for (language, text) in samples {
            let words = Normaliser.split(Normaliser().clean(text), keepEmoji: false).map(Normaliser.fold)
            var counts: [String: Int] = [:]
            for trigram in Self.trigrams(of: words) { counts[trigram, default: 0] += 1 }
            let total = Double(counts.values.reduce(0, +) + counts.count + 1)
            logs[language] = counts.mapValues { Foundation.log(Double($0 + 1) / total) }
            unseen[language] = Foundation.log(1 / total)
        }
        self.logs = logs
        self.unseen = unseen
    }

    func logProbability(_ trigram: String, in language: Language) -> Double {
        logs[language]?[trigram] ?? unseen[language] ?? 0
    }

    /// The trigrams of each word padded with a space on either side (" oi", "oi ").
    static func trigrams(of words: [String]) -> [String] {
        var out: [String] = []
        for word in words where word.first?.isLetter ?? false {
            let letters = Array(" " + word + " ")
            guard letters.count >= 3 else { continue }
            for i in 0...(letters.count - 3) { out.append(String(letters[i..<(i + 3)])) }
        }
        return out
    }
}
