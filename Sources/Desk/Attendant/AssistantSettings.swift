public import Assistant
public import Foundation

/// How the assistant works for this business (Settings → Assistant). One document in the store;
/// every field has a default that runs, so a fresh install answers from its knowledge base.
public struct AssistantSettings: Codable, Sendable, Equatable {
    /// Whether the assistant answers customers at all (each conversation can also be switched off).
    public var enabled = true
    /// The name the assistant greets with ("Clínica Sorriso").
    public var businessName = ""
    /// The business's language: replies fall back to it when a message does not say.
    public var language: Language = .pt
    /// The business's time zone (tz database name): dates, hours and "amanhã" are read in it.
    public var timeZone = "America/Sao_Paulo"
    public var hours: BusinessHours = .standard
    public var tone: Tone = .friendly
    /// The calibrated confidence an answer needs to go out without a person (0.5…0.99).
    public var answerThreshold = 0.7
    /// Human first: how long the assistant waits for a person to answer before it does (0 = at once).
    public var humanFirstSeconds = 60
    /// Messages in a burst restart the wait, but a turn is answered at most this long after its first message.
    public var burstCapSeconds = 180
    /// An optional OpenAI-compatible model that may rephrase the evidence (never add to it).
    /// Its key, if it needs one, is in the vault as `assistant.llm_key`.
    public var llm = LLMSettings()
    /// The business's own example phrases per intent (keyed by `BusinessIntent` raw value), added to
    /// our seed phrases when the intent classifier is trained: "tem horário pro banho e tosa?" →
    /// booking. Nil (as in documents from before it existed) means none.
    public var intentExamples: [String: [String]]? = nil

    public struct LLMSettings: Codable, Sendable, Equatable {
        public var enabled = false
        /// With the `/v1`: `http://127.0.0.1:11434/v1` (Ollama), `https://api.openai.com/v1`.
        public var baseURL = ""
        public var model = ""
        public init() {}
    }

    public init() {}

    /// Limits on the business's example phrases: per intent, in all, and per phrase (characters).
    public static let maximumExamplesPerIntent = 30
    public static let maximumExamples = 200
    public static let maximumExampleLength = 200

    /// The intents a business may teach phrases for: every one but `other`, which is what the
    /// classifier answers when it is not sure (it has no phrases of its own).
    public static var teachableIntents: [BusinessIntent] { BusinessIntent.allCases.filter { $0 != .other } }

    /// Example phrases as a person typed them, made ready to store: each trimmed, repeats
    /// (whatever their case) dropped, intents left with no phrase removed; nil when none is left.
    /// A blank phrase stays (as "") so validation names its intent.
    public static func tidied(_ examples: [String: [String]]) -> [String: [String]]? {
        var tidy: [String: [String]] = [:]
        for (intent, phrases) in examples {
            var seen = Set<String>()
            let kept = phrases.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { seen.insert($0.lowercased()).inserted }
            if !kept.isEmpty { tidy[intent] = kept }
        }
        return tidy.isEmpty ? nil : tidy
    }

    /// `intentExamples` by intent, for the classifier.
    public var extraExamples: [BusinessIntent: [String]] {
        var examples: [BusinessIntent: [String]] = [:]
        for (name, phrases) in intentExamples ?? [:] { if let intent = BusinessIntent(rawValue: name) { examples[intent] = phrases } }
        return examples
    }

    /// The vault name of the LLM provider's key.
    public static let llmKeyName = "assistant.llm_key"

    /// The time zone, known to be valid once `validate()` passed.
    public var zone: TimeZone { TimeZone(identifier: timeZone) ?? TimeZone(identifier: "America/Sao_Paulo")! }

    /// - Throws: `.invalidField` naming the first setting that cannot work.
    public func validate() throws(DeskError) {
        guard businessName.count <= 100 else { throw DeskError.invalid("business_name", "The business name is at most 100 characters.") }
        guard TimeZone(identifier: timeZone) != nil else {
            throw DeskError.invalid("time_zone", "Use a tz database name such as America/Sao_Paulo.")
        }
        do { try hours.validate() } catch {
            throw DeskError.invalid(error.part == .holidays ? "hours.holidays" : "hours", error.message)
        }
        guard (0.5...0.99).contains(answerThreshold) else {
            throw DeskError.invalid("answer_threshold", "The answer threshold is between 0.5 and 0.99.")
        }
        guard (0...3600).contains(humanFirstSeconds) else {
            throw DeskError.invalid("human_first_seconds", "The human-first wait is 0 to 3600 seconds.")
        }
        guard (humanFirstSeconds...7200).contains(burstCapSeconds) else {
            throw DeskError.invalid("burst_cap_seconds", "The burst cap is at least the human-first wait and at most 7200 seconds.")
        }
        try validateExamples()
        if llm.enabled {
            guard let url = URL(string: llm.baseURL), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host != nil,
                  llm.baseURL.count <= 300 else {
                throw DeskError.invalid("llm.base_url", "The model's base URL is an http(s) URL such as http://127.0.0.1:11434/v1.")
            }
            guard (1...200).contains(llm.model.count) else { throw DeskError.invalid("llm.model", "Name the model (1 to 200 characters).") }
        }
    }

    private func validateExamples() throws(DeskError) {
        let examples = intentExamples ?? [:]
        for name in examples.keys.sorted() {
            guard let intent = BusinessIntent(rawValue: name), intent != .other else {
                let known = Self.teachableIntents.map(\.rawValue).joined(separator: ", ")
                throw DeskError.invalid("intent_examples", "“\(name.prefix(40))” is not an intent; use one of \(known).")
            }
            let phrases = examples[name] ?? []
            let field = "intent_examples.\(name)"
            guard phrases.count <= Self.maximumExamplesPerIntent else {
                throw DeskError.invalid(field, "At most \(Self.maximumExamplesPerIntent) phrases per intent.")
            }
            for phrase in phrases {
                let trimmed = phrase.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !trimmed.isEmpty, trimmed == phrase, phrase.count <= Self.maximumExampleLength, !phrase.contains(where: \.isNewline) else {
                    throw DeskError.invalid(field, "Each phrase is 1 to \(Self.maximumExampleLength) characters on one line, not blank.")
                }
            }
        }
        guard examples.values.reduce(0, { $0 + $1.count }) <= Self.maximumExamples else {
            throw DeskError.invalid("intent_examples", "At most \(Self.maximumExamples) example phrases in all.")
        }
    }

    /// The profile the pipeline reads.
    var profile: BusinessProfile {
        BusinessProfile(name: businessName, language: language, timeZone: zone, hours: hours, tone: tone, answerThreshold: answerThreshold)
    }
}
