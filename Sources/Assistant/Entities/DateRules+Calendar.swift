extension DateGrammar {
    /// dd/mm and dd/mm/yyyy: the order Brazil and Spanish-speaking Latin America write.
    static let dayMonthNumeric: [DateRule] = numericDates(dayFirst: true)
    /// mm/dd and mm/dd/yyyy, the American order.
    static let monthDayNumeric: [DateRule] = numericDates(dayFirst: false)

    static func numericDates(dayFirst: Bool) -> [DateRule] {
        @Sendable func dayMonth(_ a: DatePiece, _ b: DatePiece) -> (Int, Int)? {
            guard let a = a.int, let b = b.int else { return nil }
            return dayFirst ? (a, b) : (b, a)
        }
        let small = Is.number(1...31, digits: 1...2)
        return [
            rule("d/m", [small, Is.word(.slash, .dash), small]) {
                guard let (d, m) = dayMonth($0[0], $0[2]) else { return nil }
                return date(month: m, day: d)
            },
            rule("d/m/y", [small, Is.word(.slash, .dash, .dot), small, Is.word(.slash, .dash, .dot),
                           Is.number(0...9999, digits: 2...4)]) {
                guard $0[1] == $0[3], let (d, m) = dayMonth($0[0], $0[2]), let y = fullYear($0[4]) else { return nil }
                return date(year: y, month: m, day: d)
            },
            rule("31/Oct/1974", [small, Is.word(.slash, .dash), Is.month, Is.word(.slash, .dash),
                                 Is.number(0...9999, digits: 2...4)]) {
                guard $0[1] == $0[3], let y = fullYear($0[4]) else { return nil }
                return date(year: y, month: $0[2].monthNumber(), day: $0[0].int)
            },
            rule("yyyy-mm-dd", [Is.number(1000...2999, digits: 4...4), Is.word(.dash, .slash), small,
                                Is.word(.dash, .slash), small]) {
                guard let y = $0[0].int, let m = $0[2].int, let d = $0[4].int else { return nil }
                return date(year: y, month: m, day: d)
            },
            rule("yyyy-mm", [Is.number(1000...2999, digits: 4...4), Is.word(.dash, .slash), Is.number(1...12)]) {
                guard let y = $0[0].int, let m = $0[2].int else { return nil }
                return date(year: y, month: m)
            },
            rule("mm/yyyy", [Is.number(1...12), Is.word(.slash), Is.number(1000...2999, digits: 4...4)]) {
                guard let m = $0[0].int, let y = $0[2].int else { return nil }
                return date(year: y, month: m)
            },
        ]
    }

    static let dates: [DateRule] = [
        rule("weekday", [{ if case .weekday = $0.piece { true } else { false } }]) {
            guard case .weekday(let day, _) = $0[0] else { return nil }
            return .time(.weekday(day))
        },
        rule("month", [{ $0.piece.monthNumber(allowShort: false) != nil }]) {
            $0[0].monthNumber(allowShort: false).map { date(month: $0) } ?? nil
        },
        rule("5 de maio", [Is.dayOfMonth, Is.word(.of), Is.month]) { date(month: $0[2].monthNumber(), day: $0[0].dayOfMonth) },
        rule("5 maio", [Is.dayOfMonth, Is.month]) { date(month: $0[1].monthNumber(), day: $0[0].dayOfMonth) },
        rule("maio 5", [Is.month, Is.dayOfMonth]) { date(month: $0[0].monthNumber(), day: $0[1].dayOfMonth) },
        rule("february the 15th", [Is.month, Is.word(.the), Is.dayOfMonth]) {
            date(month: $0[0].monthNumber(), day: $0[2].dayOfMonth)
        },
        rule("5 de maio de 2013", [Is.time { $0.month != nil && $0.day != nil && $0.year == nil },
                                   Is.word(.of, .comma), Is.number(1000...2999, digits: 4...4)]) { withYear($0[0], $0[2]) },
        rule("5 maio 2013", [Is.time { $0.month != nil && $0.day != nil && $0.year == nil },
                             Is.number(1000...2999, digits: 4...4)]) { withYear($0[0], $0[1]) },
        rule("maio de 2013", [Is.time { $0 == TimeSpec.month($0.month ?? 0) && $0.month != nil },
                              Is.word(.of, .comma), Is.number(1000...2999, digits: 4...4)]) { withYear($0[0], $0[2]) },
        rule("october 2014", [Is.time { $0 == TimeSpec.month($0.month ?? 0) && $0.month != nil },
                              Is.number(1000...2999, digits: 4...4)]) { withYear($0[0], $0[1]) },
        rule("dia 17", [Is.word(.dayWord), Is.dayOfMonth]) { date(day: $0[1].dayOfMonth) },
        rule("the 24th", [Is.word(.the), Is.dayOfMonth]) { date(day: $0[1].dayOfMonth) },
        rule("jue 15", [Is.weekdayOnly, Is.dayOfMonth]) {
            guard var s = $0[0].spec, let d = $0[1].dayOfMonth else { return nil }
            s.day = d
            return .time(s)
        },
    ]

    static func withYear(_ date: DatePiece, _ year: DatePiece) -> DatePiece? {
        guard var s = date.spec, let y = year.int else { return nil }
        s.year = y
        return .time(s)
    }
}

extension DatePiece {
    func monthNumber(allowShort: Bool = true) -> Int? {
        guard case .month(let m, let short) = self, allowShort || !short else { return nil }
        return m
    }
}

extension TimeSpec {
    static func month(_ month: Int) -> TimeSpec { var s = TimeSpec(); s.month = month; return s }
}
