/// The typed pieces the date grammar composes: words become pieces through a language's lexicon,
/// and rules (DateRules.swift) join adjacent pieces into larger ones until nothing new appears.
/// Only `.time`, `.range` and `.window` mean a date; the rest are material for the rules.
enum DatePiece: Hashable, Sendable {
    /// A cardinal; `digits` is how many digits it was written with (0 for words such as "cinco").
    case number(Int, digits: Int)
    case ordinal(Int)
    /// ISO weekday, 1 = Monday … 7 = Sunday; `short` for abbreviations ("sab", "thu").
    case weekday(Int, short: Bool)
    case month(Int, short: Bool)
    case word(DateWord)
    case part(DayPart)
    case unit(DateGrain)
    case duration(Int, DateGrain)
    case time(TimeSpec)
    case range(TimeSpec, TimeSpec)
    /// "próximos 3 dias" (future) or "últimos 2 meses" (past), whole grains from the reference's.
    case window(Int, DateGrain, future: Bool)
    /// "às 16h por 30 minutos": from the time, lasting `amount` of `unit`.
    case span(TimeSpec, amount: Int, unit: DateGrain)

    var spec: TimeSpec? {
        if case .time(let spec) = self { return spec }
        return nil
    }

    var isResolvable: Bool {
        switch self {
        case .time, .range, .window, .span: true
        default: false
        }
    }
}

/// Function words, mapped from every language onto the roles they play in the rules.
enum DateWord: Hashable, Sendable {
    case at              // às, a las, at, @
    case the             // no, na, el, the, on
    case dayWord         // dia, día, day
    case of              // de, do, da, del, of
    case this            // este, essa, this, current
    case next            // próximo, próxima, next, siguiente, upcoming
    case comingAfter     // que vem, que viene (after the noun)
    case last            // passado, última, anterior, last, previous
    case and             // e, y, and
    case half            // meia, media, half
    case quarter         // cuarto, quarter
    case to              // para (as 3), to, till, before: minutes before an hour
    case minus           // menos (las doce menos cinco)
    case past            // past, after: minutes after an hour
    case hourMark        // the h of 14h and 14h30
    case oclock          // horas, hs, o'clock
    case am, pm
    case inFuture        // em, daqui a, en, in
    case agoPrefix       // faz, há, hace
    case agoSuffix       // atrás, ago, back
    case fromNow         // from now, hence
    case rangeSep        // a, até, -, to, through, until, hasta
    case from            // de, desde, a partir de, from
    case between         // entre, between
    case colon, slash, dash, dot, comma
    case oh              // the "oh"/"zero" in "twelve oh three"
    case greeting        // bom dia, boa noite, buenas tardes, good evening: hello, not a time of day
    case ordinalSuffix   // º, o, st, nd, rd, th
    case approximately   // por volta de, around, about, ish
    case upcoming        // upcoming (English reads "upcoming two weeks" as the week two weeks on)
    case lasting         // por, durante, for: a duration after a time
}

/// A named part of the day, as hours on the wall clock [from, to); `to` may be 24.
struct DayPart: Hashable, Sendable {
    let from: Int
    let to: Int

    /// Whether an hour of 1…11 said with this part belongs to the afternoon or evening.
    var isAfterNoon: Bool { from >= 12 }
}

/// A date/time expression before it meets the reference time: constraints and offsets.
struct TimeSpec: Hashable, Sendable {
    var year: Int?
    var month: Int?
    var day: Int?
    var weekday: Int?
    var hour: Int?
    var minute: Int?
    /// An hour of 1…12 said without am/pm or a part of the day: either half of the day will do.
    var ambiguousHour = false
    /// Set when the clock time came with its own grain ("15h" is a minute, "15 horas" an hour).
    var timeGrain: DateGrain?
    var dayOffset: Int?
    var weekOffset: Int?
    var monthOffset: Int?
    var yearOffset: Int?
    /// "terça passada": the latest day that fits, before today.
    var past = false
    var part: DayPart?
    var weekend = false
    /// "em 2 horas": the reference moved by `amount` grains.
    var shift: Shift?
    /// "3 fridays from now": the nth day that fits, counting from the next one.
    var occurrence: Int?

    struct Shift: Hashable, Sendable {
        var amount: Int
        var unit: DateGrain
    }

    var hasDate: Bool {
        year != nil || month != nil || day != nil || weekday != nil || dayOffset != nil || weekOffset != nil
            || monthOffset != nil || yearOffset != nil || weekend
    }

    var hasClock: Bool { hour != nil }

    /// The two constraints merged ("quinta" + "às 18"), or nil when they say the same thing twice
    /// or contradict each other.
    func merged(with other: TimeSpec) -> TimeSpec? {
        guard shift == nil, other.shift == nil, !(past && other.past) else { return nil }
        var result = self
        func take<T: Equatable>(_ path: WritableKeyPath<TimeSpec, T?>) -> Bool {
            switch (self[keyPath: path], other[keyPath: path]) {
            case (nil, let theirs): result[keyPath: path] = theirs; return true
            case (.some, nil): return true
            default: return false
            }
        }
        guard take(\.year), take(\.month), take(\.day), take(\.weekday), take(\.hour), take(\.dayOffset),
              take(\.weekOffset), take(\.monthOffset), take(\.yearOffset), take(\.part), take(\.timeGrain)
        else { return nil }
        guard minute == nil || other.minute == nil else { return nil }
        result.minute = minute ?? other.minute
        guard !(weekend && other.weekend) else { return nil }
        result.weekend = weekend || other.weekend
        result.past = past || other.past
        result.ambiguousHour = hour != nil ? ambiguousHour : other.ambiguousHour
        // "de manhã" and "às 18h" are two different times, not one.
        if let part = result.part, let hour = result.hour, !result.ambiguousHour, !(part.from...part.to).contains(hour) {
            return nil
        }
        return result
    }

    static func day(offset: Int) -> TimeSpec { var s = TimeSpec(); s.dayOffset = offset; return s }

    static func clock(_ hour: Int, _ minute: Int? = nil, ambiguous: Bool? = nil, grain: DateGrain? = nil) -> TimeSpec {
        var s = TimeSpec()
        (s.hour, s.minute, s.timeGrain) = (hour, minute, grain)
        s.ambiguousHour = ambiguous ?? (1...12).contains(hour)
        return s
    }
}
