import Foundation

/// Finds the entities a front desk needs in a customer's message: dates and times, money, phone
/// numbers, e-mail addresses and the customer's name.
///
/// Dates are resolved against a reference instant in the business's time zone through
/// Foundation's `Calendar`, never a fixed UTC offset:
///
/// ```swift
/// let entities = EntityExtractor(language: .pt, timeZone: TimeZone(identifier: "America/Sao_Paulo")!,
///                                businessHours: 8..<19)
/// entities.dates(in: "amanhã às 2", reference: .now)   // tomorrow 14:00, grain .hour
/// ```
public struct EntityExtractor: Sendable {
    public let language: Language
    public let timeZone: TimeZone
    /// Opening hours as hours of the day [from, to), to read an hour said without am/pm inside
    /// them ("às 2" → 14:00). Without them an hour is the next one to come, as Duckling reads it.
    public let businessHours: Range<Int>?

    private let lexicon: DateLexicon
    private let rules: [DateRule]
    private let clock: WallClock

    public init(language: Language, timeZone: TimeZone, businessHours: Range<Int>? = nil) {
        (self.language, self.timeZone, self.businessHours) = (language, timeZone, businessHours)
        lexicon = DateLexicon.forLanguage(language)
        rules = DateGrammar.rules(for: language)
        clock = WallClock(timeZone: timeZone)
    }

    /// Every date/time expression in `text`, in order, resolved against `reference`. Where
    /// readings overlap the longest wins ("amanhã às 14h" is one match, not two).
    public func dates(in text: String, reference: Date) -> [EntityMatch<DateTimeValue>] {
        let tokens = EntityText.tokens(text)
        guard !tokens.isEmpty else { return [] }
        let items = DateChart.parse(tokens, lexicon: lexicon, rules: rules)
        let candidates = items.enumerated()
            .filter { $0.element.piece.isResolvable }
            .sorted { a, b in
                let (la, lb) = (a.element.end - a.element.start, b.element.end - b.element.start)
                return la != lb ? la > lb : a.element.start != b.element.start ? a.element.start < b.element.start : a.offset < b.offset
            }
        let resolver = DateResolver(businessHours: businessHours)
        let now = clock.civil(reference)
        var taken = [Bool](repeating: false, count: tokens.count)
        var found: [(Int, EntityMatch<DateTimeValue>)] = []
        for (_, item) in candidates where !taken[item.start..<item.end].contains(true) {
            guard let resolved = resolver.resolve(item.piece, at: now), let value = value(of: resolved) else { continue }
            for index in item.start..<item.end { taken[index] = true }
            let range = tokens[item.start].range.lowerBound..<tokens[item.end - 1].range.upperBound
            found.append((item.start, EntityMatch(range: range, text: String(text[range]), value: value)))
        }
        return found.sorted { $0.0 < $1.0 }.map(\.1)
    }

    private func value(of resolved: ResolvedTime) -> DateTimeValue? {
        guard let start = clock.date(resolved.start) else { return nil }
        guard let endTime = resolved.end else { return .instant(start, grain: resolved.grain) }
        guard let end = clock.date(endTime) else { return nil }
        return .interval(from: start, to: end, grain: resolved.grain)
    }
}
