import Assistant
import Desk
import Foundation
import Hummingbird

/// Settings → Assistant (its hours, tone, human-first wait, optional model and the business's own
/// example phrases per intent), the model's key
/// (sealed, never shown), and "try a question": what the assistant would answer, with the
/// passages it found, its confidence and its decision — nothing stored or sent.
struct AssistantController {
    let attendant: Attendant

    func addRoutes(to routes: RouteRegistrar) {
        routes.add(APIRoutes.getAssistantSettings) { _, _ in
            try jsonResponse(AssistantSettingsView(try attendant.settings(), hasKey: attendant.hasLLMKey))
        }
        routes.add(APIRoutes.updateAssistantSettings) { request, context in
            let body = try await request.decodeJSON(as: AssistantSettingsBody.self, context: context)
            let settings = try await attendant.update(try body.applied(to: try attendant.settings()), by: context.requester)
            return try jsonResponse(AssistantSettingsView(settings, hasKey: attendant.hasLLMKey))
        }
        routes.add(APIRoutes.setLLMKey) { request, context in
            let body = try await request.decodeJSON(as: LLMKeyBody.self, context: context)
            try await attendant.setLLMKey(body.key, by: context.requester)
            return Response(status: .noContent)
        }
        routes.add(APIRoutes.deleteLLMKey) { _, context in
            try await attendant.setLLMKey(nil, by: context.requester)
            return Response(status: .noContent)
        }
        routes.add(APIRoutes.tryAssistant) { request, context in
            let body = try await request.decodeJSON(as: TryBody.self, context: context)
            var language: Language?
            if let tag = body.language {
                guard let parsed = Language(rawValue: tag) else { throw DeskError.invalid("language", "The language is pt, es or en.") }
                language = parsed
            }
            let (decision, passages) = try await attendant.preview(body.text, language: language)
            return try jsonResponse(TryView(decision: decision, passages: passages))
        }
    }
}

/// The AssistantSettings object.
struct AssistantSettingsView: Encodable {
    let settings: AssistantSettings
    let hasKey: Bool
    init(_ settings: AssistantSettings, hasKey: Bool) { (self.settings, self.hasKey) = (settings, hasKey) }

    enum CodingKeys: String, CodingKey {
        case enabled, business_name, language, time_zone, hours, tone, answer_threshold, human_first_seconds, burst_cap_seconds, llm
        case intent_examples
    }
    struct LLMView: Encodable { let enabled: Bool; let base_url: String; let model: String; let has_key: Bool }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(settings.enabled, forKey: .enabled)
        try c.encode(settings.businessName, forKey: .business_name)
        try c.encode(settings.language.rawValue, forKey: .language)
        try c.encode(settings.timeZone, forKey: .time_zone)
        try c.encode(settings.hours, forKey: .hours)
        try c.encode(settings.tone.rawValue, forKey: .tone)
        try c.encode(settings.answerThreshold, forKey: .answer_threshold)
        try c.encode(settings.humanFirstSeconds, forKey: .human_first_seconds)
        try c.encode(settings.burstCapSeconds, forKey: .burst_cap_seconds)
        try c.encode(LLMView(enabled: settings.llm.enabled, base_url: settings.llm.baseURL, model: settings.llm.model, has_key: hasKey),
                     forKey: .llm)
        try c.encode(settings.intentExamples ?? [:], forKey: .intent_examples)
    }
}

/// A change to the settings: fields left out keep their value.
struct AssistantSettingsBody: Decodable {
    let enabled: Bool?
    let business_name: String?
    let language: String?
    let time_zone: String?
    let hours: HoursBody?
    let tone: String?
    let answer_threshold: Double?
    let human_first_seconds: Int?
    let burst_cap_seconds: Int?
    let llm: LLMBody?
    /// Replaces every example phrase: intent name → phrases (an empty list or object removes them).
    let intent_examples: [String: [String]]?
    struct LLMBody: Decodable { let enabled: Bool?; let base_url: String?; let model: String? }
    /// The week's opening intervals (minutes from midnight, weekday 1 = Sunday) and holidays (YYYY-MM-DD, optional).
    struct HoursBody: Decodable { let days: [BusinessHours.Day]; let holidays: [String]? }

    func applied(to current: AssistantSettings) throws -> AssistantSettings {
        var settings = current
        if let enabled { settings.enabled = enabled }
        if let business_name { settings.businessName = business_name.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let language {
            guard let parsed = Language(rawValue: language) else { throw DeskError.invalid("language", "The language is pt, es or en.") }
            settings.language = parsed
        }
        if let time_zone { settings.timeZone = time_zone }
        if let hours { settings.hours = BusinessHours(days: hours.days, holidays: hours.holidays ?? []) }
        if let tone {
            guard let parsed = Tone(rawValue: tone) else { throw DeskError.invalid("tone", "The tone is friendly or formal.") }
            settings.tone = parsed
        }
        if let answer_threshold { settings.answerThreshold = answer_threshold }
        if let human_first_seconds { settings.humanFirstSeconds = human_first_seconds }
        if let burst_cap_seconds { settings.burstCapSeconds = burst_cap_seconds }
        if let llm {
            if let enabled = llm.enabled { settings.llm.enabled = enabled }
            if let url = llm.base_url { settings.llm.baseURL = url.trimmingCharacters(in: .whitespaces) }
            if let model = llm.model { settings.llm.model = model.trimmingCharacters(in: .whitespaces) }
        }
        if let intent_examples { settings.intentExamples = AssistantSettings.tidied(intent_examples) }
        return settings
    }
}

struct LLMKeyBody: Decodable { let key: String }
struct TryBody: Decodable { let text: String; let language: String? }

/// The AssistantTry object: the decision with everything that led to it.
struct TryView: Encodable {
    let decision: Decision
    /// What the knowledge base offered, best first (the decision's sources among them).
    let passages: [Passage]

    enum CodingKeys: String, CodingKey { case decision, reply, confidence, composer, handoff_reason, suggested_reply, insights, passages }
    struct PassageView: Encodable {
        let id: String, source_id: String, title: String, text: String, score: Double
        let lexical_score: Double?, dense_score: Double?
        enum CodingKeys: String, CodingKey { case id, source_id, title, text, score, lexical_score, dense_score }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id); try c.encode(source_id, forKey: .source_id); try c.encode(title, forKey: .title)
            try c.encode(text, forKey: .text); try c.encode(score, forKey: .score)
            try c.encode(lexical_score, forKey: .lexical_score); try c.encode(dense_score, forKey: .dense_score)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(decision.kind.rawValue, forKey: .decision)
        try c.encode(decision.reply, forKey: .reply)
        try c.encode(decision.confidence, forKey: .confidence)
        try c.encode(decision.composer, forKey: .composer)
        try c.encode(decision.handoffReason?.rawValue, forKey: .handoff_reason)
        try c.encode(decision.suggestedReply, forKey: .suggested_reply)
        try c.encode(MessageAIView(MessageAI(understanding: decision)), forKey: .insights)
        try c.encode(passages.map {
            PassageView(id: $0.id, source_id: $0.sourceID, title: $0.title, text: $0.text, score: $0.score,
                        lexical_score: $0.lexicalScore, dense_score: $0.denseScore)
        }, forKey: .passages)
    }
}
