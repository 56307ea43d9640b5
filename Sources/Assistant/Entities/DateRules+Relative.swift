extension DateGrammar {
    static let relative: [DateRule] = [
        rule("essa segunda", [Is.word(.this), Is.time { $0.shift == nil && $0.hour == nil }]) {
            guard var s = $0[1].spec else { return nil }
            if !s.hasDate { s.dayOffset = 0 }
            return .time(s)
        },
        rule("esta semana", [Is.word(.this), Is.unit]) { period($0[1], 0) },
        rule("próxima semana", [Is.word(.next, .upcoming), Is.unit]) { period($0[1], 1) },
        rule("upcoming two weeks", [Is.word(.upcoming), Is.number(1...99), Is.unit]) { period($0[2], $0[1].int ?? 0) },
        rule("two upcoming weeks", [Is.number(1...99), Is.word(.upcoming), Is.unit]) { period($0[2], $0[0].int ?? 0) },
        rule("dia 20 do mês que vem", [Is.dayOfMonth, Is.word(.of), Is.time { $0.monthOffset != nil && $0.day == nil }]) {
            guard var s = $0[2].spec else { return nil }
            s.day = $0[0].dayOfMonth
            return .time(s)
        },
        rule("20th day of next month", [Is.dayOfMonth, Is.word(.dayWord), Is.word(.of),
                                        Is.time { $0.monthOffset != nil && $0.day == nil }]) {
            guard var s = $0[3].spec else { return nil }
            s.day = $0[0].dayOfMonth
            return .time(s)
        },
        rule("3 sextas a partir de hoje", [Is.number(1...9), Is.weekdayOnly, Is.word(.fromNow)]) {
            guard var s = $0[1].spec else { return nil }
            s.occurrence = $0[0].int
            return .time(s)
        },
        rule("2 quintas atrás", [Is.number(1...9), Is.weekdayOnly, Is.word(.agoSuffix)]) {
            guard var s = $0[1].spec else { return nil }
            (s.occurrence, s.past) = ($0[0].int, true)
            return .time(s)
        },
        rule("semana que vem", [Is.unit, Is.word(.comingAfter, .next)]) { period($0[0], 1) },
        rule("semana passada", [Is.unit, Is.word(.last)]) { period($0[0], -1) },
        rule("última semana", [Is.word(.last), Is.unit]) { period($0[1], -1) },
        rule("próxima terça", [Is.word(.next), Is.time { $0.weekend || $0 == .weekday($0.weekday ?? 0) }]) {
            nextWeek($0[1])
        },
        rule("quarta que vem", [Is.time { $0.weekend || $0 == .weekday($0.weekday ?? 0) }, Is.word(.comingAfter, .next)]) {
            nextWeek($0[0])
        },
        rule("terça passada", [Is.weekdayOnly, Is.word(.last)]) { pastWeekday($0[0]) },
        rule("last tuesday", [Is.word(.last), Is.weekdayOnly]) { pastWeekday($0[1]) },
        rule("3 dias", [Is.number(1...999, digits: 0...3), Is.unit]) {
            guard let n = $0[0].int, case .unit(let unit) = $0[1] else { return nil }
            return .duration(n, unit)
        },
        rule("em 3 dias", [Is.word(.inFuture), Is.duration]) { shifted($0[1], by: 1) },
        rule("3 days from now", [Is.duration, Is.word(.fromNow)]) { shifted($0[0], by: 1) },
        rule("faz 3 dias", [Is.word(.agoPrefix), Is.duration]) { shifted($0[1], by: -1) },
        rule("3 dias atrás", [Is.duration, Is.word(.agoSuffix)]) { shifted($0[0], by: -1) },
        rule("próximos 3 dias", [Is.word(.next), Is.number(1...999, digits: 0...3), Is.unit]) {
            window($0[1], $0[2], future: true)
        },
        rule("3 próximos dias", [Is.number(1...999, digits: 0...3), Is.word(.next), Is.unit]) {
            window($0[0], $0[2], future: true)
        },
        rule("3 dias que vem", [Is.number(1...999, digits: 0...3), Is.unit, Is.word(.comingAfter)]) {
            window($0[0], $0[1], future: true)
        },
        rule("últimos 2 dias", [Is.word(.last), Is.number(1...999, digits: 0...3), Is.unit]) {
            window($0[1], $0[2], future: false)
        },
        rule("2 últimos dias", [Is.number(1...999, digits: 0...3), Is.word(.last), Is.unit]) {
            window($0[0], $0[2], future: false)
        },
        rule("2 dias anteriores", [Is.number(1...999, digits: 0...3), Is.unit, Is.word(.last)]) {
            window($0[0], $0[1], future: false)
        },
    ]

    static let composition: [DateRule] = [
        rule("de manhã", [Is.part]) {
            guard case .part(let part) = $0[0] else { return nil }
            var s = TimeSpec()
            s.part = part
            return .time(s)
        },
        rule("no domingo", [Is.word(.the, .approximately), Is.time]) { $0[1] },
        rule("quinta às 18", [Is.time, Is.time]) { merge($0[0], $0[1]) },
        rule("dia 15 de manhã", [Is.time, Is.word(.of, .the, .at, .from), Is.time]) { merge($0[0], $0[2]) },
        // After a comma only a weekday confirming a date joins it: "sexta de manhã, dia 15 às 18h"
        // is two options, "segunda, 18 de fevereiro" one day.
        rule("segunda, 18 de fevereiro", [Is.weekdayOnly, Is.word(.comma), Is.time]) { merge($0[0], $0[2]) },
        rule("18 de fevereiro, segunda", [Is.time, Is.word(.comma), Is.weekdayOnly]) { merge($0[0], $0[2]) },
        rule("3-4pm", [Is.number(0...12), Is.word(.rangeSep, .dash), Is.clockOnly]) { rangeUpTo($0[2], from: $0[0]) },
        rule("das 9 às 11h", [Is.word(.from, .between), Is.number(0...23), Is.clockOnly]) { rangeUpTo($0[2], from: $0[1]) },
        rule("16h por 30 minutos", [Is.time, Is.word(.lasting), Is.duration]) { span($0[0], $0[2]) },
        rule("de 16h por 30 minutos", [Is.word(.from), Is.time, Is.word(.lasting), Is.duration]) { span($0[1], $0[3]) },
        rule("por 30 minutos a partir das 16h", [Is.word(.lasting), Is.duration, Is.word(.from), Is.time]) { span($0[3], $0[1]) },
        rule("9:30 - 11:00", [Is.time, Is.word(.rangeSep, .dash), Is.time]) { makeRange($0[0], $0[2]) },
        rule("entre 9 e 11", [Is.word(.between), Is.time, Is.word(.and), Is.time]) { makeRange($0[1], $0[3]) },
        rule("de 9 a 11", [Is.word(.from, .between), Is.range]) { $0[1] },
        rule("13 a 15 de julho", [Is.dayOfMonth, Is.word(.rangeSep, .dash),
                                  Is.time { $0.day != nil && $0.month != nil && !$0.hasClock }]) {
            guard let d = $0[0].dayOfMonth, var from = $0[2].spec else { return nil }
            from.day = d
            return makeRange(.time(from), $0[2])
        },
        rule("july 13-15", [Is.time { $0.day != nil && $0.month != nil && !$0.hasClock }, Is.word(.rangeSep, .dash),
                            Is.dayOfMonth]) {
            guard let d = $0[2].dayOfMonth, var to = $0[0].spec else { return nil }
            to.day = d
            return makeRange($0[0], .time(to))
        },
        rule("9-11 on thursday", [Is.range, Is.time { !$0.hasClock && $0.hasDate }]) { mergeRange($0[0], $0[1]) },
        rule("9-11, on thursday", [Is.range, Is.word(.the, .comma, .at), Is.time { !$0.hasClock && $0.hasDate }]) {
            mergeRange($0[0], $0[2])
        },
        rule("thursday 9-11", [Is.time { !$0.hasClock && $0.hasDate }, Is.range]) { mergeRange($0[1], $0[0]) },
        rule("thursday from 9 to 11", [Is.time { !$0.hasClock && $0.hasDate }, Is.word(.from, .between), Is.range]) {
            mergeRange($0[2], $0[0])
        },
    ]

    static func period(_ unit: DatePiece, _ offset: Int) -> DatePiece? {
        guard case .unit(let grain) = unit else { return nil }
        var s = TimeSpec()
        switch grain {
        case .day: s.dayOffset = offset
        case .week: s.weekOffset = offset
        case .month: s.monthOffset = offset
        case .year: s.yearOffset = offset
        default: return nil
        }
        return .time(s)
    }

    /// "próxima terça", "quarta que vem", "next friday": that day of next week (weeks start on
    /// Monday), as Duckling's corpora read them in all three languages.
    static func nextWeek(_ piece: DatePiece) -> DatePiece? {
        guard var s = piece.spec else { return nil }
        s.weekOffset = 1
        return .time(s)
    }

    static func pastWeekday(_ piece: DatePiece) -> DatePiece? {
        guard var s = piece.spec else { return nil }
        s.past = true
        return .time(s)
    }

    static func shifted(_ duration: DatePiece, by sign: Int) -> DatePiece? {
        guard case .duration(let n, let unit) = duration else { return nil }
        var s = TimeSpec()
        s.shift = .init(amount: sign * n, unit: unit)
        return .time(s)
    }

    static func window(_ count: DatePiece, _ unit: DatePiece, future: Bool) -> DatePiece? {
        guard let n = count.int, case .unit(let grain) = unit else { return nil }
        return .window(n, grain, future: future)
    }

    static func merge(_ a: DatePiece, _ b: DatePiece) -> DatePiece? {
        guard let a = a.spec, let b = b.spec, let merged = a.merged(with: b) else { return nil }
        return .time(merged)
    }

    /// Each end borrows what the other said and it left out: "13 a 15 de julho" puts the 13th in
    /// July, "amanhã entre 1 e 2:30" puts both times tomorrow.
    static func makeRange(_ a: DatePiece, _ b: DatePiece) -> DatePiece? {
        guard var from = a.spec, var to = b.spec, from.shift == nil, to.shift == nil, !from.weekend, !to.weekend,
              from.hasClock == to.hasClock, from.part == nil || from.hasClock, to.part == nil || to.hasClock
        else { return nil }
        if !from.hasDate && to.hasDate { from.copyDate(from: to) }
        if !to.hasDate && from.hasDate { to.copyDate(from: from) }
        if from.day != nil && from.month == nil && to.month != nil { from.month = to.month }
        if from.month != nil && from.year == nil, let year = to.year { from.year = year }
        return .range(from, to)
    }

    /// "3-4pm": the first hour said bare, in the same half of the day as the second.
    static func rangeUpTo(_ to: DatePiece, from number: DatePiece) -> DatePiece? {
        guard let end = to.spec, let endHour = end.hour, var h = number.int else { return nil }
        var start = end
        (start.minute, start.timeGrain) = (nil, end.timeGrain == .minute ? .minute : nil)
        if !end.ambiguousHour, end.part == nil, h < 12, endHour >= 12 { h += 12 }
        start.hour = h
        start.ambiguousHour = end.ambiguousHour && (1...12).contains(h)
        return makeRange(.time(start), to)
    }

    static func span(_ time: DatePiece, _ duration: DatePiece) -> DatePiece? {
        guard let s = time.spec, s.shift == nil, case .duration(let n, let unit) = duration else { return nil }
        return .span(s, amount: n, unit: unit)
    }

    static func mergeRange(_ range: DatePiece, _ date: DatePiece) -> DatePiece? {
        guard case .range(let from, let to) = range, let date = date.spec,
              let f = from.merged(with: date), let t = to.merged(with: date) else { return nil }
        return .range(f, t)
    }
}

extension TimeSpec {
    mutating func copyDate(from other: TimeSpec) {
        (year, month, day, weekday) = (other.year, other.month, other.day, other.weekday)
        (dayOffset, weekOffset, monthOffset, yearOffset, past) =
            (other.dayOffset, other.weekOffset, other.monthOffset, other.yearOffset, other.past)
    }
}
