import Foundation

/// A text classifier trained from a few labelled examples per label, in milliseconds.
///
/// Four similarities are mixed per label: the query's cosine with the label's *centroid* and with
/// its *nearest example*, each over two views of the text — character n-grams (`HashingEmbedder`,
/// dimensions weighed by their rarity among the examples; tolerant of typos and missing accents)
/// and stemmed words (`Analyser` terms, TF-IDF). The n-grams find "remarcar" in "remarcaçao", the
/// words keep "cancel my card" and "cancel my order" apart. The mix is `Weights`; the features an
/// `IntentCalibration` turns into a probability are in `Outcome.features`.
public struct FewShotClassifier: Sendable {
    /// One labelled example; `language` picks the stemmer for its words.
    public struct Example: Sendable, Hashable {
        public var text: String
        public var label: String
        public var language: Language
        public init(_ text: String, label: String, language: Language) {
            self.text = text
            self.label = label
            self.language = language
        }
    }

    /// How much each similarity counts in a label's score (they need not sum to 1).
    public struct Weights: Sendable, Hashable {
        public var charCentroid: Float, charNearest: Float, wordCentroid: Float, wordNearest: Float
        public init(charCentroid: Float = 0.2, charNearest: Float = 0.3, wordCentroid: Float = 0.2, wordNearest: Float = 0.3) {
            self.charCentroid = charCentroid
            self.charNearest = charNearest
            self.wordCentroid = wordCentroid
            self.wordNearest = wordNearest
        }
    }

    /// A label and its mixed score.
    public struct Candidate: Sendable, Hashable {
        public let label: String
        public let score: Double
    }

    /// What the best label looked like; the input of the confidence model.
    public struct Features: Sendable, Hashable {
        /// The best label's mixed score.
        public var top: Double
        /// Best minus second-best mixed score.
        public var margin: Double
        /// The best label's nearest-example cosines: character n-grams and words.
        public var charNearest: Double, wordNearest: Double
        /// Share of the query's words that occur in any example (out-of-scope text has many new words).
        public var coverage: Double
        /// Share of the four similarities whose own best label is the chosen one.
        public var agreement: Double
        /// log(1 + number of words).
        public var logLength: Double

        public init(top: Double, margin: Double, charNearest: Double, wordNearest: Double,
                    coverage: Double, agreement: Double, logLength: Double) {
            self.top = top
            self.margin = margin
            self.charNearest = charNearest
            self.wordNearest = wordNearest
            self.coverage = coverage
            self.agreement = agreement
            self.logLength = logLength
        }

        /// The features in the order `IntentCalibration.coefficients` expects.
        public var vector: [Double] { [top, margin, charNearest, wordNearest, coverage, agreement, logLength] }
        public static let names = ["top", "margin", "charNearest", "wordNearest", "coverage", "agreement", "logLength"]
    }

    /// The ranking (best first, all labels) and the features of the best label.
    public struct Outcome: Sendable {
        public let ranking: [Candidate]
        public let features: Features
        /// The best label; nil only for a classifier without examples.
        public var best: String? { ranking.first?.label }
    }

    public let weights: Weights
    /// The labels, in the order they were first seen.
    public let labels: [String]

    private let embedder = HashingEmbedder(dimension: 4096, gramLengths: 2...5)
    private let analyser = Analyser(stemming: true, removesStopWords: true, removesQuestionWords: false)
    private let rowLabel: [Int]
    private let charIDF: [Int: Float]
    private let wordIDF: [String: Float]
    private let defaultIDF: (char: Float, word: Float)
    private var charRows = SparseIndex(), wordRows = SparseIndex()
    private var charCentroids = SparseIndex(), wordCentroids = SparseIndex()

