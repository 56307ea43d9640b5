/// Tests for one position of a rule's pattern.
typealias Slot = @Sendable (ChartItem) -> Bool

enum Is {
    static func word(_ words: DateWord...) -> Slot { { item in words.contains { item.piece == .word($0) } } }
    static func attachedWord(_ word: DateWord) -> Slot { { $0.attached && $0.piece == .word(word) } }
    static func number(_ range: ClosedRange<Int>, digits: ClosedRange<Int> = 0...2) -> Slot {
        { item in
            guard case .number(let n, let d) = item.piece else { return false }
            return range.contains(n) && digits.contains(d)
        }
    }
    /// A day of the month: "15", "15th", "primeiro".
    static let dayOfMonth: Slot = { $0.piece.dayOfMonth != nil }
    static let month: Slot = { if case .month = $0.piece { true } else { false } }
    static let part: Slot = { if case .part = $0.piece { true } else { false } }
    static let unit: Slot = { if case .unit = $0.piece { true } else { false } }
    static let duration: Slot = { if case .duration = $0.piece { true } else { false } }
    static let range: Slot = { if case .range = $0.piece { true } else { false } }
    static let time: Slot = { $0.piece.spec != nil }
    static func time(_ test: @escaping @Sendable (TimeSpec) -> Bool) -> Slot {
        { item in item.piece.spec.map(test) ?? false }
    }
    /// A clock time said as an hour alone ("às 3", "15h"), ready to take minutes.
    static let bareHour = time { $0.hour != nil && $0.minute == nil && !$0.hasDate && $0.part == nil }
    static let weekdayOnly = time { $0 == TimeSpec.weekday($0.weekday ?? 0) && $0.weekday != nil }
    /// A date without a clock time, for ranges of days.
    static let dateOnly = time { $0.hasDate && !$0.hasClock && $0.shift == nil && $0.part == nil && !$0.weekend }
    static let clockOnly = time { $0.hasClock && !$0.hasDate && $0.shift == nil }
}

extension DatePiece {
    var int: Int? {
        if case .number(let n, _) = self { return n }
        return nil
    }

    var dayOfMonth: Int? {
        switch self {
        case .number(let n, let digits) where (1...31).contains(n) && digits <= 2: n
        case .ordinal(let n) where (1...31).contains(n): n
        default: nil
        }
    }

    /// Minutes said as a number, "quarter" (15) or "half" (30).
    var minutes: Int? {
        switch self {
        case .number(let n, _) where (1...59).contains(n): n
        case .word(.quarter): 15
        case .word(.half): 30
        case .duration(let n, .minute) where (1...59).contains(n): n
        default: nil
        }
    }
}

extension TimeSpec {
    static func weekday(_ day: Int) -> TimeSpec { var s = TimeSpec(); s.weekday = day; return s }

    /// The grain the spec is precise to, before it meets the reference.
    var grain: DateGrain {
        if let timeGrain { return timeGrain }
        if minute != nil { return .minute }
        if hour != nil || part != nil || weekend { return .hour }
        if day != nil || weekday != nil || dayOffset != nil { return .day }
        if weekOffset != nil { return .week }
        if month != nil || monthOffset != nil { return .month }
        return .year
    }
}

func rule(_ name: String, _ pattern: [Slot], _ produce: @escaping @Sendable ([DatePiece]) -> DatePiece?) -> DateRule {
    DateRule(name: name, pattern: pattern, produce: produce)
}

/// A year as written: four digits, or two (74 → 1974, 15 → 2015).
func fullYear(_ piece: DatePiece) -> Int? {
    guard case .number(let n, let digits) = piece else { return nil }
    switch digits {
    case 4: return n
    case 2: return n < 50 ? 2000 + n : 1900 + n
    default: return nil
    }
}

func date(year: Int? = nil, month: Int? = nil, day: Int? = nil) -> DatePiece? {
    if let month, !(1...12).contains(month) { return nil }
    if let day, !(1...31).contains(day) { return nil }
    if let month, let day, day > CivilDay.daysIn(month: month, year: year ?? 2000) { return nil }
    var s = TimeSpec()
    (s.year, s.month, s.day) = (year, month, day)
    return .time(s)
}

func clockWithMinutes(_ spec: TimeSpec, hourDelta: Int, minute: Int) -> DatePiece? {
    guard var hour = spec.hour else { return nil }
    hour += hourDelta
    if hour < 0 { hour += 24 }
    var s = spec
    (s.hour, s.minute, s.timeGrain) = (hour, minute, .minute)
    if hour == 0 && spec.hour == 12 { s.ambiguousHour = false }
    return .time(s)
}
