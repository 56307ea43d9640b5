import Assistant

/// What the assistant made of a message, kept on the message (seed 004's "AI insights").
///
/// On a customer's message: how it was understood and what the assistant decided about the turn
/// it ended. On the assistant's own reply: the decision, its confidence and the passages it came
/// from, so staff can see why it said what it said. Desk's own record of it, so the store's
/// format does not move when the pipeline's types do.
public struct MessageAI: Codable, Sendable, Equatable {
    public var language: String?
    public var intent: String?
    public var intentConfidence: Double?
    /// −1 (very negative) … 1 (very positive).
    public var sentiment: Double?
    /// negative, neutral or positive.
    public var polarity: String?
    /// normal or high.
    public var priority: String?
    /// One line for the inbox: what the customer wants.
    public var summary: String?
    public var entities: [Entity]?
    /// answer, clarify, handoff, smalltalk or wait.
    public var decision: String?
    /// The calibrated confidence of the decision, 0…1.
    public var confidence: Double?
    /// Why the conversation was handed to a person.
    public var handoffReason: String?
    /// The reply the assistant would give, for staff to send or edit (when it did not answer).
    public var suggestedReply: String?
    /// The knowledge-base passages the reply came from.
    public var sources: [Source]?
    /// offline, llm or template.
    public var composer: String?

    public struct Entity: Codable, Sendable, Equatable {
        public var kind: String
        public var text: String
        public var value: String
        public init(kind: String, text: String, value: String) { (self.kind, self.text, self.value) = (kind, text, value) }
    }

    public struct Source: Codable, Sendable, Equatable {
        /// The knowledge unit's id (a chunk of a document, or an FAQ entry).
        public var id: String
        /// The FAQ entry or document it belongs to.
        public var sourceID: String
        public var title: String
        public var score: Double
        public init(id: String, sourceID: String, title: String, score: Double) {
            (self.id, self.sourceID, self.title, self.score) = (id, sourceID, title, score)
        }
    }

    public init() {}
}

extension MessageAI {
    /// The insights kept on the customer's message, with what was decided about the turn.
    public init(understanding decision: Decision) {
        let insights = decision.insights
        self.init()
        language = insights.language.rawValue
        intent = insights.intent.rawValue
        intentConfidence = insights.intentConfidence
        sentiment = insights.sentiment
        polarity = insights.polarity
        priority = insights.priority
        summary = insights.summary
        entities = insights.entities.map { MessageAI.Entity(kind: $0.kind, text: $0.text, value: $0.value) }
        self.decision = decision.kind.rawValue
        confidence = decision.confidence
        handoffReason = decision.handoffReason?.rawValue
        suggestedReply = decision.kind == .answer || decision.kind == .smalltalk ? nil : decision.suggestedReply
    }

    /// What the assistant understood of a message in a conversation a person owns: the same
    /// insights, no decision of its own, and what it would have answered as the staff's suggestion.
    public init(forStaff decision: Decision) {
        self.init(understanding: decision)
        (self.decision, confidence, handoffReason) = (nil, nil, nil)
        suggestedReply = decision.kind == .answer ? decision.reply : decision.suggestedReply
    }

    /// Why the assistant said what it said, kept on its reply for staff.
    public init(reasons decision: Decision) {
        self.init()
        language = decision.insights.language.rawValue
        self.decision = decision.kind.rawValue
        confidence = decision.confidence
        handoffReason = decision.handoffReason?.rawValue
        composer = decision.composer
        sources = decision.sources.map { MessageAI.Source(id: $0.id, sourceID: $0.sourceID, title: $0.title, score: $0.score) }
    }
}
