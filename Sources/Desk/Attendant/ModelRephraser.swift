import Assistant
import Channels

/// An OpenAI-compatible model as the pipeline's `Rephraser`: it is shown only the retrieved
/// evidence and asked to answer from it alone, or to say HANDOFF. What it returns is checked by
/// the pipeline (`EvidenceCheck`) before anything is sent; its deadline and its one retry are
/// the client's.
struct ModelRephraser: Rephraser {
    let client: ChatCompletionsClient
    let key: String?
    let businessName: String

    func rephrase(question: String, evidence: [String], language: Language, tone: Tone) async throws -> String {
        let languageName = switch language {
        case .pt: "Brazilian Portuguese"
        case .es: "Spanish"
        case .en: "English"
        }
        let business = businessName.isEmpty ? "a small business" : businessName
        let system = """
        You answer customers of \(business) on WhatsApp. Answer the customer's question using ONLY the facts in \
        the context below; never add a price, number, date, time, phone number or link that is not in it. \
        Reply in \(languageName), in a \(tone == .formal ? "formal" : "friendly") tone, in at most three short \
        sentences. If the context does not answer the question, reply with exactly: HANDOFF
        """
        let context = evidence.map { "- \($0)" }.joined(separator: "\n")
        return try await client.complete([.system(system), .user("Context:\n\(context)\n\nQuestion: \(question)")], apiKey: key)
    }
}
