/// The composition rules. Most hold in all three languages because the lexicons map their words
/// onto shared roles (`DateWord`); the few that differ are chosen by `DateGrammar.rules(for:)`.
enum DateGrammar {
    static func rules(for language: Language) -> [DateRule] {
        switch language {
        case .pt: portuguese
        case .es: spanish
        case .en: english
        }
    }

    static let portuguese = numbers + clock + dayMonthNumeric + dotClock + dates + relative + composition + bareMinutes
    static let spanish = portuguese + [spanishMinus] + spokenDigits
    static let english = numbers + clock + monthDayNumeric + dates + relative + composition + englishClock

    static let numbers: [DateRule] = [
        rule("tens and units", [Is.number(20...90, digits: 0...0), Is.word(.and, .dash), Is.number(1...9, digits: 0...0)]) {
            guard let tens = $0[0].int, tens % 10 == 0, let units = $0[2].int else { return nil }
            return .number(tens + units, digits: 0)
        },
        rule("tens units", [Is.number(20...90, digits: 0...0), Is.number(1...9, digits: 0...0)]) {
            guard let tens = $0[0].int, tens % 10 == 0, let units = $0[1].int else { return nil }
            return .number(tens + units, digits: 0)
        },
        rule("ordinal digits", [Is.number(1...31, digits: 1...2), Is.attachedWord(.ordinalSuffix)]) {
            $0[0].int.map { .ordinal($0) }
        },
    ]

    static let clock: [DateRule] = [
        rule("h:mm", [Is.number(0...24, digits: 1...2), Is.word(.colon), Is.number(0...59, digits: 2...2)]) {
            guard let h = $0[0].int, let m = $0[2].int else { return nil }
            return .time(.clock(h, m, grain: .minute))
        },
        rule("14h30", [Is.number(0...24, digits: 1...2), Is.attachedWord(.hourMark), Is.number(0...59, digits: 2...2)]) {
            guard let h = $0[0].int, let m = $0[2].int else { return nil }
            return .time(.clock(h, m, ambiguous: false, grain: .minute))
        },
        rule("15h", [Is.number(0...24, digits: 1...2), Is.attachedWord(.hourMark)]) {
            $0[0].int.map { .time(.clock($0, ambiguous: false, grain: .minute)) }
        },
        rule("15 horas", [Is.number(0...24), Is.word(.oclock)]) { $0[0].int.map { .time(.clock($0)) } },
        rule("às 3", [Is.word(.at), Is.number(0...24)]) { $0[1].int.map { .time(.clock($0)) } },
        rule("às 15:00", [Is.word(.at, .approximately), Is.time { $0.hasClock && !$0.hasDate }]) { $0[1] },
        rule("oito da noite", [Is.number(1...12), Is.part]) {
            guard let h = $0[0].int, case .part(let part) = $0[1] else { return nil }
            var s = TimeSpec.clock(h)
            s.part = part
            return .time(s)
        },
        rule("3 da tarde", [Is.bareHour, Is.part]) {
            guard var s = $0[0].spec, case .part(let part) = $0[1] else { return nil }
            s.part = part
            return .time(s)
        },
        rule("3pm", [Is.time { $0.hasClock && !$0.hasDate && $0.part == nil && (0...12).contains($0.hour ?? 99) },
                     Is.word(.am, .pm)]) {
            guard var s = $0[0].spec, let h = s.hour else { return nil }
            s.hour = $0[1] == .word(.pm) ? h % 12 + 12 : h % 12
            s.ambiguousHour = false
            return .time(s)
        },
        rule("3 pm", [Is.number(1...12), Is.word(.am, .pm)]) {
            guard let h = $0[0].int else { return nil }
            return .time(.clock($0[1] == .word(.pm) ? h % 12 + 12 : h % 12, ambiguous: false))
        },
        rule("tres e quinze", [Is.bareHour, Is.word(.and), { $0.piece.minutes != nil }]) {
            guard let s = $0[0].spec, let m = $0[2].minutes else { return nil }
            return clockWithMinutes(s, hourDelta: 0, minute: m)
        },
        rule("quinze para as 3", [{ $0.piece.minutes != nil }, Is.word(.to), Is.bareHour]) {
            guard let s = $0[2].spec, let m = $0[0].minutes else { return nil }
            return clockWithMinutes(s, hourDelta: -1, minute: 60 - m)
        },
        rule("20 minutos para as 3", [Is.number(1...59), { $0.piece == .unit(.minute) }, Is.word(.to), Is.bareHour]) {
            guard let s = $0[3].spec, let m = $0[0].int else { return nil }
            return clockWithMinutes(s, hourDelta: -1, minute: 60 - m)
        },
    ]

    static let dotClock: [DateRule] = [
        rule("15.30", [Is.number(0...24, digits: 1...2), Is.word(.dot), Is.number(0...59, digits: 2...2)]) {
            guard let h = $0[0].int, let m = $0[2].int else { return nil }
            return .time(.clock(h, m, grain: .minute))
        },
    ]

    /// "5 e quinze", "5 y cuarto": an hour and its minutes without "às".
    static let bareMinutes: [DateRule] = [
        rule("5 e quinze", [Is.number(0...23), Is.word(.and), { $0.piece.minutes != nil }]) {
            guard let h = $0[0].int, let m = $0[2].minutes else { return nil }
            return .time(.clock(h, m, grain: .minute))
        },
    ]

