import Assistant
import Desk
import Foundation
import Testing

/// Free slots from schedules alone: hours and breaks, time off, holidays, bookings with their
/// buffers, notice and horizon, daylight saving — and, over random schedules, exactly what a
/// minute-by-minute brute force finds.
@Suite struct SlotSearchTests {
    static let saoPaulo = TimeZone(identifier: "America/Sao_Paulo")!

    /// `yyyy-MM-dd HH:mm` in `zone`.
    static func at(_ text: String, _ zone: TimeZone = saoPaulo) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.date(from: text)!
    }

    static func local(_ date: Date, _ zone: TimeZone = saoPaulo) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "EEE HH:mm"
        return formatter.string(from: date)
    }

    /// Monday to Friday 9–12 and 13–18.
    static let week = BusinessHours(days: (2...6).map { BusinessHours.Day(weekday: $0, intervals: [.init(9, to: 12), .init(13, to: 18)]) })

    @Test func slotsFitInsideTheHoursAndLeaveTheLunchBreakFree() {
        // Monday 2026-12-07; asked on the Sunday before.
        let query = SlotQuery(duration: 60, staff: [StaffSchedule(staffID: "ana", hours: Self.week)], zone: Self.saoPaulo,
                              now: Self.at("2026-12-06 10:00"), granularity: 30)
        let monday = SlotSearch.free(query, from: Self.at("2026-12-07 00:00"), to: Self.at("2026-12-08 00:00"))
        #expect(monday.map { Self.local($0.start) } == ["Mon 09:00", "Mon 09:30", "Mon 10:00", "Mon 10:30", "Mon 11:00",
                                                         "Mon 13:00", "Mon 13:30", "Mon 14:00", "Mon 14:30", "Mon 15:00",
                                                         "Mon 15:30", "Mon 16:00", "Mon 16:30", "Mon 17:00"])
        #expect(monday.allSatisfy { $0.end.timeIntervalSince($0.start) == 3600 && $0.staffID == "ana" })
    }

    @Test func aBookingAndItsBufferBlockTheSlotsThatWouldRunIntoThem() {
        // Booked 10:00–11:00 with a 15-minute buffer: busy until 11:15.
        let busy = [DateInterval(start: Self.at("2026-12-07 10:00"), end: Self.at("2026-12-07 11:15"))]
        let query = SlotQuery(duration: 45, bufferAfter: 15, staff: [StaffSchedule(staffID: "ana", hours: Self.week, busy: busy)],
                              zone: Self.saoPaulo, now: Self.at("2026-12-06 10:00"), granularity: 15)
        let morning = SlotSearch.free(query, from: Self.at("2026-12-07 09:00"), to: Self.at("2026-12-07 12:00")).map { Self.local($0.start) }
        // 09:00 + 45 + 15 ends at 10:00: back to back is free; 09:15 would run into the booking.
        #expect(morning == ["Mon 09:00", "Mon 11:15"])
    }

    @Test func holidaysDaysOffAndTimeOffAreClosed() {
        var ana = StaffSchedule(staffID: "ana", hours: Self.week)
        ana.hours.holidays = ["2026-12-08"]                                    // Ana's day off on Tuesday
        ana.timeOff = [DateInterval(start: Self.at("2026-12-09 00:00"), end: Self.at("2026-12-09 15:00"))]
        let bia = StaffSchedule(staffID: "bia", hours: Self.week)
        let query = SlotQuery(duration: 60, staff: [ana, bia], holidays: ["2026-12-07"], zone: Self.saoPaulo,
                              now: Self.at("2026-12-06 10:00"), granularity: 60)
        let slots = SlotSearch.free(query, from: Self.at("2026-12-07 00:00"), to: Self.at("2026-12-10 00:00"))
        #expect(!slots.contains { Self.local($0.start).hasPrefix("Mon") })     // the business is closed
        #expect(slots.filter { Self.local($0.start).hasPrefix("Tue") }.allSatisfy { $0.staffID == "bia" })
        #expect(slots.filter { $0.staffID == "ana" }.map { Self.local($0.start) } == ["Wed 15:00", "Wed 16:00", "Wed 17:00"])
        // Same start: staff in the order given.
        #expect(slots.first.map { ($0.staffID, Self.local($0.start)) }! == ("bia", "Tue 09:00"))
    }

    @Test func noticeAndHorizonBoundTheSearch() {
        let query = SlotQuery(duration: 60, staff: [StaffSchedule(staffID: "ana", hours: Self.week)], zone: Self.saoPaulo,
                              now: Self.at("2026-12-07 10:20"), minimumNotice: 2 * 3600, maximumDaysAhead: 1, granularity: 60)
        let slots = SlotSearch.free(query, from: Self.at("2026-12-01 00:00"), to: Self.at("2026-12-31 00:00"))
        #expect(slots.first.map { Self.local($0.start) } == "Mon 13:00")        // 12:20 at the earliest, lunch until 13:00
        #expect(slots.last.map { Self.local($0.start) } == "Tue 10:00")         // up to 24 h after now
        #expect(SlotSearch.free(query, from: Self.at("2026-12-01 00:00"), to: Self.at("2026-12-31 00:00"), limit: 2).count == 2)
    }

    @Test func aLocalTimeSkippedByDaylightSavingIsNeverOfferedAndARepeatedOneOnce() {
        let newYork = TimeZone(identifier: "America/New_York")!
        let night = BusinessHours(days: (1...7).map { BusinessHours.Day(weekday: $0, intervals: [.init(0, to: 4)]) })
        let query = SlotQuery(duration: 30, staff: [StaffSchedule(staffID: "ana", hours: night)], zone: newYork,
                              now: Self.at("2026-03-01 00:00", newYork), maximumDaysAhead: 400, granularity: 30)
        // 2026-03-08: 02:00 jumps to 03:00.
        let spring = SlotSearch.free(query, from: Self.at("2026-03-08 00:00", newYork), to: Self.at("2026-03-08 12:00", newYork))
        #expect(spring.map { Self.local($0.start, newYork) } == ["Sun 00:00", "Sun 00:30", "Sun 01:00", "Sun 01:30", "Sun 03:00", "Sun 03:30"])
        // 2026-11-01: 01:00–02:00 happens twice; each local time is offered once.
        let autumn = SlotSearch.free(query, from: Self.at("2026-11-01 00:00", newYork), to: Self.at("2026-11-01 12:00", newYork))
        #expect(autumn.map { Self.local($0.start, newYork) } == ["Sun 00:00", "Sun 00:30", "Sun 01:00", "Sun 01:30", "Sun 02:00",
                                                                  "Sun 02:30", "Sun 03:00", "Sun 03:30"])
    }

    @Test func theNearestThreeToWhatTheCustomerAskedAreOfferedInTimeOrder() {
        let query = SlotQuery(duration: 60, staff: [StaffSchedule(staffID: "ana", hours: Self.week)], zone: Self.saoPaulo,
                              now: Self.at("2026-12-06 10:00"), granularity: 60)
        let slots = SlotSearch.free(query, from: Self.at("2026-12-07 00:00"), to: Self.at("2026-12-09 00:00"))
        let offered = SlotSearch.nearest(3, to: Self.at("2026-12-07 14:10"), in: slots)
        #expect(offered.map { Self.local($0.start) } == ["Mon 13:00", "Mon 14:00", "Mon 15:00"])
    }

    // MARK: Against a brute force

    /// A small deterministic generator (SplitMix64): the same seed, the same schedules.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Zones and five-day stretches: plain ones, and ones where the clocks change — New York and
    /// Lisbon in spring and autumn, and Brazil's old daylight saving, which skipped midnight
    /// itself (2018-11-04) and repeated the last hour of a day (2019-02-16).
    @Test(arguments: [("UTC", "2026-12-06"), ("America/Sao_Paulo", "2026-12-06"), ("Asia/Kolkata", "2026-12-06"),
                      ("America/New_York", "2026-03-06"), ("America/New_York", "2026-10-30"), ("Europe/Lisbon", "2026-03-27"),
                      ("America/Sao_Paulo", "2018-11-02"), ("America/Sao_Paulo", "2019-02-14")])
    func randomSchedulesGiveExactlyTheSlotsAMinuteByMinuteSearchFinds(zoneName: String, firstDay: String) {
        let zone = TimeZone(identifier: zoneName)!
        var random = Seeded(state: 0xA7E_DE5C ^ UInt64(zoneName.utf8.count) ^ firstDay.utf8.reduce(0) { $0 &* 31 &+ UInt64($1) })
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let base = Self.at("\(firstDay) 00:00", zone)
        let civil = { (days: Int) -> String in
            let formatter = DateFormatter()
            (formatter.locale, formatter.timeZone, formatter.dateFormat) = (Locale(identifier: "en_US_POSIX"), zone, "yyyy-MM-dd")
            return formatter.string(from: calendar.date(byAdding: .day, value: days, to: base)!)
        }
        for _ in 0..<40 {
            let staff = (0..<Int.random(in: 1...3, using: &random)).map { n -> StaffSchedule in
                let days = (1...7).compactMap { weekday -> BusinessHours.Day? in
                    guard Bool.random(using: &random) || weekday == 2 else { return nil }
                    var intervals: [BusinessHours.Interval] = []
                    var start = Int.random(in: 0...600, using: &random)
                    while start < 1380, intervals.count < 3 {
                        let end = min(1440, start + Int.random(in: 20...300, using: &random))
                        intervals.append(.init(start: start, end: end))
                        start = end + Int.random(in: 10...180, using: &random)
                    }
                    return BusinessHours.Day(weekday: weekday, intervals: intervals)
                }
                let holidays = Bool.random(using: &random) ? [civil(2)] : []
                let intervals = (0..<Int.random(in: 0...12, using: &random)).map { _ -> DateInterval in
                    let start = base.addingTimeInterval(Double(Int.random(in: 0..<(5 * 1440), using: &random)) * 60)
                    return DateInterval(start: start, duration: Double(Int.random(in: 0...240, using: &random)) * 60)
                }
                let split = intervals.count / 2
                return StaffSchedule(staffID: "s\(n)", hours: BusinessHours(days: days, holidays: holidays),
                                     timeOff: Array(intervals[..<split]), busy: Array(intervals[split...]))
            }
            let query = SlotQuery(duration: [15, 30, 45, 60, 90].randomElement(using: &random)!, bufferAfter: [0, 5, 15].randomElement(using: &random)!,
                                  staff: staff, holidays: Bool.random(using: &random) ? [civil(3)] : [], zone: zone,
                                  now: base.addingTimeInterval(Double(Int.random(in: 0...1440, using: &random)) * 60),
                                  minimumNotice: Double(Int.random(in: 0...720, using: &random)) * 60,
                                  maximumDaysAhead: Int.random(in: 1...4, using: &random), granularity: [5, 10, 15, 30, 60].randomElement(using: &random)!)
            let from = base, to = base.addingTimeInterval(5 * 86_400)
            let found = SlotSearch.free(query, from: from, to: to)
            let expected = Self.bruteForce(query, from: from, to: to, calendar: calendar)
            #expect(Set(found) == Set(expected), "seeded case in \(zoneName) from \(firstDay)")
            #expect(found.count == expected.count)
            #expect(zip(found, found.dropFirst()).allSatisfy { $0.start <= $1.start })
        }
    }

    /// Every minute from `from` to `to`, every staff member, every rule checked directly.
    static func bruteForce(_ q: SlotQuery, from: Date, to: Date, calendar: Calendar) -> [Slot] {
        var slots: [Slot] = []
        var seen = Set<String>()   // a local time the clocks repeat is offered at its first occurrence
        var t = from
        while t < to {
            defer { t = t.addingTimeInterval(60) }
            guard t >= q.now.addingTimeInterval(q.minimumNotice), t < q.now.addingTimeInterval(Double(q.maximumDaysAhead) * 86_400) else { continue }
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .weekday], from: t)
            let minute = parts.hour! * 60 + parts.minute!
            guard minute % q.granularity == 0 else { continue }
            let date = String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
            guard !q.holidays.contains(date) else { continue }
            let end = t.addingTimeInterval(Double(q.duration) * 60)
            let held = (t, end.addingTimeInterval(Double(q.bufferAfter) * 60))
            for s in q.staff where !s.hours.holidays.contains(date) {
                let intervals = s.hours.days.first { $0.weekday == parts.weekday }?.intervals ?? []
                guard intervals.contains(where: { $0.start <= minute && minute + q.duration <= $0.end }) else { continue }
                guard seen.insert("\(s.staffID) \(date) \(minute)").inserted else { continue }
                let clash = (s.busy + s.timeOff).contains { $0.duration > 0 && $0.start < held.1 && held.0 < $0.end }
                if !clash { slots.append(Slot(start: t, end: end, staffID: s.staffID)) }
            }
        }
        return slots
    }
}
