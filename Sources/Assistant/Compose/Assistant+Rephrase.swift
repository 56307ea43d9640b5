import Foundation

extension Assistant {
    /// Decides offline, then lets `rephraser` reword an `.answer` from the same evidence. The
    /// rewording is used only when it is a non-empty reply of reasonable length, not "HANDOFF", and
    /// states no fact missing from the evidence (`EvidenceCheck`); otherwise, or when the rephraser
    /// throws, the offline reply stands. Every other decision is returned as decided offline.
    public func decide(_ turn: Turn, rephraser: (any Rephraser)?) async -> Decision {
        let offline = decide(turn)
        guard let rephraser, offline.kind == .answer, let offlineReply = offline.reply, !offline.sources.isEmpty else {
            return offline
        }
        let evidence = offline.sources.map(\.text)
        let question = turn.texts.joined(separator: " ")
        guard let rephrased = try? await rephraser.rephrase(question: question, evidence: evidence,
                                                            language: offline.insights.language, tone: profile.tone) else {
            return offline
        }
        let reply = rephrased.trimmingCharacters(in: .whitespacesAndNewlines)
        let limit = max(composer.maximumLength, offlineReply.count) + 200
        guard !reply.isEmpty, reply.count <= limit, !reply.uppercased().contains("HANDOFF"),
              EvidenceCheck.unsupportedFacts(in: reply, evidence: evidence).isEmpty else {
            return offline
        }
        var decision = offline
        let prefix = Templates.greetingPrefix(offline.insights.language, profile.tone)
        decision.reply = offlineReply.hasPrefix(prefix) && !reply.hasPrefix(prefix.trimmingCharacters(in: .whitespaces))
            ? prefix + reply : reply
        decision.composer = "llm"
        return decision
    }
}
