import Foundation

/// How the business wants its replies to sound.
public enum Tone: String, Sendable, Codable, CaseIterable { case friendly, formal }

/// What the assistant knows about the business it answers for.
public struct BusinessProfile: Sendable {
    public var name: String
    /// The language staff read and the assistant falls back to when a message does not say.
    public var language: Language
    public var timeZone: TimeZone
    public var hours: BusinessHours
    public var tone: Tone
    /// The calibrated confidence an answer needs before it is sent without a person (0…1).
    public var answerThreshold: Double

    public init(name: String, language: Language = .pt, timeZone: TimeZone, hours: BusinessHours = .standard,
                tone: Tone = .friendly, answerThreshold: Double = 0.7) {
        self.name = name
        self.language = language
        self.timeZone = timeZone
        self.hours = hours
        self.tone = tone
        self.answerThreshold = answerThreshold
    }
}

/// One customer turn: the messages that arrived together while the assistant waited (a burst),
/// read as one.
public struct Turn: Sendable {
    /// The customer's messages, oldest first.
    public var texts: [String]
    /// The conversation's language so far, if any.
    public var conversationLanguage: Language?
    /// How many turns in a row, just before this one, ended low-confidence (a clarifying question).
    public var lowConfidenceTurns: Int
    public var now: Date

    public init(texts: [String], conversationLanguage: Language? = nil, lowConfidenceTurns: Int = 0, now: Date) {
        self.texts = texts
        self.conversationLanguage = conversationLanguage
        self.lowConfidenceTurns = lowConfidenceTurns
        self.now = now
    }
}

/// What the assistant does with a turn.
public enum DecisionKind: String, Sendable, Codable, CaseIterable {
    /// Reply from the knowledge base.
    case answer
    /// Ask one question offering the two closest candidates.
    case clarify
    /// Hand the conversation to a person (with `Decision.handoffReason`) and send a holding message.
    case handoff
    /// A greeting or thanks: a short reply, no knowledge-base answer, no hand-off.
    case smalltalk
    /// Nothing to answer ("ok", "👍", media only): send nothing.
    case wait
}

/// Why a conversation goes to a person.
public enum HandoffReason: String, Sendable, Codable, CaseIterable {
    case humanRequested = "human_requested"
    case complaint
    case lowConfidence = "low_confidence"
    case repeatedLowConfidence = "repeated_low_confidence"
    case noAnswer = "no_answer"
}

/// The "AI insights" stored on an inbound message and shown to staff (seed 004).
public struct Insights: Sendable, Codable, Equatable {
    public var language: Language
    public var intent: BusinessIntent
    /// The calibrated probability that `intent` is right.
    public var intentConfidence: Double
    /// −1 … 1.
    public var sentiment: Double
    /// negative | neutral | positive
    public var polarity: String
    /// normal | high
    public var priority: String
    /// One line for the inbox: "Pergunta sobre preço: limpeza de pele".
    public var summary: String
    public var entities: [InsightEntity]

    public init(language: Language, intent: BusinessIntent, intentConfidence: Double, sentiment: Double,
                polarity: String, priority: String, summary: String, entities: [InsightEntity]) {
        self.language = language
        self.intent = intent
        self.intentConfidence = intentConfidence
        self.sentiment = sentiment
        self.polarity = polarity
        self.priority = priority
        self.summary = summary
        self.entities = entities
    }
}

/// One entity found in a message: `kind` date | money | phone | email | name, the `text` as
/// written and its normalised `value` (ISO 8601 date or "start/end" interval in the business time
/// zone, "BRL 120.00", E.164 phone, lower-case e-mail, the name).
public struct InsightEntity: Sendable, Codable, Equatable {
    public var kind: String
    public var text: String
    public var value: String

    public init(kind: String, text: String, value: String) {
        self.kind = kind
        self.text = text
        self.value = value
    }
}

/// The assistant's verdict on one turn.
public struct Decision: Sendable {
    public var kind: DecisionKind
    /// The text to send; nil only for `.wait`.
    public var reply: String?
    /// The calibrated probability, 0…1, that answering from `sources` is right (1 for the rules:
    /// small talk, a request for a person, a complaint).
    public var confidence: Double
    public var insights: Insights
    /// The passages the reply came from (empty when none).
    public var sources: [Passage]
    public var handoffReason: HandoffReason?
    /// For staff when the assistant does not answer: the best offline answer, if any.
    public var suggestedReply: String?
    /// "offline", "llm" or "template".
    public var composer: String
    /// The passage `suggestedReply` came from (empty when none), for staff to check it.
    public var suggestionSources: [Passage]

    public init(kind: DecisionKind, reply: String?, confidence: Double, insights: Insights, sources: [Passage] = [],
                handoffReason: HandoffReason? = nil, suggestedReply: String? = nil,
                suggestionSources: [Passage] = [], composer: String) {
        self.suggestionSources = suggestionSources
        self.kind = kind
        self.reply = reply
        self.confidence = confidence
        self.insights = insights
        self.sources = sources
        self.handoffReason = handoffReason
        self.suggestedReply = suggestedReply
        self.composer = composer
    }
}

/// A language model that may only rephrase retrieved evidence; implemented elsewhere over HTTP
/// (Ollama, llama.cpp server, OpenAI-compatible).
public protocol Rephraser: Sendable {
    /// Rewrites the evidence as a short reply; may return "HANDOFF" when the evidence does not answer.
    func rephrase(question: String, evidence: [String], language: Language, tone: Tone) async throws -> String
}
