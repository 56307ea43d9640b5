import Foundation

/// The front desk's judgement: reads a customer's turn and decides to answer from the knowledge
/// base, ask one clarifying question, hand the conversation to a person, reply to small talk, or
/// wait. Offline and synchronous; an optional `Rephraser` may only reword an answer already chosen.
///
/// ```swift
/// let assistant = Assistant(retriever: index, profile: BusinessProfile(name: "Studio Bela", timeZone: saoPaulo))
/// let decision = assistant.decide(Turn(texts: ["oi", "quanto custa a limpeza de pele?"], now: .now))
/// // decision.kind == .answer, decision.reply == "Oi! A limpeza de pele custa R$ 120,00.", decision.sources …
/// ```
///
/// The order of the rules (ai-pipeline.md §4.2): a request for a person, then a complaint with
/// strongly negative sentiment, then small talk or nothing to answer, then the knowledge base with
/// a calibrated confidence (`AnswerCalibration`).
public struct Assistant: Sendable {
    public let retriever: any Retriever
    public let profile: BusinessProfile
    public let classifier: IntentClassifier
    /// The answer-confidence model; the fitted one by default.
    public var calibration: AnswerCalibration = .fitted
    public var composer = OfflineComposer()
    /// Passages retrieved per turn.
    public var depth = 5
    /// How close (in fused z-score units) two candidates from different sources must be for a
    /// low-confidence turn to become a clarifying question rather than a hand-off.
    public var clarifyMargin = 0.5
    /// The share of the question's terms each of the two candidates must cover to be offered.
    public var clarifyCoverage = 0.5
    /// The least confidence worth a clarifying question; below it the turn goes to a person
    /// (ai-pipeline.md §4.2 asks between 0.45 and the threshold).
    public var clarifyFloor = 0.45
    /// Sentiment below which a complaint goes to a person at once.
    public var complaintSentiment = -0.5

    let detector = LanguageDetector()
    let analyser = Analyser(removesQuestionWords: true)

    public init(retriever: any Retriever, profile: BusinessProfile, classifier: IntentClassifier? = nil) {
        self.retriever = retriever
        self.profile = profile
        self.classifier = classifier ?? IntentClassifier(businessLanguage: profile.language)
    }

    /// Decides what to do with `turn`, offline.
    public func decide(_ turn: Turn) -> Decision {
        let text = turn.texts.joined(separator: "\n")
        let language = detector.detect(text, current: turn.conversationLanguage, fallback: profile.language).language
        let reading = TurnReading(turn.texts, language: language)
        let (understood, prediction) = understanding(text, language: language, now: turn.now)
        var insights = understood
        func ruled(_ intent: BusinessIntent) {
            insights.intent = intent
            insights.intentConfidence = max(insights.intentConfidence, Self.ruleConfidence)
        }

        if reading.asksForPerson || prediction.intent == .humanRequest {
            ruled(.humanRequest)
            return handoff(.humanRequested, confidence: 1, language: language, turn: turn, insights: insights,
                           suggestion: reading.question.isEmpty ? nil : candidate(reading.question, language: language))
        }
        if (prediction.guess == .complaint || reading.hasComplaintMarker), prediction.sentiment.score < complaintSentiment {
            ruled(.complaint)
            return handoff(.complaint, confidence: 1, language: language, turn: turn, insights: insights,
                           suggestion: reading.question.isEmpty ? nil : candidate(reading.question, language: language))
        }
        if let smallTalk = smallTalk(reading, language: language) {
            ruled(smallTalk)
            let reply = smallTalk == .thanksBye ? Templates.thanks(language, profile.tone)
                : Templates.greeting(business: profile.name, language, profile.tone)
            return Decision(kind: .smalltalk, reply: reply, confidence: 1, insights: insights, composer: "template")
        }
        if reading.question.isEmpty {
            return Decision(kind: .wait, reply: nil, confidence: 1, insights: insights, composer: "template")
        }

        // The whole turn was classified for the insights; when the question is all of it, that reading serves.
        let known = reading.question == text ? prediction : nil
        guard let found = candidate(reading.question, language: language, prediction: known) else {
            return handoff(.noAnswer, confidence: 0, language: language, turn: turn, insights: insights, suggestion: nil)
        }
        let pair = clarifyPair(found)
        if found.confidence >= profile.answerThreshold, let reply = found.reply, !(pair?.isTie ?? false) {
            let greeted = reading.hasGreeting ? Templates.greetingPrefix(language, profile.tone) + reply : reply
            return Decision(kind: .answer, reply: greeted, confidence: found.confidence, insights: insights,
                            sources: [found.passages[0]], composer: "offline")
        }
        if turn.lowConfidenceTurns >= 1 {
            return handoff(.repeatedLowConfidence, confidence: found.confidence, language: language, turn: turn,
                           insights: insights, suggestion: found)
        }
        if let (first, second, _) = pair {
            let reply = Templates.clarify(Self.label(first), Self.label(second), language, profile.tone)
            return Decision(kind: .clarify, reply: reply, confidence: found.confidence, insights: insights,
                            sources: [first, second], suggestedReply: found.reply,
                            suggestionSources: found.reply == nil ? [] : [found.passages[0]], composer: "template")
        }
        return handoff(found.reply == nil ? .noAnswer : .lowConfidence, confidence: found.confidence, language: language,
                       turn: turn, insights: insights, suggestion: found)
    }

