import Assistant
import Foundation
import Testing

@Suite struct BusinessHoursTests {
    static let saoPaulo = TimeZone(identifier: "America/Sao_Paulo")!
    static let manaus = TimeZone(identifier: "America/Manaus")!

    /// `y-m-d h:m` as wall-clock time in `zone`.
    static func at(_ text: String, _ zone: TimeZone = saoPaulo) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let n = text.split(whereSeparator: { "- :".contains($0) }).map { Int($0)! }
        return calendar.date(from: DateComponents(year: n[0], month: n[1], day: n[2], hour: n[3], minute: n[4]))!
    }

    @Test(arguments: [
        ("2026-12-07 08:59", false), ("2026-12-07 09:00", true), ("2026-12-07 17:59", true), ("2026-12-07 18:00", false),
        ("2026-12-05 12:59", true), ("2026-12-05 13:00", false), ("2026-12-06 10:00", false),
    ])
    func theStandardWeekIsOpenOnWeekdaysAndSaturdayMornings(_ time: String, _ open: Bool) {
        #expect(BusinessHours.standard.isOpen(at: Self.at(time), timeZone: Self.saoPaulo) == open)
    }

    @Test func theSameInstantIsReadInTheBusinessZone() {
        // 09:30 in São Paulo is 08:30 in Manaus: open in one, not yet in the other.
        let instant = Self.at("2026-12-07 09:30", Self.saoPaulo)
        #expect(BusinessHours.standard.isOpen(at: instant, timeZone: Self.saoPaulo))
        #expect(!BusinessHours.standard.isOpen(at: instant, timeZone: Self.manaus))
        #expect(BusinessHours.standard.nextOpening(after: instant, timeZone: Self.manaus) == Self.at("2026-12-07 09:00", Self.manaus))
    }

    @Test func aHolidayIsClosedAllDayAndSkippedByTheNextOpening() {
        let hours = BusinessHours(days: BusinessHours.standard.days, holidays: ["2026-12-25"])
        #expect(!hours.isOpen(at: Self.at("2026-12-25 10:00"), timeZone: Self.saoPaulo))
        #expect(hours.isOpen(at: Self.at("2026-12-24 10:00"), timeZone: Self.saoPaulo))
        #expect(hours.nextOpening(after: Self.at("2026-12-24 19:00"), timeZone: Self.saoPaulo) == Self.at("2026-12-26 09:00"))
    }

    @Test func theNextOpeningAfterClosingIsTheNextIntervalStart() {
        let hours = BusinessHours.standard
        #expect(hours.nextOpening(after: Self.at("2026-12-07 07:00"), timeZone: Self.saoPaulo) == Self.at("2026-12-07 09:00"))
        #expect(hours.nextOpening(after: Self.at("2026-12-05 14:00"), timeZone: Self.saoPaulo) == Self.at("2026-12-07 09:00"))
        // While open, the next opening is tomorrow's.
        #expect(hours.nextOpening(after: Self.at("2026-12-07 10:00"), timeZone: Self.saoPaulo) == Self.at("2026-12-08 09:00"))
        #expect(BusinessHours(days: []).nextOpening(after: Self.at("2026-12-07 10:00"), timeZone: Self.saoPaulo) == nil)
    }

    @Test func aNightShiftIsTwoIntervalsAndOneOpening() throws {
        // Friday 22:00 – Saturday 02:00.
        let hours = BusinessHours(days: [.init(weekday: 6, intervals: [.init(22, to: 24)]), .init(weekday: 7, intervals: [.init(0, to: 2)])])
        try hours.validate()
        #expect(hours.isOpen(at: Self.at("2026-12-04 23:30"), timeZone: Self.saoPaulo))
        #expect(hours.isOpen(at: Self.at("2026-12-05 01:30"), timeZone: Self.saoPaulo))
        #expect(!hours.isOpen(at: Self.at("2026-12-05 02:00"), timeZone: Self.saoPaulo))
        // Open at 23:30 on Friday: the next opening is the next Friday night, not Saturday 00:00.
        #expect(hours.nextOpening(after: Self.at("2026-12-04 23:30"), timeZone: Self.saoPaulo) == Self.at("2026-12-11 22:00"))
    }

    @Test(arguments: [
        (BusinessHours(days: [.init(weekday: 2, intervals: [.init(start: 1200, end: 120)])]), "Mon 20:00–02:00"),
        (BusinessHours(days: [.init(weekday: 2, intervals: [.init(9, to: 12), .init(11, to: 14)])]), "overlaps"),
        (BusinessHours(days: [.init(weekday: 8, intervals: [])]), "weekday 8"),
        (BusinessHours(days: [.init(weekday: 3, intervals: []), .init(weekday: 3, intervals: [])]), "Tue is given twice"),
        (BusinessHours(days: [], holidays: ["2026-02-30"]), "2026-02-30"),
        (BusinessHours(days: [.init(weekday: 2, intervals: [.init(start: 0, end: 1441)])]), "Mon"),
    ])
    func validationNamesTheBadPart(_ hours: BusinessHours, _ named: String) {
        #expect {
            try hours.validate()
        } throws: { error in
            "\(error)".contains(named)
        }
    }

    @Test func theStandardWeekIsValid() throws {
        try BusinessHours.standard.validate()
    }

    @Test(arguments: [
        (Language.pt, "seg a sex 9h–18h, sáb 9h–13h"),
        (.es, "lun a vie 9:00–18:00, sáb 9:00–13:00"),
        (.en, "Mon–Fri 9:00–18:00, Sat 9:00–13:00"),
    ])
    func theSummaryGroupsDaysWithTheSameHours(_ language: Language, _ expected: String) {
        #expect(BusinessHours.standard.summary(language: language) == expected)
    }

    @Test func theSummaryShowsSplitDaysAndHalfHours() {
        let hours = BusinessHours(days: [
            .init(weekday: 2, intervals: [.init(8, 30, to: 12), .init(14, to: 18)]),
            .init(weekday: 4, intervals: [.init(8, 30, to: 12), .init(14, to: 18)]),
            .init(weekday: 7, intervals: [.init(9, to: 13)]), .init(weekday: 1, intervals: [.init(9, to: 13)]),
        ])
        #expect(hours.summary(language: .pt) == "seg 8h30–12h e 14h–18h, qua 8h30–12h e 14h–18h, sáb e dom 9h–13h")
    }

    @Test func hoursRoundTripThroughJSON() throws {
        let hours = BusinessHours(days: BusinessHours.standard.days, holidays: ["2026-12-25"])
        #expect(try JSONDecoder().decode(BusinessHours.self, from: JSONEncoder().encode(hours)) == hours)
    }
}
