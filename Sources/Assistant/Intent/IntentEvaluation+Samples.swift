extension IntentEvaluation {
    /// The intent of a message the business does not handle.
    public static let outOfScope = "oos"

    /// One labelled text of an evaluation set; `intent` is `IntentEvaluation.outOfScope` ("oos")
    /// for a message the business does not handle.
    public struct Sample: Sendable, Hashable {
        public var text: String
        public var intent: String
        public var language: Language
        public init(_ text: String, intent: String, language: Language) {
            self.text = text
            self.intent = intent
            self.language = language
        }
        public var isOutOfScope: Bool { intent == IntentEvaluation.outOfScope }
    }

    /// A classifier trained on one set and scored on another, with what each query looked like.
    public struct Run: Sendable {
        public let report: Report
        /// One per test sample, in the test set's order.
        public let predictions: [Prediction]
        /// The classifier's features for each test sample (the input of `IntentCalibration`).
        public let features: [FewShotClassifier.Features]
        /// Labels learnt, training examples learnt, out-of-scope training lines left out.
        public let labels: Int, examples: Int, outOfScopeExamples: Int

        /// The features as the tab-separated table `bench/assistant/fit_intent_calibration.py`
        /// reads: `correct`, `inScope`, then `FewShotClassifier.Features.names`.
        public var featureTable: String {
            var lines = [(["correct", "inScope"] + FewShotClassifier.Features.names).joined(separator: "\t")]
            for (prediction, features) in zip(predictions, features) {
                let head = [prediction.isCorrect ? "1" : "0", prediction.truth == nil ? "0" : "1"]
                lines.append((head + features.vector.map { String($0) }).joined(separator: "\t"))
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    /// Trains a `FewShotClassifier` on the in-scope samples of `train` and scores it on `test` at
    /// `threshold`. Out-of-scope training samples are left out: the classifier learns only what
    /// the business handles, and the calibrated confidence keeps the rest from being answered.
    /// This is what `atende eval intents` runs.
    public static func run(
        train: [Sample], test: [Sample], calibration: IntentCalibration = .fitted,
        threshold: Double = IntentCalibration.threshold
    ) -> Run {
        let learnt = train.filter { !$0.isOutOfScope }
        let classifier = FewShotClassifier(examples: learnt.map { .init($0.text, label: $0.intent, language: $0.language) })
        var predictions: [Prediction] = [], features: [FewShotClassifier.Features] = []
        predictions.reserveCapacity(test.count)
        for sample in test {
            let outcome = classifier.classify(sample.text, language: sample.language)
            features.append(outcome.features)
            predictions.append(Prediction(predicted: outcome.best ?? "", truth: sample.isOutOfScope ? nil : sample.intent,
                                          confidence: calibration.confidence(outcome.features)))
        }
        return Run(report: report(predictions, threshold: threshold), predictions: predictions, features: features,
                   labels: classifier.labels.count, examples: learnt.count, outOfScopeExamples: train.count - learnt.count)
    }
}
