/// Builds a lexicon a few phrases at a time; accents and case are folded when phrases are tokenised.
struct LexiconBuilder {
    private(set) var pairs: [(String, DatePiece)] = []

    mutating func add(_ piece: DatePiece, _ phrases: String...) { add(piece, phrases) }
    mutating func add(_ piece: DatePiece, _ phrases: [String]) {
        for phrase in phrases { pairs.append((phrase, piece)) }
    }
    mutating func word(_ word: DateWord, _ phrases: String...) { add(.word(word), phrases) }
    mutating func numbers(_ words: [(String, Int)]) {
        for (text, value) in words { add(.number(value, digits: 0), text) }
    }
    mutating func days(_ offsets: [(String, Int)]) {
        for (text, offset) in offsets { add(.time(.day(offset: offset)), text) }
    }
    /// Names in order from Monday (or January); `short` forms also with a trailing dot.
    mutating func weekdays(_ names: [[String]], short: [[String]]) {
        for (index, forms) in names.enumerated() { add(.weekday(index + 1, short: false), forms) }
        for (index, forms) in short.enumerated() {
            add(.weekday(index + 1, short: true), forms + forms.map { $0 + "." })
        }
    }
    mutating func months(_ names: [[String]], short: [[String]]) {
        for (index, forms) in names.enumerated() { add(.month(index + 1, short: false), forms) }
        for (index, forms) in short.enumerated() {
            add(.month(index + 1, short: true), forms + forms.map { $0 + "." })
        }
    }
    mutating func units(_ units: [(DateGrain, [String])]) {
        for (grain, forms) in units { add(.unit(grain), forms) }
    }
    mutating func now(_ phrases: String...) {
        var spec = TimeSpec()
        spec.shift = .init(amount: 0, unit: .second)
        add(.time(spec), phrases)
    }
    mutating func common() {
        word(.colon, ":")
        word(.slash, "/")
        word(.dash, "-", "–")
        word(.dot, ".")
        word(.comma, ",")
        word(.am, "am", "a.m.", "a.m")
        word(.pm, "pm", "p.m.", "p.m")
        word(.hourMark, "h")
        add(.part(DayPart(from: 0, to: 6)), "madrugada")
    }
}

