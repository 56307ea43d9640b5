import Foundation

/// A day on the wall calendar, with no time zone: the grammar reasons in these, and only the last
/// step turns a wall-clock time into a `Date` through `Calendar` in the business's zone. So no
/// step assumes a fixed offset from UTC, and daylight-saving changes are Foundation's business.
struct CivilDay: Hashable, Comparable, Sendable {
    var year: Int, month: Int, day: Int

    /// Days since 1970-01-01 (proleptic Gregorian; Howard Hinnant's `days_from_civil`).
    var ordinal: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    init(year: Int, month: Int, day: Int) { (self.year, self.month, self.day) = (year, month, day) }

    init(ordinal: Int) {
        let z = ordinal + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// ISO weekday: 1 is Monday, 7 is Sunday.
    var weekday: Int { ((ordinal % 7 + 7 + 3) % 7) + 1 }

    func adding(days: Int) -> CivilDay { CivilDay(ordinal: ordinal + days) }

    /// The same day `months` later, or nil when that month is too short ("31 de fevereiro").
    func adding(months: Int) -> CivilDay? {
        let index = year * 12 + (month - 1) + months
        let (y, m) = (Int((Double(index) / 12).rounded(.down)), ((index % 12) + 12) % 12 + 1)
        return CivilDay.valid(year: y, month: m, day: day)
    }

    var startOfWeek: CivilDay { adding(days: 1 - weekday) }
    var startOfMonth: CivilDay { CivilDay(year: year, month: month, day: 1) }

    static func valid(year: Int, month: Int, day: Int) -> CivilDay? {
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else { return nil }
        return CivilDay(year: year, month: month, day: day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func < (a: CivilDay, b: CivilDay) -> Bool { a.ordinal < b.ordinal }
}

/// A wall-clock moment: a civil day and the seconds since its midnight (may reach 86 400 and
/// beyond, meaning the following days — "meia-noite" ends a day as 24:00).
struct CivilTime: Hashable, Comparable, Sendable {
    var day: CivilDay
    var second: Int

    init(day: CivilDay, second: Int = 0) {
        let carry = Int((Double(second) / 86_400).rounded(.down))
        (self.day, self.second) = (day.adding(days: carry), second - carry * 86_400)
    }

    init(day: CivilDay, hour: Int, minute: Int = 0, second: Int = 0) {
        self.init(day: day, second: hour * 3600 + minute * 60 + second)
    }

    var hour: Int { second / 3600 }
    var minute: Int { second / 60 % 60 }

    static func < (a: CivilTime, b: CivilTime) -> Bool { (a.day.ordinal, a.second) < (b.day.ordinal, b.second) }

    /// This moment cut down to the start of its `grain` (weeks start on Monday).
    func truncated(to grain: DateGrain) -> CivilTime {
        switch grain {
        case .second: self
        case .minute: CivilTime(day: day, second: second / 60 * 60)
        case .hour: CivilTime(day: day, second: second / 3600 * 3600)
        case .day: CivilTime(day: day)
        case .week: CivilTime(day: day.startOfWeek)
        case .month: CivilTime(day: day.startOfMonth)
        case .year: CivilTime(day: CivilDay(year: day.year, month: 1, day: 1))
        }
    }

    /// `count` grains later (months and years keep the day where they can, else clamp).
    func adding(_ count: Int, _ grain: DateGrain) -> CivilTime {
        switch grain {
        case .second: return CivilTime(day: day, second: second + count)
        case .minute: return CivilTime(day: day, second: second + count * 60)
        case .hour: return CivilTime(day: day, second: second + count * 3600)
        case .day: return CivilTime(day: day.adding(days: count), second: second)
        case .week: return CivilTime(day: day.adding(days: 7 * count), second: second)
        case .month, .year:
            let months = grain == .month ? count : 12 * count
            let index = day.year * 12 + (day.month - 1) + months
            let (y, m) = (Int((Double(index) / 12).rounded(.down)), ((index % 12) + 12) % 12 + 1)
            let d = min(day.day, CivilDay.daysIn(month: m, year: y))
            return CivilTime(day: CivilDay(year: y, month: m, day: d), second: second)
        }
    }
}

/// Converts between `Date` and wall-clock time in one zone, through Foundation's calendar.
struct WallClock: Sendable {
    let calendar: Calendar

    init(timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        self.calendar = calendar
    }

    func civil(_ date: Date) -> CivilTime {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let day = CivilDay(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1)
        return CivilTime(day: day, hour: c.hour ?? 0, minute: c.minute ?? 0, second: c.second ?? 0)
    }

    /// The instant the wall clock shows `time`. A time skipped by a daylight-saving jump (São
    /// Paulo's clocks went from 00:00 to 01:00) becomes the first instant after the gap.
    func date(_ time: CivilTime) -> Date? {
        let parts = DateComponents(
            year: time.day.year, month: time.day.month, day: time.day.day,
            hour: time.hour, minute: time.minute, second: time.second % 60)
        return calendar.date(from: parts)
    }
}