    /// Trains on `examples`; empty texts are ignored.
    public init(examples: [Example], weights: Weights = Weights()) {
        self.weights = weights
        var labels: [String] = [], labelIndex: [String: Int] = [:]
        var rowLabel: [Int] = [], charCounts: [[Int: Float]] = [], wordCounts: [[String: Float]] = []
        let analyser = self.analyser, embedder = self.embedder
        for example in examples {
            let words = analyser.terms(example.text, language: example.language)
            let chars = Self.sparse(embedder.embed(example.text))
            guard !chars.isEmpty || !words.isEmpty else { continue }
            let index = labelIndex[example.label] ?? { labels.append(example.label); labelIndex[example.label] = labels.count - 1; return labels.count - 1 }()
            rowLabel.append(index)
            charCounts.append(chars)
            wordCounts.append(Self.counts(words))
        }
        self.labels = labels
        self.rowLabel = rowLabel
        // Inverse document frequency over the examples, smoothed; unseen features weigh the most.
        let n = Float(rowLabel.count)
        var charDF: [Int: Float] = [:], wordDF: [String: Float] = [:]
        for row in charCounts { for key in row.keys { charDF[key, default: 0] += 1 } }
        for row in wordCounts { for key in row.keys { wordDF[key, default: 0] += 1 } }
        let idf = { (df: Float) in log((n + 1) / (df + 1)) + 1 }
        charIDF = charDF.mapValues(idf)
        wordIDF = wordDF.mapValues(idf)
        defaultIDF = (idf(0), idf(0))

        var charSums = [[Int: Float]](repeating: [:], count: labels.count)
        var wordSums = [[Int: Float]](repeating: [:], count: labels.count)
        var vocabulary: [String: Int] = [:]
        for (row, label) in rowLabel.enumerated() {
            let chars = Self.unit(Self.weigh(charCounts[row], charIDF, defaultIDF.char))
            var words: [Int: Float] = [:]
            for (term, weight) in Self.weigh(wordCounts[row], wordIDF, defaultIDF.word) {
                let id = vocabulary[term] ?? { vocabulary[term] = vocabulary.count; return vocabulary.count - 1 }()
                words[id] = weight
            }
            words = Self.unit(words)
            charRows.append(chars)
            wordRows.append(words)
            for (k, v) in chars { charSums[label][k, default: 0] += v }
            for (k, v) in words { wordSums[label][k, default: 0] += v }
        }
        self.vocabulary = vocabulary
        for label in labels.indices {
            charCentroids.append(charSums[label])
            wordCentroids.append(wordSums[label])
        }
    }

    private let vocabulary: [String: Int]

    /// Ranks every label for `text` read as `language`.
    public func classify(_ text: String, language: Language) -> Outcome {
        let terms = analyser.terms(text, language: language)
        let chars = Self.weigh(Self.sparse(embedder.embed(text)), charIDF, defaultIDF.char)
        var words: [Int: Float] = [:]
        var known = 0
        for (term, weight) in Self.weigh(Self.counts(terms), wordIDF, defaultIDF.word) {
            guard let id = vocabulary[term] else { continue }
            words[id] = weight
        }
        for term in terms where vocabulary[term] != nil { known += 1 }

        let similarities: [[Float]] = [
            charCentroids.cosines(chars), Self.nearest(charRows.cosines(chars), rowLabel, labels.count),
            wordCentroids.cosines(words), Self.nearest(wordRows.cosines(words), rowLabel, labels.count),
        ]
        let mix = [weights.charCentroid, weights.charNearest, weights.wordCentroid, weights.wordNearest]
        var scores = [Double](repeating: 0, count: labels.count)
        for (similarity, weight) in zip(similarities, mix) {
            for i in scores.indices { scores[i] += Double(weight * similarity[i]) }
        }
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        let ranking = order.map { Candidate(label: labels[$0], score: scores[$0]) }
        guard let best = order.first else {
            return Outcome(ranking: [], features: Features(top: 0, margin: 0, charNearest: 0, wordNearest: 0, coverage: 0, agreement: 0, logLength: 0))
        }
        let second = order.count > 1 ? scores[order[1]] : 0
        let agreeing = similarities.filter { s in s.indices.max { s[$0] < s[$1] } == best }.count
        let wordCount = Normaliser.split(Normaliser(emoji: .drop).clean(text), keepEmoji: false).count
        let features = Features(
            top: scores[best], margin: scores[best] - second,
            charNearest: Double(similarities[1][best]), wordNearest: Double(similarities[3][best]),
            coverage: terms.isEmpty ? 0 : Double(known) / Double(terms.count),
            agreement: Double(agreeing) / 4, logLength: log(1 + Double(wordCount)))
        return Outcome(ranking: ranking, features: features)
    }

    // MARK: - Vectors

    private static func sparse(_ dense: [Float]) -> [Int: Float] {
        var out: [Int: Float] = [:]
        for (i, v) in dense.enumerated() where v != 0 { out[i] = v }
        return out
    }

    private static func counts(_ terms: [String]) -> [String: Float] {
        var out: [String: Float] = [:]
        for term in terms { out[term, default: 0] += 1 }
        return out.mapValues { 1 + log($0) }  // sublinear term frequency
    }

    private static func weigh<K: Hashable>(_ vector: [K: Float], _ idf: [K: Float], _ unseen: Float) -> [K: Float] {
        var out = vector
        for (k, v) in vector { out[k] = v * (idf[k] ?? unseen) }
        return out
    }

    private static func unit(_ vector: [Int: Float]) -> [Int: Float] {
        let norm = vector.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? vector.mapValues { $0 / norm } : vector
    }

    /// The highest row cosine per label.
    private static func nearest(_ rows: [Float], _ rowLabel: [Int], _ labelCount: Int) -> [Float] {
        var out = [Float](repeating: 0, count: labelCount)
        for (row, cosine) in rows.enumerated() where cosine > out[rowLabel[row]] { out[rowLabel[row]] = cosine }
        return out
    }
}
