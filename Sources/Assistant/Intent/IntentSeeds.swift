/// The example phrases the business intents are learned from, written by us for Atende (no
/// third-party data): one phrase per line, per intent and language, in the register of WhatsApp
/// messages (short, lower case, chat spelling, missing accents). A business adds its own through
/// `IntentClassifier(extraExamples:)`.
enum IntentSeeds {
    static func phrases(_ language: Language) -> [BusinessIntent: [String]] {
        let table: [BusinessIntent: String]
        switch language {
        case .pt: table = portuguese
        case .es: table = spanish
        case .en: table = english
        }
        return table.mapValues { $0.split(separator: "\n").map { String($0) }.filter { !$0.isEmpty } }
    }
}