    /// "seis cero dos": 6:02 said digit by digit.
    static let spokenDigits: [DateRule] = [
        rule("seis cero dos", [Is.bareHour, Is.word(.oh), Is.number(0...9, digits: 0...1)]) {
            guard let s = $0[0].spec, let m = $0[2].int else { return nil }
            return clockWithMinutes(s, hourDelta: 0, minute: m)
        },
        rule("seis cero dos", [Is.number(1...12), Is.word(.oh), Is.number(0...9, digits: 0...1)]) {
            guard let h = $0[0].int, let m = $0[2].int else { return nil }
            return .time(.clock(h, m, grain: .minute))
        },
        rule("6 0 2", [Is.bareHour, Is.number(0...0, digits: 1...1), Is.number(0...9, digits: 1...1)]) {
            guard let s = $0[0].spec, let m = $0[2].int else { return nil }
            return clockWithMinutes(s, hourDelta: 0, minute: m)
        },
    ]

    static let spanishMinus = rule("las doce menos cinco", [Is.bareHour, Is.word(.minus), { $0.piece.minutes != nil }]) {
        guard let s = $0[0].spec, let m = $0[2].minutes else { return nil }
        return clockWithMinutes(s, hourDelta: -1, minute: 60 - m)
    }

    static let englishClock: [DateRule] = [
        rule("quarter past 3", [{ $0.piece.minutes != nil }, Is.word(.past), Is.bareHour]) {
            guard let s = $0[2].spec, let m = $0[0].minutes else { return nil }
            return clockWithMinutes(s, hourDelta: 0, minute: m)
        },
        rule("20 minutes past 3", [Is.number(1...59), { $0.piece == .unit(.minute) }, Is.word(.past, .from), Is.bareHour]) {
            guard let s = $0[3].spec, let m = $0[0].int else { return nil }
            return clockWithMinutes(s, hourDelta: 0, minute: m)
        },
        rule("ten thirty", [Is.number(1...12), Is.number(10...59, digits: 0...0)]) {
            guard let h = $0[0].int, let m = $0[1].int else { return nil }
            return .time(.clock(h, m, grain: .minute))
        },
        rule("at 3 15", [Is.time { $0.hasClock && $0.minute == nil && !$0.hasDate && $0.part == nil },
                         Is.number(10...59, digits: 2...2)]) {
            guard let s = $0[0].spec, let m = $0[1].int else { return nil }
            return clockWithMinutes(s, hourDelta: 0, minute: m)
        },
        rule("twelve oh three", [Is.number(1...12), Is.word(.oh), Is.number(0...9, digits: 0...1)]) {
            guard let h = $0[0].int, let m = $0[2].int else { return nil }
            return .time(.clock(h, m, grain: .minute))
        },
        rule("ten-thirty", [Is.number(1...12, digits: 0...0), Is.word(.dash), Is.number(10...59, digits: 0...0)]) {
            guard let h = $0[0].int, let m = $0[2].int else { return nil }
            return .time(.clock(h, m, grain: .minute))
        },
        rule("twelve-oh-three", [Is.number(1...12, digits: 0...0), Is.word(.dash), Is.word(.oh), Is.word(.dash),
                                 Is.number(0...9, digits: 0...0)]) {
            guard let h = $0[0].int, let m = $0[4].int else { return nil }
            return .time(.clock(h, m, grain: .minute))
        },
        rule("7a", [Is.number(1...12, digits: 1...2), { $0.attached && $0.piece == .number(1, digits: 0) }]) {
            $0[0].int.map { .time(.clock($0 % 12, ambiguous: false)) }
        },
        rule("3:18a", [Is.time { $0.hasClock && !$0.hasDate && $0.part == nil && ($0.hour ?? 99) <= 12 },
                       { $0.attached && $0.piece == .number(1, digits: 0) }]) {
            guard var s = $0[0].spec, let h = s.hour else { return nil }
            (s.hour, s.ambiguousHour) = (h % 12, false)
            return .time(s)
        },
        rule("9 tomorrow", [Is.number(1...12), Is.time { !$0.hasClock && ($0.hasDate || $0.part != nil) && $0.shift == nil }]) {
            guard let h = $0[0].int else { return nil }
            return merge(.time(.clock(h)), $0[1])
        },
        rule("tonight 815", [Is.time { !$0.hasClock && $0.part != nil }, Is.number(100...1259, digits: 3...4)]) {
            guard let clock = compact($0[1]) else { return nil }
            return merge($0[0], clock)
        },
        rule("at 1030", [Is.word(.at, .approximately), Is.number(100...2359, digits: 3...4)]) { compact($0[1]) },
        rule("330 pm", [Is.number(100...1259, digits: 3...4), Is.word(.am, .pm)]) {
            guard case .time(var s)? = compact($0[0]), let h = s.hour, h <= 12 else { return nil }
            s.hour = $0[1] == .word(.pm) ? h % 12 + 12 : h % 12
            s.ambiguousHour = false
            return .time(s)
        },
    ]

    /// "1030" → 10:30.
    static func compact(_ piece: DatePiece) -> DatePiece? {
        guard let n = piece.int, n % 100 < 60, n / 100 <= 23 else { return nil }
        return .time(.clock(n / 100, n % 100, grain: .minute))
    }
}
