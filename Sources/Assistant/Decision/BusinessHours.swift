import Foundation

/// When a business is open: a weekly schedule of intervals per weekday, plus holidays on which it
/// stays closed all day. Pure values; every question is answered in the business's time zone
/// through Foundation's `Calendar`, so daylight-saving changes and zones such as
/// America/Manaus (UTC−4) or America/Noronha (UTC−2) come out right.
///
/// An interval never crosses midnight (`end` ≤ 1440): a night shift is written as two intervals,
/// one on each day ("Fri 22:00–24:00" and "Sat 00:00–02:00"), and reads as one opening.
public struct BusinessHours: Sendable, Codable, Equatable {
    /// Minutes from local midnight, `start` < `end` ≤ 1440.
    public struct Interval: Sendable, Codable, Equatable {
        public var start: Int
        public var end: Int
        public init(start: Int, end: Int) { (self.start, self.end) = (start, end) }
        /// Hours and minutes: `Interval(9, 0, to: 18, 0)`.
        public init(_ startHour: Int, _ startMinute: Int = 0, to endHour: Int, _ endMinute: Int = 0) {
            self.init(start: startHour * 60 + startMinute, end: endHour * 60 + endMinute)
        }
    }

    /// The intervals of one weekday, 1 = Sunday … 7 = Saturday (as `Calendar` numbers them).
    public struct Day: Sendable, Codable, Equatable {
        public var weekday: Int
        public var intervals: [Interval]
        public init(weekday: Int, intervals: [Interval]) { (self.weekday, self.intervals) = (weekday, intervals) }
    }

    public var days: [Day]
    /// "YYYY-MM-DD", civil dates in the business time zone.
    public var holidays: [String]

    /// Keeps the schedule tidy as a person reads it: weekdays in order, each day's intervals by
    /// start, holidays sorted without repeats (validation still sees any overlap or bad value).
    public init(days: [Day], holidays: [String] = []) {
        self.days = days.map { Day(weekday: $0.weekday, intervals: $0.intervals.sorted { $0.start < $1.start }) }
            .sorted { $0.weekday < $1.weekday }
        self.holidays = Array(Set(holidays)).sorted()
    }

    /// Monday to Friday 09:00–18:00, Saturday 09:00–13:00.
    public static let standard = BusinessHours(
        days: (2...6).map { Day(weekday: $0, intervals: [Interval(9, to: 18)]) } + [Day(weekday: 7, intervals: [Interval(9, to: 13)])])

    /// Throws a `BusinessHoursError` naming the first bad part: a weekday outside 1…7 or given
    /// twice, an interval out of range or empty, two intervals that overlap, a malformed holiday.
    public func validate() throws(BusinessHoursError) {
        var seen = Set<Int>()
        for day in days {
            let name = (1...7).contains(day.weekday) ? Self.englishDays[day.weekday - 1] : "weekday \(day.weekday)"
            guard (1...7).contains(day.weekday) else {
                throw BusinessHoursError("weekday \(day.weekday) is not 1 (Sunday) … 7 (Saturday)")
            }
            guard seen.insert(day.weekday).inserted else { throw BusinessHoursError("\(name) is given twice") }
            for interval in day.intervals {
                guard interval.start >= 0, interval.end <= 1440, interval.start < interval.end else {
                    throw BusinessHoursError("\(name) \(Self.clock(interval.start))–\(Self.clock(interval.end)): an interval runs "
                                             + "forward within one day (00:00–24:00); split a night shift over two days")
                }
            }
            let sorted = day.intervals.sorted { $0.start < $1.start }
            for (a, b) in zip(sorted, sorted.dropFirst()) where b.start < a.end {
                throw BusinessHoursError("\(name) \(Self.clock(a.start))–\(Self.clock(a.end)) overlaps "
                                         + "\(Self.clock(b.start))–\(Self.clock(b.end))")
            }
        }
        for holiday in holidays where Self.civilDate(holiday) == nil {
            throw BusinessHoursError("holiday \"\(holiday)\" is not a date written YYYY-MM-DD", part: .holidays)
        }
    }