extension DateLexicon {
    static let portuguese: DateLexicon = {
        var b = LexiconBuilder()
        b.common()
        b.numbers([("zero", 0), ("um", 1), ("uma", 1), ("dois", 2), ("duas", 2), ("tres", 3), ("quatro", 4),
                   ("cinco", 5), ("seis", 6), ("sete", 7), ("oito", 8), ("nove", 9), ("dez", 10), ("onze", 11),
                   ("doze", 12), ("treze", 13), ("catorze", 14), ("quatorze", 14), ("quinze", 15),
                   ("dezesseis", 16), ("dezasseis", 16), ("dezessete", 17), ("dezoito", 18), ("dezenove", 19),
                   ("vinte", 20), ("trinta", 30), ("quarenta", 40), ("cinquenta", 50)])
        b.add(.ordinal(1), "primeiro", "primeira")
        b.word(.ordinalSuffix, "o", "a")
        b.days([("hoje", 0), ("hj", 0), ("amanha", 1), ("amnh", 1), ("depois de amanha", 2), ("ontem", -1),
                ("anteontem", -2), ("antes de ontem", -2)])
        b.now("agora", "ja", "nesse instante", "neste instante", "agora mesmo")
        b.days([("nesse momento", 0), ("neste momento", 0)])
        let weekdays = ["segunda", "terca", "quarta", "quinta", "sexta"]
        b.weekdays(weekdays.map { [$0, "\($0)-feira", "\($0) feira", "\($0)feira"] } + [["sabado"], ["domingo"]],
                   short: [["seg"], ["ter."], ["qua"], ["qui"], ["sex"], ["sab"], ["dom"]])
        b.months([["janeiro"], ["fevereiro"], ["marco"], ["abril"], ["maio"], ["junho"], ["julho"], ["agosto"],
                  ["setembro"], ["outubro"], ["novembro"], ["dezembro"]],
                 short: [["jan"], ["fev"], ["mar"], ["abr"], ["mai"], ["jun"], ["jul"], ["ago"], ["set"], ["out"],
                         ["nov"], ["dez"]])
        b.units([(.second, ["segundo", "segundos", "seg", "segs"]), (.minute, ["minuto", "minutos", "min", "mins"]),
                 (.hour, ["hora", "horas", "h", "hs", "hrs"]), (.day, ["dia", "dias"]), (.week, ["semana", "semanas"]),
                 (.month, ["mes", "meses"]), (.year, ["ano", "anos"])])
        b.add(.duration(30, .minute), "meia hora", "meia-hora")
        // "ao" before noon is "at", not the end of a range ("sábado ao meio-dia").
        b.add(.time(.clock(12, ambiguous: false)), "meio dia", "meio-dia", "meiodia", "ao meio dia", "ao meio-dia", "ao meiodia")
        b.add(.time(.clock(0, ambiguous: false)), "meia noite", "meia-noite", "meianoite")
        b.add(.part(DayPart(from: 4, to: 12)), "manha", "de manha", "pela manha", "da manha", "na manha",
              "cedo", "de manha cedo", "na parte da manha")
        b.add(.part(DayPart(from: 12, to: 19)), "a tarde", "de tarde", "pela tarde", "da tarde", "na tarde",
              "na parte da tarde")
        b.add(.part(DayPart(from: 18, to: 24)), "noite", "a noite", "de noite", "pela noite", "da noite", "na noite")
        b.word(.greeting, "bom dia", "boa tarde", "boa noite", "bon dia", "boa madrugada")
        b.add(.part(DayPart(from: 0, to: 6)), "de madrugada", "da madrugada")
        b.add(.part(DayPart(from: 12, to: 14)), "no almoco", "na hora do almoco", "hora do almoco")
        b.add(.part(DayPart(from: 13, to: 17)), "depois do almoco", "apos o almoco", "depois de almoco")
        var weekend = TimeSpec()
        weekend.weekend = true
        b.add(.time(weekend), "fim de semana", "final de semana", "fds", "fim-de-semana")
        b.word(.at, "as", "a partir das", "pelas", "la pelas", "lá pelas", "por volta das", "por volta da")
        b.word(.the, "no", "na", "o", "em")
        b.word(.dayWord, "dia")
        b.word(.of, "de", "do", "da", "das", "dos", "desta", "dessa", "deste", "desse")
        b.word(.this, "este", "esta", "esse", "essa", "neste", "nesta", "nesse", "nessa", "desta", "dessa",
               "deste", "desse", "atual", "actual")
        b.word(.next, "proximo", "proxima", "proximos", "proximas", "seguinte")
        b.word(.comingAfter, "que vem", "que vao vir")
        b.word(.last, "passado", "passada", "passados", "passadas", "ultimo", "ultima", "ultimos", "ultimas",
               "anterior", "anteriores")
        b.word(.and, "e")
        b.word(.half, "meia")
        b.word(.to, "para", "para as", "para o", "para a", "pras", "pra", "pro")
        b.word(.oclock, "horas", "hora", "hs", "hrs")
        b.word(.inFuture, "em", "daqui a", "daqui", "dentro de")
        b.word(.agoPrefix, "faz", "fazem", "ha")
        b.word(.agoSuffix, "atras")
        b.word(.rangeSep, "a", "ate", "ao", "ate ao", "ate a", "ate as")
        b.word(.from, "de", "do", "das", "desde", "a partir de", "a partir do", "a partir das")
        b.word(.between, "entre", "entre o", "entre as")
        b.word(.lasting, "por", "durante")
        return DateLexicon(b.pairs)
    }()

