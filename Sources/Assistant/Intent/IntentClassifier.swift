/// The front desk's intent classifier: which `BusinessIntent` a chat message has, how sure it is,
/// how the customer feels and how urgent it is.
///
/// Learned at start-up (milliseconds) from our seed phrases in Portuguese, Spanish and English
/// (`IntentSeeds`) plus the business's own examples, with a `FewShotClassifier`. `confidence` is
/// calibrated (`IntentCalibration`); below `IntentCalibration.threshold` the intent is `.other`, so
/// the assistant asks or hands over instead of guessing.
public struct IntentClassifier: Sendable {
    /// What the classifier made of one message.
    public struct Prediction: Sendable {
        /// The intent to act on: `guess` when `confidence` reaches the threshold, otherwise `.other`.
        public let intent: BusinessIntent
        /// The best-scoring intent, whatever the confidence.
        public let guess: BusinessIntent
        /// The calibrated probability, in [0, 1], that `guess` is right.
        public let confidence: Double
        /// Every intent with its mixed similarity score, best first.
        public let ranking: [(intent: BusinessIntent, score: Double)]
        /// The language the message was read as.
        public let language: Language
        public let sentiment: Sentiment
        public let priority: Priority
    }

    public enum Priority: String, Sendable, Hashable { case normal, high }

    public let calibration: IntentCalibration
    private let classifier: FewShotClassifier
    private let detector = LanguageDetector()

    /// - Parameters:
    ///   - extraExamples: the business's own phrases per intent, added to the seeds; their language
    ///     is detected, falling back to `businessLanguage`.
    ///   - businessLanguage: the language a message is read as when detection abstains.
    ///   - calibration: the confidence model; the fitted one by default.
    public init(extraExamples: [BusinessIntent: [String]] = [:], businessLanguage: Language = .pt,
                calibration: IntentCalibration = .fitted) {
        var examples: [FewShotClassifier.Example] = []
        for language in Language.allCases {
            for (intent, phrases) in IntentSeeds.phrases(language).sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                examples += phrases.map { .init($0, label: intent.rawValue, language: language) }
            }
        }
        let detector = LanguageDetector()
        for (intent, phrases) in extraExamples.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            examples += phrases.map {
                .init($0, label: intent.rawValue, language: detector.detect($0, current: nil, fallback: businessLanguage).language)
            }
        }
        self.classifier = FewShotClassifier(examples: examples)
        self.calibration = calibration
        self.businessLanguage = businessLanguage
    }

    private let businessLanguage: Language

    /// Classifies `text`; `current` is the conversation's language so far, if any.
    public func classify(_ text: String, current: Language? = nil) -> Prediction {
        let language = detector.detect(text, current: current, fallback: businessLanguage).language
        let outcome = classifier.classify(text, language: language)
        let ranking = outcome.ranking.compactMap { c in BusinessIntent(rawValue: c.label).map { ($0, c.score) } }
        let guess = ranking.first?.0 ?? .other
        let confidence = calibration.confidence(outcome.features)
        let intent = confidence >= IntentCalibration.threshold ? guess : .other
        let sentiment = Sentiment(of: text, language: language)
        let urgent = Self.isUrgent(text, language: language)
        let priority: Priority = urgent || (guess == .complaint && sentiment.score <= -0.5) ? .high : .normal
        return Prediction(intent: intent, guess: guess, confidence: confidence, ranking: ranking,
                          language: language, sentiment: sentiment, priority: priority)
    }

    /// Urgency cues in any of our languages ("urgente", "emergência", "asap", "right now").
    static func isUrgent(_ text: String, language: Language) -> Bool {
        let folded = " " + Normaliser.fold(Normaliser().clean(text)) + " "
        let cues = ["urgent", "emergenc", "socorro", "imediatamente", "agora mesmo", "o quanto antes", "ya mismo",
                    "cuanto antes", "asap", "right now", "immediately", "help!"]
        return cues.contains { folded.contains($0) }
    }
}
