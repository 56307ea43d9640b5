import Foundation

/// One word, number or punctuation mark of a message, folded for matching, with the range of its
/// original characters so matches can point back into the customer's text.
///
/// This is the entities' own light normalisation (accents and case folded per token), kept here
/// so Entities does not wait on the Normalise stage.
struct EntityToken: Sendable, Hashable {
    enum Kind: Sendable, Hashable { case word, number, symbol }
    let text: String
    let kind: Kind
    let range: Range<String.Index>
    /// No space between this token and the previous one ("14h30", "3pm", "15:00").
    let attached: Bool

    var number: Int? { kind == .number && text.count <= 9 ? Int(text) : nil }
}

enum EntityText {
    /// Folds case and accents: "Amanhã" → "amanha", "Sábado" → "sabado", "º" → "o".
    static func fold(_ text: some StringProtocol) -> String {
        let folded = String(text).folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
        return folded.replacingOccurrences(of: "º", with: "o").replacingOccurrences(of: "ª", with: "a")
    }

    /// Splits `text` into letter runs, digit runs and single punctuation marks; spaces separate.
    static func tokens(_ text: String) -> [EntityToken] {
        var tokens: [EntityToken] = []
        var index = text.startIndex
        var attached = false
        while index < text.endIndex {
            let character = text[index]
            if character.isWhitespace {
                attached = false
                index = text.index(after: index)
                continue
            }
            let kind: EntityToken.Kind =
                character.isNumber && character.isASCII ? .number : character.isLetter ? .word : .symbol
            var end = text.index(after: index)
            if kind != .symbol {
                while end < text.endIndex {
                    let next = text[end]
                    let sameKind = kind == .number ? (next.isNumber && next.isASCII) : (next.isLetter && !next.isNumber)
                    guard sameKind else { break }
                    end = text.index(after: end)
                }
            }
            let range = index..<end
            tokens.append(EntityToken(text: fold(text[range]), kind: kind, range: range, attached: attached && !tokens.isEmpty))
            attached = true
            index = end
        }
        return tokens
    }
}