    /// A polite holding message in `language`: why a person will reply, the business hours, and
    /// when people are back if the business is closed at `now`.
    public func holdingMessage(reason: HandoffReason, language: Language, now: Date) -> String {
        var parts = [Templates.handoffLead(reason, language, profile.tone)]
        if profile.hours.days.contains(where: { !$0.intervals.isEmpty }) {
            parts.append(Templates.hours(profile.hours.summary(language: language), language))
        }
        if !profile.hours.isOpen(at: now, timeZone: profile.timeZone),
           let opening = profile.hours.nextOpening(after: now, timeZone: profile.timeZone) {
            parts.append(Templates.closed(until: opening, now: now, timeZone: profile.timeZone, language))
        }
        return parts.joined(separator: " ")
    }

    /// The intent confidence given to a turn the rules recognised (a request for a person,
    /// greeting, thanks): rules are precise, so they carry a fixed high prior (§4.1 item 3).
    static let ruleConfidence = 0.95

    // MARK: - Pieces

    /// The best knowledge-base answer for a question: the passages, the calibrated confidence of
    /// answering with the first, and the offline reply (nil when the passage has nothing for it).
    struct Candidate {
        let passages: [Passage]
        let features: AnswerFeatures
        let confidence: Double
        let reply: String?
        let coverage: [Double]
    }

    func candidate(_ question: String, language: Language, prediction known: IntentClassifier.Prediction? = nil) -> Candidate? {
        let passages = retriever.search(question, language: language, k: depth)
        guard !passages.isEmpty else { return nil }
        let terms = Set(analyser.terms(question, language: language))
        let passageTerms = passages.map { retriever.terms(of: $0) ?? analyser.terms($0.title + "\n" + $0.text, language: language) }
        let coverage = passageTerms.map { Self.coverage(of: terms, in: $0) }
        let prediction = known ?? classifier.classify(question, current: language)
        let features = AnswerFeatures(passages: passages, coverage: coverage[0], queryTerms: terms.count, intent: prediction)
        let reply = composer.compose(question: question, from: passages[0], language: language, tone: profile.tone)
        return Candidate(passages: passages, features: features, confidence: calibration.confidence(features),
                         reply: reply, coverage: coverage)
    }

    /// The share of `terms` found in `passage`: the same term, or one with the same first five
    /// letters, so a stem the stemmer left apart still meets ("cartã" of "cartão", "cartõ" of "cartões").
    static func coverage(of terms: Set<String>, in passage: [String]) -> Double {
        guard !terms.isEmpty else { return 0 }
        return Double(met(terms, in: passage).count) / Double(terms.count)
    }

    /// The terms of `terms` that `passage` has (the same term or the same first five letters).
    static func met(_ terms: Set<String>, in passage: [String]) -> Set<String> {
        let exact = Set(passage)
        let prefixes = Set(passage.filter { $0.count >= 5 }.map { $0.prefix(5) })
        return terms.filter { exact.contains($0) || ($0.count >= 5 && prefixes.contains($0.prefix(5))) }
    }

    /// The answer features of a question, for fitting `AnswerCalibration` (nil when nothing is retrieved).
    public func answerFeatures(_ question: String, language: Language) -> (features: AnswerFeatures, passages: [Passage])? {
        candidate(question, language: language).map { ($0.features, $0.passages) }
    }

    /// The two candidates to offer when the best two come from different sources, score close
    /// and both cover most of the question; `isTie` when the second covers the question as well
    /// as the first, so answering with either would be a guess however sure the knowledge base is.
    private func clarifyPair(_ found: Candidate) -> (first: Passage, second: Passage, isTie: Bool)? {
        let top = found.passages[0]
        guard let index = found.passages.firstIndex(where: { $0.sourceID != top.sourceID }) else { return nil }
        let second = found.passages[index]
        guard top.score - second.score <= clarifyMargin, found.coverage[0] >= clarifyCoverage,
              found.coverage[index] >= clarifyCoverage, found.confidence >= clarifyFloor,
              Self.label(top) != Self.label(second) else { return nil }
        return (top, second, found.coverage[index] >= found.coverage[0])
    }

    /// What a candidate is called in a clarifying question: its FAQ question or its last heading.
    static func label(_ passage: Passage) -> String {
        let title = OfflineComposer.topic(of: passage.title) ?? passage.title
        return title.trimmingCharacters(in: CharacterSet(charactersIn: " ?¿:"))
    }

    private func smallTalk(_ reading: TurnReading, language: Language) -> BusinessIntent? {
        if reading.question.isEmpty {
            return reading.hasThanks ? .thanksBye : reading.hasGreeting ? .greeting : nil
        }
        // What the phrase lists miss ("tudo joinha?", "muito grata mesmo"): a short remainder the
        // classifier is sure is small talk.
        guard reading.question.split(separator: " ").count <= 3 else { return nil }
        let prediction = classifier.classify(reading.question, current: language)
        return prediction.intent == .greeting || prediction.intent == .thanksBye ? prediction.intent : nil
    }

    private func handoff(_ reason: HandoffReason, confidence: Double, language: Language, turn: Turn, insights: Insights,
                         suggestion: Candidate?) -> Decision {
        Decision(kind: .handoff, reply: holdingMessage(reason: reason, language: language, now: turn.now),
                 confidence: confidence, insights: insights, handoffReason: reason, suggestedReply: suggestion?.reply,
                 suggestionSources: suggestion?.reply == nil ? [] : suggestion.map { [$0.passages[0]] } ?? [],
                 composer: "template")
    }
}
