import Assistant
import Foundation
import Testing

/// A Portuguese smoke test on rasa-ptbr's utterances (../shared/eval, GPL, never copied here),
/// for the intents that map to ours: greetings, goodbyes and chit-chat (which is `other`). Runs
/// only when ATENDE_EVAL_DIR names that folder:
///
///     ATENDE_EVAL_DIR=/work/shared/eval swift test --skip-build --filter IntentRasaSmokeTests
@Suite struct IntentRasaSmokeTests {
    static let directory = ProcessInfo.processInfo.environment["ATENDE_EVAL_DIR"]

    static let mapping: [String: BusinessIntent] = [
        "cumprimentar": .greeting, "despedir": .thanksBye,
        "religiao": .other, "time": .other, "piada": .other, "licenca": .other, "onde_voce_mora": .other,
        "genero": .other, "musica": .other, "comida": .other, "cor": .other, "relacionamento": .other,
        "signo": .other, "historia": .other, "elogios": .other,
    ]

    /// (intent, example) pairs from a Rasa 3 nlu.yml: "- intent: x" then "    - text" lines.
    static func examples(_ yaml: String) -> [(intent: String, text: String)] {
        var current: String?, out: [(String, String)] = []
        for line in yaml.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("- intent:") {
                current = trimmed.dropFirst("- intent:".count).trimmingCharacters(in: .whitespaces)
            } else if trimmed.hasPrefix("- "), line.hasPrefix("    "), let intent = current {
                out.append((intent, String(trimmed.dropFirst(2))))
            }
        }
        return out
    }

    @Test(.enabled(if: directory != nil, "set ATENDE_EVAL_DIR to ../shared/eval"))
    func portugueseGreetingsGoodbyesAndChitChat() throws {
        let root = try #require(Self.directory) + "/rasa-ptbr/"
        let text = try String(contentsOfFile: root + "nlu.yml", encoding: .utf8) + "\n"
            + String(contentsOfFile: root + "nlu-chitchat.yml", encoding: .utf8)
        let classifier = IntentClassifier(businessLanguage: .pt)
        var totals: [BusinessIntent: (right: Int, all: Int)] = [:]
        for example in Self.examples(text) {
            guard let expected = Self.mapping[example.intent] else { continue }
            let prediction = classifier.classify(example.text, current: .pt)
            totals[expected, default: (0, 0)].all += 1
            if prediction.intent == expected { totals[expected, default: (0, 0)].right += 1 }
        }
        let right = totals.values.reduce(0) { $0 + $1.right }, all = totals.values.reduce(0) { $0 + $1.all }
        let parts = totals.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { "\($0.key.rawValue) \($0.value.right)/\($0.value.all)" }.joined(separator: ", ")
        print(String(format: "rasa-ptbr smoke: accuracy %.3f (%d/%d) — %@", Double(right) / Double(max(1, all)), right, all, parts))
        #expect(all > 0)
    }
}
