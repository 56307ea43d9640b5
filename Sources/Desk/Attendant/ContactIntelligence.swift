public import Foundation

/// What the assistant has learnt about a contact from their conversations (seed 004's "contact
/// intelligence"): a score, the signals behind it, and tags it suggests to staff.
///
/// Kept on the contact once they have sent `minimumMessages` messages, refreshed by the
/// assistant's turn in the commit that stores the turn's insights. Derived only from the insights
/// already on the customer's messages (`MessageAI`): no model, no network, and the same messages
/// always give the same result.
public struct ContactIntelligence: Codable, Sendable, Equatable {
    /// How promising and healthy the relationship looks for the business, 0…100: how likely this
    /// contact brings business now. 30 is where every contact starts; talking more, and asking to
    /// book, about prices or to pay raise it; complaints, negative messages and opting out lower it.
    /// Read it with `signals`, which say what moved it and by how much.
    public var score: Int
    /// What moved the score from `baseScore`, in the order they were counted.
    public var signals: [Signal]
    /// Tags the assistant suggests, in the business's language; staff accept one (it becomes one of
    /// the contact's tags) or dismiss it.
    public var suggestedTags: [String]
    /// Suggestions staff dismissed: never suggested again for this contact.
    public var dismissedTags: [String]
    /// The customer's messages counted (the newest `messagesRead` per conversation at most).
    public var customerMessages: Int
    public var updatedAt: Date

    /// One reason the score moved: `name` is a stable code (`engagement`, `booking`, `complaint`, …).
    public struct Signal: Codable, Sendable, Equatable {
        public var name: String
        public var points: Int
        public init(_ name: String, _ points: Int) { (self.name, self.points) = (name, points) }
    }

    /// Seed 004: the conversation is analysed once it has 3 or more messages.
    public static let minimumMessages = 3
    public static let baseScore = 30
    /// How many of a conversation's newest messages a refresh reads.
    static let messagesRead = 100
    /// Staff cannot grow the dismissed list without bound.
    static let maximumDismissed = 50

    /// The intelligence of a contact who sent `customerMessages` messages, whose insights
    /// (one per assistant turn) are `insights`, oldest first; nil below `minimumMessages`.
    ///
    /// The rules, each explainable to staff:
    /// - engagement: +2 per message, at most +20 (someone who talks is more likely to buy);
    /// - an intent that brings business counts once, however often it is repeated: booking +20,
    ///   payment +15, pricing +10, rescheduling or cancelling +5, order status +5;
    /// - a positive message +5 (once);
    /// - each complaint −15 (down to −30), each other negative message −5 (down to −15);
    /// - an opted-out contact −40 (they asked for no more messages).
    ///
    /// Suggested tags follow the intents seen (booking, pricing, payment, complaint, order) plus a
    /// "hot lead" at a score of 75 or more — only reachable with several business intents and
    /// real engagement, so the contact worth calling back first. A tag the contact already has or
    /// one staff dismissed is not suggested.
    public static func assess(customerMessages: Int, insights: [MessageAI], optedOut: Bool, tags: [String],
                              dismissed: [String], language: String, at: Date) -> ContactIntelligence? {
        guard customerMessages >= minimumMessages else { return nil }
        var signals = [Signal("engagement", min(20, 2 * customerMessages))]
        let intents = Set(insights.compactMap(\.intent))
        for (intent, points) in [("booking", 20), ("payment", 15), ("pricing", 10), ("reschedule_cancel", 5), ("order_status", 5)]
        where intents.contains(intent) {
            signals.append(Signal(intent, points))
        }
        if insights.contains(where: { $0.polarity == "positive" }) { signals.append(Signal("positive", 5)) }
        let complaints = insights.filter { $0.intent == "complaint" }.count
        if complaints > 0 { signals.append(Signal("complaint", max(-30, -15 * complaints))) }
        let negative = insights.filter { $0.intent != "complaint" && $0.polarity == "negative" }.count
        if negative > 0 { signals.append(Signal("negative", max(-15, -5 * negative))) }
        if optedOut { signals.append(Signal("opted_out", -40)) }
        let score = min(100, max(0, signals.reduce(baseScore) { $0 + $1.points }))

        var codes: [String] = []
        if intents.contains("booking") || intents.contains("reschedule_cancel") { codes.append("booking") }
        if intents.contains("pricing") { codes.append("pricing") }
        if intents.contains("payment") { codes.append("payment") }
        if intents.contains("order_status") { codes.append("order") }
        if complaints > 0 { codes.append("complaint") }
        if score >= 75 { codes.append("hot_lead") }
        let taken = Set((tags + dismissed).map(Self.fold))
        let suggested = codes.map { tagName($0, language: language) }.filter { !taken.contains(Self.fold($0)) }
        return ContactIntelligence(score: score, signals: signals, suggestedTags: suggested, dismissedTags: dismissed,
                                   customerMessages: customerMessages, updatedAt: at)
    }

    /// The suggestions that are not (yet) among `tags`: a tag staff added by hand is not suggested.
    public func suggestions(besides tags: [String]) -> [String] {
        let taken = Set(tags.map(Self.fold))
        return suggestedTags.filter { !taken.contains(Self.fold($0)) }
    }

    /// `tag` dismissed: removed from the suggestions and remembered.
    mutating func dismiss(_ tag: String) {
        let folded = Self.fold(tag)
        suggestedTags.removeAll { Self.fold($0) == folded }
        if !dismissedTags.contains(where: { Self.fold($0) == folded }) { dismissedTags.append(tag) }
        if dismissedTags.count > Self.maximumDismissed { dismissedTags.removeFirst(dismissedTags.count - Self.maximumDismissed) }
    }

    /// Tags are the business's own words, so suggestions are made in its language.
    static func tagName(_ code: String, language: String) -> String {
        tagNames[language]?[code] ?? tagNames["en"]?[code] ?? code
    }

    private static let tagNames: [String: [String: String]] = [
        "pt": ["booking": "agendamento", "pricing": "orçamento", "payment": "pagamento", "order": "pedido",
               "complaint": "reclamação", "hot_lead": "lead-quente"],
        "es": ["booking": "reserva", "pricing": "presupuesto", "payment": "pago", "order": "pedido",
               "complaint": "queja", "hot_lead": "cliente-potencial"],
        "en": ["booking": "booking", "pricing": "pricing", "payment": "payment", "order": "order",
               "complaint": "complaint", "hot_lead": "hot-lead"],
    ]

    static func fold(_ tag: String) -> String {
        tag.trimmingCharacters(in: .whitespaces).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }
}
