import Foundation

/// Measures the date parser on a JSONL corpus in the shared/eval/datetime format:
/// `{"text", "value", "grain"}` or `{"text", "from", "to", "grain"}`, wall-clock values relative
/// to an optional per-line `"ref"` (default 2013-02-12T04:30:00, a Tuesday).
///
/// A case counts as exact when the longest match in its text has the same value (or both ends)
/// and the same grain. Cases outside booking language are set aside by `exclusion(text:grain:)`,
/// in code, so the subset can be read and argued with rather than hand-picked.
public struct DateTimeEvaluation: Sendable {
    public struct Tally: Sendable, Hashable {
        public var total = 0
        public var exact = 0
        public var rate: Double { total == 0 ? 0 : Double(exact) / Double(total) }
    }

    /// Exact matches per category ("value hour", "interval day", …) among the cases kept.
    public private(set) var categories: [String: Tally] = [:]
    /// How many cases each exclusion reason set aside.
    public private(set) var excluded: [String: Int] = [:]
    /// One line per miss: the text, what the corpus says, and what we read.
    public private(set) var misses: [String] = []

    public var overall: Tally {
        categories.values.reduce(into: Tally()) { ($0.total, $0.exact) = ($0.total + $1.total, $0.exact + $1.exact) }
    }

    private struct Case: Decodable {
        let text: String
        let value: String?
        let from: String?
        let to: String?
        let grain: String
        let ref: String?
    }

    /// Reads `file` and measures `language`'s parser on it. Values are compared on the wall clock
    /// of `timeZone` (UTC by default, which has no daylight-saving gaps to blur the comparison).
    /// `wholeCorpus` keeps every case, for the figure before exclusions.
    public static func run(file: URL, language: Language, timeZone: TimeZone = TimeZone(identifier: "UTC") ?? .current,
                           wholeCorpus: Bool = false) throws -> DateTimeEvaluation
    {
        let extractor = EntityExtractor(language: language, timeZone: timeZone)
        let clock = WallClock(timeZone: timeZone)
        let defaultReference = CivilTime(day: CivilDay(year: 2013, month: 2, day: 12), hour: 4, minute: 30)
        var report = DateTimeEvaluation()
        let decoder = JSONDecoder()
        for line in try String(contentsOf: file, encoding: .utf8).split(whereSeparator: \.isNewline) {
            let item = try decoder.decode(Case.self, from: Data(line.utf8))
            if !wholeCorpus, let reason = exclusion(text: item.text, grain: item.grain) {
                report.excluded[reason, default: 0] += 1
                continue
            }
            let category = "\(item.value == nil ? "interval" : "value") \(item.grain)"
            report.categories[category, default: Tally()].total += 1
            let reference = item.ref.flatMap(civil) ?? defaultReference
            guard let now = clock.date(reference) else { continue }
            let best = extractor.dates(in: item.text, reference: now).max { $0.text.count < $1.text.count }
            let got = best.map { describe($0.value, clock) } ?? "nothing"
            let expected = item.value.map { "\(normalised($0)) \(item.grain)" }
                ?? "\(normalised(item.from ?? "")) – \(normalised(item.to ?? "")) \(item.grain)"
            if got == expected {
                report.categories[category, default: Tally()].exact += 1
            } else {
                report.misses.append("\(item.text): expected \(expected), got \(got)")
            }
        }
        return report
    }

