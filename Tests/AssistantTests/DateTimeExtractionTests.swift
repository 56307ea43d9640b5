import Assistant
import Foundation
import Testing

/// Booking language resolved against a fixed reference: Tuesday 30 December 2025, 10:00 in São
/// Paulo, two days before a new year.
@Suite struct DateTimeExtractionTests {
    static let saoPaulo = TimeZone(identifier: "America/Sao_Paulo") ?? .gmt
    static let reference = local(2025, 12, 30, 10)

    static func local(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 0, _ min: Int = 0, in zone: TimeZone = saoPaulo) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: DateComponents(year: y, month: m, day: d, hour: h, minute: min)) ?? .distantPast
    }

    func value(_ text: String, _ language: Language = .pt, hours: Range<Int>? = nil, at reference: Date = reference)
        -> DateTimeValue?
    {
        EntityExtractor(language: language, timeZone: Self.saoPaulo, businessHours: hours)
            .dates(in: text, reference: reference).first?.value
    }

    @Test(arguments: [
        ("amanhã às 14h", DateTimeValue.instant(local(2025, 12, 31, 14), grain: .minute)),
        ("hj 14h30", .instant(local(2025, 12, 30, 14, 30), grain: .minute)),
        ("depois de amanhã", .instant(local(2026, 1, 1), grain: .day)),
        ("próxima terça", .instant(local(2026, 1, 6), grain: .day)),
        ("quarta que vem", .instant(local(2026, 1, 7), grain: .day)),
        ("semana que vem", .instant(local(2026, 1, 5), grain: .week)),
        ("meio dia e meia", .instant(local(2025, 12, 30, 12, 30), grain: .minute)),
        ("sábado ao meio-dia", .instant(local(2026, 1, 3, 12), grain: .hour)),
        ("quinze para as 3", .instant(local(2025, 12, 30, 14, 45), grain: .minute)),
        ("22 de dezembro", .instant(local(2026, 12, 22), grain: .day)),
        ("sab", .instant(local(2026, 1, 3), grain: .day)),
        ("seg", .instant(local(2026, 1, 5), grain: .day)),
        ("daqui a 3 dias", .instant(local(2026, 1, 2, 10), grain: .hour)),
        ("em 2 horas", .instant(local(2025, 12, 30, 12), grain: .minute)),
        ("sexta de manhã", .interval(from: local(2026, 1, 2, 4), to: local(2026, 1, 2, 12), grain: .hour)),
        ("dia 5 depois do almoço", .interval(from: local(2026, 1, 5, 13), to: local(2026, 1, 5, 17), grain: .hour)),
        ("à tarde", .interval(from: local(2025, 12, 30, 12), to: local(2025, 12, 30, 19), grain: .hour)),
        ("à noite", .interval(from: local(2025, 12, 30, 18), to: local(2025, 12, 31), grain: .hour)),
        ("amanhã de manhã", .interval(from: local(2025, 12, 31, 4), to: local(2025, 12, 31, 12), grain: .hour)),
        ("este fim de semana", .interval(from: local(2026, 1, 2, 18), to: local(2026, 1, 5), grain: .hour)),
    ])
    func portugueseBookingPhrasesResolveInTheBusinessZone(_ text: String, _ expected: DateTimeValue) {
        #expect(value(text) == expected, "\(text)")
    }

    @Test func aGreetingIsNotATimeOfDay() {
        #expect(value("Boa noite, vcs tem horário amanhã 10h?") == .instant(Self.local(2025, 12, 31, 10), grain: .minute))
        #expect(value("bom dia") == nil)
        #expect(value("buenas tardes, ¿tienen hora el viernes?", .es) == .instant(Self.local(2026, 1, 2), grain: .day))
        #expect(value("good evening, tomorrow at 3pm?", .en) == .instant(Self.local(2025, 12, 31, 15), grain: .hour))
        // A time of day is still one without the greeting's first word.
        #expect(value("amanhã à noite") == .interval(from: Self.local(2025, 12, 31, 18), to: Self.local(2026, 1, 1), grain: .hour))
    }

    @Test func aWeekIsARangeOfSevenDays() throws {
        let week = try #require(value("semana que vem")).dateInterval(in: Self.saoPaulo)
        #expect(week == DateInterval(start: Self.local(2026, 1, 5), end: Self.local(2026, 1, 12)))
    }

    @Test func dayMonthNumbersAreNeverReadMonthFirstInPortugueseOrSpanish() {
        #expect(value("02/03") == .instant(Self.local(2026, 3, 2), grain: .day))
        #expect(value("el 02/03", .es) == .instant(Self.local(2026, 3, 2), grain: .day))
        #expect(value("05/01/2026") == .instant(Self.local(2026, 1, 5), grain: .day))
        #expect(value("13/02") == .instant(Self.local(2026, 2, 13), grain: .day))
        #expect(value("02/03", .en) == .instant(Self.local(2026, 2, 3), grain: .day))
    }

    @Test func anHourWithoutAmOrPmFallsInsideBusinessHours() {
        let lateNight = Self.local(2025, 12, 30, 1)
        #expect(value("às 2", at: lateNight) == .instant(Self.local(2025, 12, 30, 2), grain: .hour))
        #expect(value("às 2", hours: 8..<19, at: lateNight) == .instant(Self.local(2025, 12, 30, 14), grain: .hour))
        #expect(value("amanhã às 3", hours: 8..<19) == .instant(Self.local(2025, 12, 31, 15), grain: .hour))
        #expect(value("amanhã às 9", hours: 8..<19) == .instant(Self.local(2025, 12, 31, 9), grain: .hour))
        #expect(value("mañana a las 5", .es, hours: 8..<19) == .instant(Self.local(2025, 12, 31, 17), grain: .hour))
    }

    @Test func spanishAndEnglishBookingPhrases() {
        #expect(value("mañana a las 5", .es) == .instant(Self.local(2025, 12, 31, 5), grain: .hour))
        #expect(value("el próximo lunes", .es) == .instant(Self.local(2026, 1, 5), grain: .day))
        #expect(value("el sábado al mediodía", .es) == .instant(Self.local(2026, 1, 3, 12), grain: .hour))
        #expect(value("tomorrow at 3pm", .en) == .instant(Self.local(2025, 12, 31, 15), grain: .hour))
        #expect(value("next friday", .en) == .instant(Self.local(2026, 1, 9), grain: .day))
        #expect(value("this weekend", .en)
            == .interval(from: Self.local(2026, 1, 2, 18), to: Self.local(2026, 1, 5), grain: .hour))
    }

    @Test func theMatchPointsAtTheWordsInTheMessage() throws {
        let message = "Oi, queria marcar pra amanhã às 2 da tarde, pode ser?"
        let match = try #require(EntityExtractor(language: .pt, timeZone: Self.saoPaulo)
            .dates(in: message, reference: Self.reference).first)
        #expect(match.text == "amanhã às 2 da tarde")
        #expect(String(message[match.range]) == match.text)
        #expect(match.value == .instant(Self.local(2025, 12, 31, 14), grain: .hour))
    }

    @Test func twoOptionsInOneMessageStayTwoMatches() {
        let matches = EntityExtractor(language: .pt, timeZone: Self.saoPaulo)
            .dates(in: "pode ser sexta de manhã, dia 15 às 18h ou segunda, 19 de janeiro", reference: Self.reference)
        #expect(matches.map(\.text) == ["sexta de manhã", "dia 15 às 18h", "segunda, 19 de janeiro"])
        #expect(matches.last?.value == .instant(Self.local(2026, 1, 19), grain: .day))
    }

    @Test(arguments: ["vou ter que sair", "um", "no 987", "quero 2 unidades", "obrigado!"])
    func wordsThatOnlyLookLikeDatesAreNotDates(_ text: String) {
        #expect(EntityExtractor(language: .pt, timeZone: Self.saoPaulo).dates(in: text, reference: Self.reference).isEmpty)
    }

    /// São Paulo kept daylight saving until 2019: on 4 November 2018 its clocks went from 00:00
    /// to 01:00 (UTC−3 to UTC−2). A parser assuming UTC−3 would put 14:00 at 17:00 UTC.
    @Test func daylightSavingIsTheCalendarsNotAFixedOffset() throws {
        let utc = TimeZone(identifier: "UTC") ?? .gmt
        let reference = Self.local(2018, 11, 3, 10)
        let twoPM = try #require(value("amanhã às 14h", at: reference))
        #expect(twoPM.start == Self.local(2018, 11, 4, 16, in: utc))
        let day = try #require(value("amanhã", at: reference)).dateInterval(in: Self.saoPaulo)
        #expect(day.start == Self.local(2018, 11, 4, 3, in: utc), "the day starts at 01:00, after the skipped hour")
        #expect(day.duration == 23 * 3600)
    }
}