    static let spanish: DateLexicon = {
        var b = LexiconBuilder()
        b.common()
        b.numbers([("cero", 0), ("uno", 1), ("una", 1), ("un", 1), ("dos", 2), ("tres", 3), ("cuatro", 4),
                   ("cinco", 5), ("seis", 6), ("siete", 7), ("ocho", 8), ("nueve", 9), ("diez", 10), ("once", 11),
                   ("doce", 12), ("trece", 13), ("catorce", 14), ("quince", 15), ("dieciseis", 16),
                   ("diecisiete", 17), ("dieciocho", 18), ("diecinueve", 19), ("veinte", 20), ("veintiuno", 21),
                   ("veintidos", 22), ("veintitres", 23), ("veinticuatro", 24), ("veinticinco", 25),
                   ("veintiseis", 26), ("veintisiete", 27), ("veintiocho", 28), ("veintinueve", 29),
                   ("treinta", 30), ("cuarenta", 40), ("cincuenta", 50)])
        b.add(.ordinal(1), "primero", "primera")
        b.word(.ordinalSuffix, "o", "ro", "a")
        b.days([("hoy", 0), ("en este momento", 0), ("manana", 1), ("pasado manana", 2), ("ayer", -1),
                ("anteayer", -2), ("antier", -2), ("antes de ayer", -2)])
        b.now("ahora", "ya", "ahorita", "cuanto antes", "ahora mismo")
        b.weekdays([["lunes"], ["martes"], ["miercoles"], ["jueves"], ["viernes"], ["sabado"], ["domingo"]],
                   short: [["lu", "lun"], ["ma", "mar"], ["mx", "mie", "mier"], ["jue", "ju"], ["vie"], ["sab"],
                           ["dom"]])
        b.months([["enero"], ["febrero"], ["marzo"], ["abril"], ["mayo"], ["junio"], ["julio"], ["agosto"],
                  ["septiembre", "setiembre"], ["octubre"], ["noviembre"], ["diciembre"]],
                 short: [["ene"], ["feb"], ["mar"], ["abr"], ["may"], ["jun"], ["jul"], ["ago"], ["sep", "set"],
                         ["oct"], ["nov"], ["dic"]])
        b.units([(.second, ["segundo", "segundos", "seg"]), (.minute, ["minuto", "minutos", "min", "mins"]),
                 (.hour, ["hora", "horas", "h", "hs"]), (.day, ["dia", "dias"]), (.week, ["semana", "semanas"]),
                 (.month, ["mes", "meses"]), (.year, ["ano", "anos"])])
        b.add(.duration(30, .minute), "media hora")
        b.add(.time(.clock(12, ambiguous: false)), "mediodia", "medio dia", "al mediodia", "al medio dia")
        b.add(.time(.clock(0, ambiguous: false)), "medianoche", "media noche")
        b.add(.part(DayPart(from: 4, to: 12)), "por la manana", "de la manana", "en la manana", "temprano")
        b.add(.part(DayPart(from: 12, to: 19)), "por la tarde", "de la tarde", "en la tarde")
        b.add(.part(DayPart(from: 18, to: 24)), "noche", "por la noche", "de la noche", "en la noche")
        b.word(.greeting, "buenos dias", "buen dia", "buenas tardes", "buenas noches", "buenas")
        b.add(.part(DayPart(from: 0, to: 6)), "de la madrugada", "en la madrugada")
        b.add(.part(DayPart(from: 13, to: 17)), "despues del almuerzo", "despues de almorzar",
              "despues de comer")
        var weekend = TimeSpec()
        weekend.weekend = true
        b.add(.time(weekend), "fin de semana", "finde", "weekend", "fin de")
        b.word(.at, "a las", "a la", "las", "la", "al las", "para las", "para la", "a", "sobre las", "tipo")
        b.word(.the, "el", "los", "en")
        b.word(.dayWord, "dia")
        b.word(.of, "de", "del", "de la")
        b.word(.this, "este", "esta", "estos", "estas", "actual")
        b.word(.next, "proximo", "proxima", "proximos", "proximas", "siguiente", "siguientes")
        b.word(.comingAfter, "que viene", "que vienen", "entrante")
        b.word(.last, "pasado", "pasada", "pasados", "pasadas", "ultimo", "ultima", "ultimos", "ultimas",
               "anterior", "anteriores")
        b.word(.and, "y", "e")
        b.word(.half, "media")
        b.word(.quarter, "cuarto")
        b.word(.minus, "menos")
        b.word(.to, "para las", "para la")
        b.word(.oclock, "horas", "hora", "hs")
        b.word(.inFuture, "en", "dentro de")
        b.word(.agoPrefix, "hace")
        b.word(.rangeSep, "a", "al", "hasta", "hasta el", "hasta las")
        b.word(.from, "desde", "de", "del", "desde el", "desde las")
        b.word(.between, "entre", "entre el", "entre las")
        b.word(.oh, "cero", "zero")
        b.word(.lasting, "por", "durante")
        return DateLexicon(b.pairs)
    }()

