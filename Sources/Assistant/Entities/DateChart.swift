/// A piece found over tokens `start..<end`.
struct ChartItem: Hashable, Sendable {
    let start: Int
    let end: Int
    let piece: DatePiece
    /// The item's first token touches the previous one ("3pm", "14h30").
    let attached: Bool
}

/// A composition rule: adjacent items that pass `pattern`, in order, make `produce`'s piece.
struct DateRule: Sendable {
    let name: String
    let pattern: [@Sendable (ChartItem) -> Bool]
    let produce: @Sendable ([DatePiece]) -> DatePiece?
}

/// Words and phrases of one language and the pieces they stand for.
struct DateLexicon: Sendable {
    private let entries: [String: [(tokens: [String], piece: DatePiece)]]

    init(_ pairs: [(String, DatePiece)]) {
        var entries: [String: [(tokens: [String], piece: DatePiece)]] = [:]
        for (phrase, piece) in pairs {
            let tokens = EntityText.tokens(phrase).map(\.text)
            guard let first = tokens.first else { continue }
            entries[first, default: []].append((tokens, piece))
        }
        self.entries = entries
    }

    /// Every lexicon phrase and every number in `tokens`, as chart items.
    func items(in tokens: [EntityToken]) -> [ChartItem] {
        var items: [ChartItem] = []
        for (i, token) in tokens.enumerated() {
            if let value = token.number {
                items.append(ChartItem(start: i, end: i + 1, piece: .number(value, digits: token.text.count), attached: token.attached))
            }
            for entry in entries[token.text] ?? [] where i + entry.tokens.count <= tokens.count {
                let matches = entry.tokens.indices.allSatisfy { tokens[i + $0].text == entry.tokens[$0] }
                if matches {
                    items.append(ChartItem(start: i, end: i + entry.tokens.count, piece: entry.piece, attached: token.attached))
                }
            }
        }
        // "Boa noite" says hello, not "tonight": nothing inside a greeting is a date.
        let greetings = items.filter { if case .word(.greeting) = $0.piece { true } else { false } }
        return items.filter { item in
            !greetings.contains { $0.start <= item.start && item.end <= $0.end }
        }
    }
}

/// Duckling's idea, written for us: start from the lexicon's pieces and apply every rule to
/// adjacent items until no rule makes anything new. The chart keeps every reading, so "mañana"
/// can be tomorrow and the morning at once, and the longest resolvable reading wins later.
enum DateChart {
    /// Chat messages are short; these bounds keep a pasted essay from costing more than a few ms.
    static let maxItems = 3000
    static let maxRounds = 8

    static func parse(_ tokens: [EntityToken], lexicon: DateLexicon, rules: [DateRule]) -> [ChartItem] {
        var items = lexicon.items(in: tokens)
        var seen = Set(items)
        var byStart = [[Int]](repeating: [], count: tokens.count + 1)
        for (index, item) in items.enumerated() { byStart[item.start].append(index) }

        func add(_ item: ChartItem) {
            guard items.count < maxItems, seen.insert(item).inserted else { return }
            byStart[item.start].append(items.count)
            items.append(item)
        }

        func extend(_ rule: DateRule, step: Int, end: Int, pieces: [DatePiece], first: ChartItem) {
            if step == rule.pattern.count {
                if let piece = rule.produce(pieces) {
                    add(ChartItem(start: first.start, end: end, piece: piece, attached: first.attached))
                }
                return
            }
            for index in byStart[end] {
                let next = items[index]
                if rule.pattern[step](next) {
                    extend(rule, step: step + 1, end: next.end, pieces: pieces + [next.piece], first: first)
                }
            }
        }

        for _ in 0..<maxRounds {
            let before = items.count
            for rule in rules {
                for index in 0..<items.count {
                    let item = items[index]
                    guard let test = rule.pattern.first, test(item) else { continue }
                    extend(rule, step: 1, end: item.end, pieces: [item.piece], first: item)
                }
            }
            if items.count == before || items.count >= maxItems { break }
        }
        return items
    }
}