    /// Why a corpus case is not booking language, or nil to keep it. The corpora are Duckling's,
    /// which also covers analytics and calendar trivia a front desk never hears.
    public static func exclusion(text: String, grain: String) -> String? {
        let folded = (" " + EntityText.tokens(text).map(\.text).joined(separator: " ") + " ")
            .replacingOccurrences(of: " week - end ", with: " weekend ").replacingOccurrences(of: " week end ", with: " weekend ")
        func has(_ words: [String]) -> Bool { words.contains { folded.contains(" \($0) ") } }
        if grain == "second" { return "second grain (now, deadlines, seconds)" }
        if grain == "quarter" { return "quarters of a year" }
        if grain == "year" { return "whole years" }
        if has(["natal", "navidad", "christmas", "ano novo", "ano nuevo", "reveillon", "nochevieja", "vespera", "easter",
                "pascoa", "thanksgiving", "halloween", "ides"]) { return "holidays by name" }
        if has(["verao", "inverno", "primavera", "outono", "verano", "invierno", "summer", "winter", "spring",
                "autumn", "season", "seasons"]) { return "seasons" }
        if has(["cet", "gmt", "pst", "bst", "ist", "cst", "est", "utc"]) { return "foreign time zones" }
        let months = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                      "october", "november", "december"]
        if has(["eom", "bom", "eoy", "boy", "eod", "beginning of", "end of", "the end"])
            || ["early", "mid", "late"].contains(where: { part in months.contains { has(["\(part) \($0)"]) } })
        { return "fuzzy parts of a month or year" }
        let ordinals = ["first", "second", "third", "fourth", "fifth", "last", "primeiro", "segundo", "terceiro",
                        "quarto", "nono", "decimo", "ultimo", "closest"]
        let periods = ["week", "weekend", "wkend", "week - end", "day", "month", "mes", "monday", "tuesday",
                       "wednesday", "thursday", "friday", "saturday", "sunday", "mon", "tue", "wed", "thu", "fri",
                       "sat", "sun"]
        for ordinal in ordinals where folded.contains(" \(ordinal) ") {
            for period in periods where folded.contains(" \(ordinal) \(period) ") || folded.contains(" \(ordinal) last \(period) ") {
                if has(["of", "in", "de"]) || period == "mes" || ordinal == "closest" {
                    return "nth day or week of a period"
                }
            }
        }
        return nil
    }

    /// A readable account: overall, per category, and what was set aside.
    public var summary: String {
        var lines = [String(format: "exact %d/%d = %.1f %%", overall.exact, overall.total, 100 * overall.rate)]
        for (name, tally) in categories.sorted(by: { $0.key < $1.key }) {
            // Padded by hand: `%-16@` does not pad on Linux.
            lines.append("  " + name.padding(toLength: 16, withPad: " ", startingAt: 0)
                         + String(format: " %4d/%4d = %5.1f %%", tally.exact, tally.total, 100 * tally.rate))
        }
        for (reason, count) in excluded.sorted(by: { $0.key < $1.key }) {
            lines.append("  excluded: \(reason): \(count)")
        }
        return lines.joined(separator: "\n")
    }

    private static func describe(_ value: DateTimeValue, _ clock: WallClock) -> String {
        func stamp(_ date: Date) -> String {
            let t = clock.civil(date)
            return String(format: "%04d-%02d-%02dT%02d:%02d:%02d", t.day.year, t.day.month, t.day.day, t.hour,
                          t.minute, t.second % 60)
        }
        switch value {
        case .instant(let date, let grain): return "\(stamp(date)) \(grain.rawValue)"
        case .interval(let from, let to, let grain): return "\(stamp(from)) – \(stamp(to)) \(grain.rawValue)"
        }
    }

    /// The corpus writes a month as "2013-03-00" and a year as "2013-00-00"; we write day 1.
    private static func normalised(_ stamp: String) -> String {
        guard let t = civil(stamp) else { return stamp }
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d", t.day.year, t.day.month, t.day.day, t.hour, t.minute,
                      t.second % 60)
    }

    private static func civil(_ stamp: String) -> CivilTime? {
        let parts = stamp.split(whereSeparator: { "-T:".contains($0) }).compactMap { Int($0) }
        guard parts.count == 6 else { return nil }
        let day = CivilDay(year: parts[0], month: max(parts[1], 1), day: max(parts[2], 1))
        return CivilTime(day: day, hour: parts[3], minute: parts[4], second: parts[5])
    }
}
