/// Scores a classifier with a confidence on labelled queries: how often it is right, how much it
/// would answer on its own at the threshold, and whether its confidence can be trusted.
public enum IntentEvaluation {
    /// One query's outcome: the predicted label, the true one (nil for out-of-scope) and the confidence.
    public struct Prediction: Sendable, Hashable {
        public var predicted: String
        public var truth: String?
        public var confidence: Double
        public init(predicted: String, truth: String?, confidence: Double) {
            self.predicted = predicted
            self.truth = truth
            self.confidence = confidence
        }
        public var isCorrect: Bool { predicted == truth }
    }

    public struct Report: Sendable, Hashable {
        /// Top-1 accuracy on in-scope queries, whatever the confidence.
        public var accuracy: Double
        /// Share of all queries answered (confidence ≥ threshold).
        public var automation: Double
        /// Share of the answered queries that were right (an answered out-of-scope query is wrong).
        public var precision: Double
        /// Share of out-of-scope queries answered with an in-scope label.
        public var outOfScopeAnswered: Double
        /// Expected calibration error over 10 equal-width confidence bins.
        public var expectedCalibrationError: Double
        public var inScopeCount: Int, outOfScopeCount: Int
    }

    /// The report for `predictions` answered at `threshold`.
    public static func report(_ predictions: [Prediction], threshold: Double = IntentCalibration.threshold) -> Report {
        let inScope = predictions.filter { $0.truth != nil }
        let outOfScope = predictions.filter { $0.truth == nil }
        let answered = predictions.filter { $0.confidence >= threshold }
        func share(_ part: Int, _ whole: Int) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) }
        var bins = [(count: Int, confidence: Double, correct: Double)](repeating: (0, 0, 0), count: 10)
        for p in predictions {
            let bin = min(9, max(0, Int(p.confidence * 10)))
            bins[bin].count += 1
            bins[bin].confidence += p.confidence
            bins[bin].correct += p.isCorrect ? 1 : 0
        }
        let ece = bins.reduce(0.0) { sum, bin in
            bin.count == 0 ? sum : sum + Double(bin.count) / Double(predictions.count) * abs(bin.confidence - bin.correct) / Double(bin.count)
        }
        return Report(
            accuracy: share(inScope.filter(\.isCorrect).count, inScope.count),
            automation: share(answered.count, predictions.count),
            precision: share(answered.filter(\.isCorrect).count, answered.count),
            outOfScopeAnswered: share(outOfScope.filter { $0.confidence >= threshold }.count, outOfScope.count),
            expectedCalibrationError: ece,
            inScopeCount: inScope.count, outOfScopeCount: outOfScope.count)
    }

    /// Classifies each query and reports; `inScope` pairs text with its label.
    public static func evaluate(
        _ classifier: FewShotClassifier, calibration: IntentCalibration = .fitted, language: Language,
        inScope: [(text: String, label: String)], outOfScope: [String], threshold: Double = IntentCalibration.threshold
    ) -> Report {
        report(predictions(classifier, calibration: calibration, language: language, inScope: inScope, outOfScope: outOfScope),
               threshold: threshold)
    }

    /// The prediction for each query, in-scope first.
    public static func predictions(
        _ classifier: FewShotClassifier, calibration: IntentCalibration = .fitted, language: Language,
        inScope: [(text: String, label: String)], outOfScope: [String]
    ) -> [Prediction] {
        let queries = inScope.map { ($0.text, Optional($0.label)) } + outOfScope.map { ($0, String?.none) }
        return queries.map { text, truth in
            let outcome = classifier.classify(text, language: language)
            return Prediction(predicted: outcome.best ?? "", truth: truth, confidence: calibration.confidence(outcome.features))
        }
    }
}