    static let english: DateLexicon = {
        var b = LexiconBuilder()
        b.common()
        b.numbers([("zero", 0), ("one", 1), ("a", 1), ("an", 1), ("two", 2), ("three", 3), ("four", 4),
                   ("five", 5), ("six", 6), ("seven", 7), ("eight", 8), ("nine", 9), ("ten", 10), ("eleven", 11),
                   ("twelve", 12), ("thirteen", 13), ("fourteen", 14), ("fifteen", 15), ("sixteen", 16),
                   ("seventeen", 17), ("eighteen", 18), ("nineteen", 19), ("twenty", 20), ("thirty", 30),
                   ("forty", 40), ("fifty", 50), ("a couple of", 2), ("a couple", 2), ("couple of", 2),
                   ("a pair of", 2), ("a few", 3), ("few", 3)])
        let ordinals = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
                        "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth",
                        "seventeenth", "eighteenth", "nineteenth", "twentieth"]
        for (index, word) in ordinals.enumerated() { b.add(.ordinal(index + 1), word) }
        b.add(.ordinal(30), "thirtieth")
        b.word(.ordinalSuffix, "st", "nd", "rd", "th")
        b.days([("today", 0), ("at this time", 0), ("tomorrow", 1), ("tomorrows", 1), ("tmrw", 1),
                ("the day after tomorrow", 2), ("day after tomorrow", 2), ("yesterday", -1),
                ("the day before yesterday", -2), ("day before yesterday", -2)])
        b.now("now", "right now", "just now", "at the moment", "atm")
        b.weekdays([["monday"], ["tuesday"], ["wednesday"], ["thursday"], ["friday"], ["saturday"], ["sunday"]],
                   short: [["mon"], ["tue", "tues"], ["wed"], ["thu", "thur", "thurs"], ["fri"], ["sat"], ["sun"]])
        b.months([["january"], ["february"], ["march"], ["april"], ["may"], ["june"], ["july"], ["august"],
                  ["september"], ["october"], ["november"], ["december"]],
                 short: [["jan"], ["feb"], ["mar"], ["apr"], ["may"], ["jun"], ["jul"], ["aug"], ["sep", "sept"],
                         ["oct"], ["nov"], ["dec"]])
        b.units([(.second, ["second", "seconds", "sec", "secs"]), (.minute, ["minute", "minutes", "min", "mins"]),
                 (.hour, ["hour", "hours", "h", "hr", "hrs"]), (.day, ["day", "days"]), (.week, ["week", "weeks"]),
                 (.month, ["month", "months"]), (.year, ["year", "years", "yr", "yrs"])])
        b.add(.duration(30, .minute), "half an hour", "half hour", "1/2h", "1/2 h", "1/2 hour")
        b.add(.duration(15, .minute), "a quarter of an hour", "quarter of an hour", "1/4h", "1/4 h", "1/4 hour")
        b.add(.duration(45, .minute), "three-quarters of an hour", "3/4h", "3/4 h", "3/4 hour")
        b.add(.duration(14, .day), "a fortnight")
        b.add(.time(.clock(12, ambiguous: false)), "noon", "midday", "mid day", "the midday")
        b.add(.time(.clock(0, ambiguous: false)), "midnight")
        b.add(.part(DayPart(from: 0, to: 12)), "morning", "in the morning", "mornings")
        b.add(.part(DayPart(from: 0, to: 9)), "early morning", "early in the morning")
        b.add(.part(DayPart(from: 12, to: 19)), "afternoon", "in the afternoon", "afternoonish", "in afternoon")
        b.add(.part(DayPart(from: 18, to: 24)), "evening", "night", "in the evening", "at night", "tonight", "tonite")
        b.word(.greeting, "good morning", "good afternoon", "good evening", "good night")
        b.add(.part(DayPart(from: 12, to: 14)), "lunch", "at lunch", "lunchtime")
        b.add(.part(DayPart(from: 13, to: 17)), "after lunch")
        var tonight = TimeSpec()
        (tonight.dayOffset, tonight.part) = (0, DayPart(from: 18, to: 24))
        b.add(.time(tonight), "tonight", "tonite")
        var weekend = TimeSpec()
        weekend.weekend = true
        b.add(.time(weekend), "weekend", "week-end", "week end", "wkend")
        b.word(.at, "at", "@", "for")
        b.word(.the, "the", "on", "on the", "in", "during")
        b.word(.dayWord, "day")
        b.word(.of, "of", "of the", "in")
        b.word(.this, "this", "current", "the current")
        b.word(.next, "next", "coming", "following", "the following", "the next")
        b.word(.upcoming, "upcoming")
        b.word(.comingAfter, "after next")
        b.word(.of, "'s", "’s")
        b.word(.lasting, "for", "lasting")
        b.word(.am, "in the am", "in the a.m.")
        b.word(.pm, "in the pm", "in the p.m.")
        var lastNight = TimeSpec()
        (lastNight.dayOffset, lastNight.part) = (-1, DayPart(from: 18, to: 24))
        b.add(.time(lastNight), "last night")
        (lastNight.dayOffset, lastNight.part) = (-1, DayPart(from: 21, to: 24))
        b.add(.time(lastNight), "late last night")
        (lastNight.dayOffset, lastNight.part) = (0, DayPart(from: 21, to: 24))
        b.add(.time(lastNight), "late tonight", "late tonite")
        var pastWeekend = TimeSpec()
        (pastWeekend.weekend, pastWeekend.weekOffset) = (true, -1)
        b.add(.time(pastWeekend), "this past weekend", "last weekend", "past weekend")
        let plural = ["mondays", "tuesdays", "wednesdays", "thursdays", "fridays", "saturdays", "sundays"]
        for (index, name) in plural.enumerated() { b.add(.weekday(index + 1, short: false), name) }
        b.word(.last, "last", "past", "previous", "the previous", "the last")
        b.word(.and, "and")
        b.word(.half, "half")
        b.word(.quarter, "quarter", "a quarter")
        b.word(.to, "to", "till", "before", "of")
        b.word(.past, "past", "after")
        b.word(.oclock, "o'clock", "oclock", "o clock", "o’clock")
        b.word(.pm, "p", "p.")
        b.word(.inFuture, "in", "in about", "within")
        b.word(.fromNow, "from now", "hence", "from today", "from right now")
        b.word(.agoSuffix, "ago", "back")
        b.word(.rangeSep, "to", "thru", "through", "till", "until", "untill", "to the")
        b.word(.from, "from", "from the")
        b.word(.between, "between", "in between")
        b.word(.oh, "oh", "o", "zero", "ou")
        b.word(.approximately, "around", "about", "approximately", "approx", "ish", "at about")
        return DateLexicon(b.pairs)
    }()

    static func forLanguage(_ language: Language) -> DateLexicon {
        switch language {
        case .pt: portuguese
        case .es: spanish
        case .en: english
        }
    }
}