    /// Whether the business is open at `date`: inside an interval of its weekday and not on a holiday.
    public func isOpen(at date: Date, timeZone: TimeZone) -> Bool {
        let calendar = Self.calendar(timeZone)
        let parts = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute], from: date)
        guard let weekday = parts.weekday, let hour = parts.hour, let minute = parts.minute else { return false }
        if isHoliday(parts) { return false }
        let now = hour * 60 + minute
        return intervals(weekday).contains { $0.start <= now && now < $0.end }
    }

    /// The next instant the business opens after `date` (strictly later), nil when the schedule
    /// has no interval at all or the next opening is more than a year of holidays away. While open,
    /// it is the start of the next opening after the current one ends; an interval ending at 24:00
    /// followed by one starting at 00:00 is one opening.
    public func nextOpening(after date: Date, timeZone: TimeZone) -> Date? {
        let calendar = Self.calendar(timeZone)
        guard days.contains(where: { !$0.intervals.isEmpty }) else { return nil }
        let startOfToday = calendar.startOfDay(for: date)
        var endedAtMidnight = false   // whether the day before ended with an interval up to 24:00
        for offset in -1...370 {
            guard let day = calendar.date(byAdding: .day, value: offset, to: startOfToday) else { return nil }
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            let todays = isHoliday(parts) ? [] : intervals(parts.weekday ?? 0).sorted { $0.start < $1.start }
            for interval in todays where offset >= 0 && !(interval.start == 0 && endedAtMidnight) {
                if let opening = instant(day, minutes: interval.start, calendar: calendar), opening > date { return opening }
            }
            endedAtMidnight = todays.last?.end == 1440
        }
        return nil
    }

    /// The week in a short line: "seg a sex 9h–18h, sáb 9h–13h" (pt), "lun a vie 9:00–18:00, sáb
    /// 9:00–13:00" (es), "Mon–Fri 9:00–18:00, Sat 9:00–13:00" (en). Consecutive days with the
    /// same hours are grouped; closed days are left out.
    public func summary(language: Language) -> String {
        var groups: [(first: Int, last: Int, intervals: [Interval])] = []
        for weekday in [2, 3, 4, 5, 6, 7, 1] {
            let todays = intervals(weekday).sorted { $0.start < $1.start }
            guard !todays.isEmpty else { continue }
            if let last = groups.last, last.intervals == todays, Self.follows(weekday, last.last) {
                groups[groups.count - 1].last = weekday
            } else {
                groups.append((weekday, weekday, todays))
            }
        }
        guard !groups.isEmpty else {
            return ["pt": "fechado", "es": "cerrado", "en": "closed"][language.rawValue] ?? "closed"
        }
        let names = Self.dayNames[language] ?? Self.englishDays
        let range = ["pt": " a ", "es": " a ", "en": "–"][language.rawValue] ?? "–"
        let and = ["pt": " e ", "es": " y ", "en": " and "][language.rawValue] ?? ", "
        return groups.map { group in
            let days = group.first == group.last ? names[group.first - 1]
                : names[group.first - 1] + (Self.follows(group.last, group.first) ? and : range) + names[group.last - 1]
            let hours = group.intervals.map { Self.time($0.start, language) + "–" + Self.time($0.end, language) }.joined(separator: and)
            return days + " " + hours
        }.joined(separator: ", ")
    }

    // MARK: - Pieces

    func intervals(_ weekday: Int) -> [Interval] { days.filter { $0.weekday == weekday }.flatMap(\.intervals) }

    private func isHoliday(_ parts: DateComponents) -> Bool {
        guard let y = parts.year, let m = parts.month, let d = parts.day, !holidays.isEmpty else { return false }
        return holidays.contains(String(format: "%04d-%02d-%02d", y, m, d))
    }

    /// `minutes` after the local midnight of `day`, read as wall-clock time (so 09:00 stays 09:00
    /// on a daylight-saving day).
    private func instant(_ day: Date, minutes: Int, calendar: Calendar) -> Date? {
        var parts = calendar.dateComponents([.year, .month, .day], from: day)
        parts.hour = minutes / 60
        parts.minute = minutes % 60
        return calendar.date(from: parts)
    }

    /// Whether `weekday` comes right after `previous` in a Monday-first week.
    private static func follows(_ weekday: Int, _ previous: Int) -> Bool {
        previous != 1 && weekday == previous % 7 + 1
    }

    static func calendar(_ timeZone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    static func civilDate(_ text: String) -> DateComponents? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m) else { return nil }
        let calendar = calendar(TimeZone(identifier: "UTC")!)
        let components = DateComponents(year: y, month: m, day: d)
        guard let date = calendar.date(from: components), calendar.component(.day, from: date) == d else { return nil }
        return components
    }

    /// "9h", "13h30" in Portuguese; "9:00" otherwise. 1440 is written 24h / 24:00.
    static func time(_ minutes: Int, _ language: Language) -> String {
        let (h, m) = (minutes / 60, minutes % 60)
        if language == .pt { return m == 0 ? "\(h)h" : String(format: "%dh%02d", h, m) }
        return String(format: "%d:%02d", h, m)
    }

    private static func clock(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }

    static let englishDays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let dayNames: [Language: [String]] = [
        .pt: ["dom", "seg", "ter", "qua", "qui", "sex", "sáb"],
        .es: ["dom", "lun", "mar", "mié", "jue", "vie", "sáb"],
        .en: englishDays,
    ]
}

/// A business-hours setting that cannot be used; `message` names the bad part.
public struct BusinessHoursError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Part: Sendable { case week, holidays }
    public let message: String
    /// Which list the bad part is in, so a form can show the message beside it.
    public let part: Part
    init(_ message: String, part: Part = .week) { (self.message, self.part) = (message, part) }
    public var description: String { message }
}
