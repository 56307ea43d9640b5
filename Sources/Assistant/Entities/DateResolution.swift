/// A piece met with the reference time, still on the wall clock.
struct ResolvedTime: Hashable, Sendable {
    var start: CivilTime
    /// Exclusive; nil for an instant (a span one `grain` long).
    var end: CivilTime?
    var grain: DateGrain
}

/// Turns composed pieces into wall-clock times against a reference: the business rules live here.
struct DateResolver: Sendable {
    /// Opening hours of the business, as hours of the day [from, to): an hour said without am/pm
    /// ("às 2") is read inside them when one reading fits (14:00, not 02:00).
    let businessHours: Range<Int>?

    func resolve(_ piece: DatePiece, at reference: CivilTime) -> ResolvedTime? {
        switch piece {
        case .time(let spec):
            return resolve(spec, reference: reference, notBefore: nil)
        case .range(let f, let t):
            guard let from = resolve(f, reference: reference, notBefore: nil),
                  let to = resolve(t, reference: reference, notBefore: from.start) else { return nil }
            // The end is inclusive as said ("13 a 15 de julho" takes in the 15th), so it closes one
            // grain after the last one named, in the finer of the two grains.
            let grain = min(from.grain, to.grain)
            let end = to.end ?? to.start.adding(1, grain)
            guard end > from.start else { return nil }
            return ResolvedTime(start: from.start, end: end, grain: grain)
        case .span(let spec, let amount, let unit):
            guard let start = resolve(spec, reference: reference, notBefore: nil) else { return nil }
            let grain = min(start.grain, unit)
            return ResolvedTime(start: start.start, end: start.start.adding(amount, unit).adding(1, grain), grain: grain)
        case .window(let count, let unit, let future):
            let base = reference.truncated(to: unit)
            if future {
                let start = base.adding(1, unit)
                return ResolvedTime(start: start, end: start.adding(count, unit), grain: unit)
            }
            return ResolvedTime(start: base.adding(-count, unit), end: base, grain: unit)
        default:
            return nil
        }
    }

    private func resolve(_ s: TimeSpec, reference ref: CivilTime, notBefore floor: CivilTime?) -> ResolvedTime? {
        let now = max(ref, floor ?? ref)
        if let shift = s.shift {
            // "em 2 horas" is as precise as the grain below the unit: minutes for hours, hours for days.
            let grain = shift.unit == .second ? .second : finer(shift.unit)
            return ResolvedTime(start: ref.truncated(to: grain).adding(shift.amount, shift.unit), grain: grain)
        }
        if s.weekend { return weekend(s, reference: ref, now: now) }
        if let w = s.weekOffset, s.weekday == nil, !s.hasClock, s.part == nil {
            return ResolvedTime(start: CivilTime(day: ref.day.startOfWeek.adding(days: 7 * w)), grain: .week)
        }
        if let m = s.monthOffset, s.day == nil {
            return ResolvedTime(start: CivilTime(day: ref.day.startOfMonth).adding(m, .month), grain: .month)
        }
        if let y = s.yearOffset, s.month == nil {
            return ResolvedTime(start: CivilTime(day: CivilDay(year: ref.day.year + y, month: 1, day: 1)), grain: .year)
        }
        let anyDay = s.day == nil && s.weekday == nil && s.dayOffset == nil && s.weekOffset == nil
        if let year = s.year, s.month == nil, anyDay {
            return ResolvedTime(start: CivilTime(day: CivilDay(year: year, month: 1, day: 1)), grain: .year)
        }
        if let month = s.month, anyDay, !s.hasClock, s.part == nil {
            let year = s.year ?? (month >= now.day.month ? now.day.year : now.day.year + 1)
            return ResolvedTime(start: CivilTime(day: CivilDay(year: year, month: month, day: 1)), grain: .month)
        }
        let search = candidateDays(s, reference: ref, now: now)
        var day = search.first
        var skip = (s.occurrence ?? 1) - 1
        for _ in 0..<search.limit {
            defer { day = day.adding(days: search.step) }
            guard matches(s, day) else { continue }
            if skip > 0 { skip -= 1; continue }
            if let found = time(s, on: day, now: now, fixed: search.limit == 1) { return found }
        }
        return nil
    }

    /// Where to look for the day, which way, and how far.
    private func candidateDays(_ s: TimeSpec, reference ref: CivilTime, now: CivilTime)
        -> (first: CivilDay, step: Int, limit: Int)
    {
        if let offset = s.dayOffset { return (ref.day.adding(days: offset), 1, 1) }
        if let w = s.weekOffset, let weekday = s.weekday {
            return (ref.day.startOfWeek.adding(days: 7 * w + weekday - 1), 1, 1)
        }
        if let m = s.monthOffset, let d = s.day {
            let month = ref.day.startOfMonth.adding(months: m) ?? ref.day
            return (CivilDay.valid(year: month.year, month: month.month, day: d) ?? month, 1, 1)
        }
        if let y = s.yearOffset { return (CivilDay(year: ref.day.year + y, month: 1, day: 1), 1, 366) }
        if s.past { return (ref.day.adding(days: s.occurrence == nil ? -1 : 0), -1, 366 * 5) }
        if let year = s.year { return (CivilDay(year: year, month: 1, day: 1), 1, 366) }
        // A weekday that confirms a day of a month ("Sunday, Feb 10") may name a day just past.
        if s.month != nil, s.day != nil, s.weekday != nil { return (now.day.adding(days: -7), 1, 366 * 28) }
        if s.month != nil || s.day != nil { return (now.day, 1, 366 * 28) }
        // A weekday alone is never today: "terça" said on a Tuesday means next week's.
        // (A range's second end may start on its first end's day: "sexta a segunda".)
        if s.weekday != nil { return (now.day.adding(days: now.day == ref.day ? 1 : 0), 1, 7 * (s.occurrence ?? 1)) }
        return (now.day, 1, 2)
    }

    private func matches(_ s: TimeSpec, _ day: CivilDay) -> Bool {
        (s.year == nil || s.year == day.year || s.yearOffset != nil) && (s.month == nil || s.month == day.month)
            && (s.day == nil || s.day == day.day) && (s.weekday == nil || s.weekday == day.weekday || s.dayOffset != nil)
    }

    /// The time on `day`: the whole day, a part of it, or the clock time; nil when that day's
    /// time is already past and another day may be tried.
    private func time(_ s: TimeSpec, on day: CivilDay, now: CivilTime, fixed: Bool) -> ResolvedTime? {
        guard s.hasClock else {
            guard let part = s.part else { return ResolvedTime(start: CivilTime(day: day), grain: .day) }
            let end = CivilTime(day: day, hour: part.to)
            guard fixed || s.hasDate || end > now else { return nil }
            return ResolvedTime(start: CivilTime(day: day, hour: part.from), end: end, grain: .hour)
        }
        let grain = s.grain
        let times = hours(s).map { CivilTime(day: day, hour: $0, minute: s.minute ?? 0) }.sorted()
        if let next = times.first(where: { $0 >= now.truncated(to: grain) }) {
            return ResolvedTime(start: next, grain: grain)
        }
        guard fixed, let first = times.first else { return nil }
        return ResolvedTime(start: first, grain: grain)
    }

    /// The hours an hour may mean: fixed by am/pm or a part of the day, else either half of the
    /// day, narrowed to the business's opening hours when one reading falls inside them.
    private func hours(_ s: TimeSpec) -> [Int] {
        guard let h = s.hour else { return [] }
        if let part = s.part, h <= 12 {
            if part.isAfterNoon && h < 12 { return [h + 12] }
            if !part.isAfterNoon && h == 12 && part.to <= 12 { return [0] }
            return [h]
        }
        guard s.ambiguousHour, (1...12).contains(h) else { return [h] }
        let both = h == 12 ? [12, 24] : [h, h + 12]
        if let open = businessHours {
            let inside = both.filter { open.contains($0 % 24) }
            if !inside.isEmpty { return inside }
        }
        return both
    }

    /// Friday 18:00 to Monday 00:00, the weekend now under way or the next one.
    private func weekend(_ s: TimeSpec, reference ref: CivilTime, now: CivilTime) -> ResolvedTime {
        var monday = ref.day.startOfWeek.adding(days: 7 * (s.weekOffset ?? 0))
        if s.weekOffset == nil && CivilTime(day: monday.adding(days: 7)) <= now { monday = monday.adding(days: 7) }
        return ResolvedTime(start: CivilTime(day: monday.adding(days: 4), hour: 18),
                            end: CivilTime(day: monday.adding(days: 7)), grain: .hour)
    }

    private func finer(_ grain: DateGrain) -> DateGrain {
        switch grain {
        case .second, .minute: .second
        case .hour: .minute
        case .day: .hour
        case .week, .month: .day
        case .year: .month
        }
    }
}
