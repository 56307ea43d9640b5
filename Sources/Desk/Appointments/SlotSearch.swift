public import Assistant
public import Foundation

/// One staff member's working week and absences, as the slot search reads them.
public struct StaffSchedule: Sendable, Equatable {
    public var staffID: String
    /// The weekly intervals they work (breaks are the gaps between intervals); its holidays are
    /// their own days off ("YYYY-MM-DD" in the business time zone).
    public var hours: BusinessHours
    /// Time off: vacations, appointments elsewhere. Nothing may start in, or run into, one.
    public var timeOff: [DateInterval]
    /// Booked time: each appointment from its start to its end plus its service's buffer.
    public var busy: [DateInterval]

    public init(staffID: String, hours: BusinessHours, timeOff: [DateInterval] = [], busy: [DateInterval] = []) {
        (self.staffID, self.hours, self.timeOff, self.busy) = (staffID, hours, timeOff, busy)
    }
}

/// What a search asks: a service's length and buffer, who may perform it, where and when.
public struct SlotQuery: Sendable {
    /// Minutes the appointment takes, and the minutes after it the staff member is not free.
    public var duration: Int
    public var bufferAfter: Int
    public var staff: [StaffSchedule]
    /// Days the whole business is closed ("YYYY-MM-DD").
    public var holidays: Set<String>
    public var zone: TimeZone
    public var now: Date
    /// Slots start at least this long after `now`…
    public var minimumNotice: TimeInterval
    /// …and at most this many days after it.
    public var maximumDaysAhead: Int
    /// Slots start on multiples of this many minutes after local midnight.
    public var granularity: Int

    public init(duration: Int, bufferAfter: Int = 0, staff: [StaffSchedule], holidays: Set<String> = [], zone: TimeZone, now: Date,
                minimumNotice: TimeInterval = 0, maximumDaysAhead: Int = 60, granularity: Int = 15) {
        (self.duration, self.bufferAfter, self.staff, self.holidays, self.zone) = (duration, bufferAfter, staff, holidays, zone)
        (self.now, self.minimumNotice, self.maximumDaysAhead, self.granularity) = (now, minimumNotice, maximumDaysAhead, granularity)
    }
}

/// A time someone can be booked.
public struct Slot: Sendable, Equatable, Hashable {
    public let start: Date
    public let end: Date
    public let staffID: String
    public init(start: Date, end: Date, staffID: String) { (self.start, self.end, self.staffID) = (start, end, staffID) }
}

/// Free slots, computed from the schedules alone: no store, no clock, no I/O (the booking checks
/// the chosen slot again inside its write transaction). Local times are read through the tz
/// database: a local time that does not exist (a daylight-saving gap) is never offered, and a
/// repeated one is its first occurrence.
public enum SlotSearch {
    /// Free slots starting in `[from, to)`, earliest first (same start: staff in query order), at
    /// most `limit`.
    public static func free(_ query: SlotQuery, from: Date, to: Date, limit: Int = .max) -> [Slot] {
        guard query.duration > 0, query.granularity > 0, limit > 0 else { return [] }
        let earliest = max(from, query.now.addingTimeInterval(query.minimumNotice))
        let latest = min(to, query.now.addingTimeInterval(Double(query.maximumDaysAhead) * 86_400))
        guard earliest < latest else { return [] }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = query.zone
        let blocked = query.staff.map { Blocked($0.busy + $0.timeOff) }
        let weeks = query.staff.map { schedule in
            Dictionary(schedule.hours.days.map { ($0.weekday, $0.intervals) }, uniquingKeysWith: { a, _ in a })
        }
        let daysOff = query.staff.map { Set($0.hours.holidays) }
        var found: [Slot] = []
        var day = calendar.startOfDay(for: earliest)
        while day < latest {
            let date = Self.civilDate(day, in: calendar)
            let weekday = calendar.component(.weekday, from: day)
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { break }
            // A day the clocks do not change on starts at local midnight and has every minute once:
            // a slot is midnight plus its minutes, without asking the calendar for each one.
            let plainDay = query.zone.nextDaylightSavingTimeTransition(after: day.addingTimeInterval(-1)).map { $0 >= next } ?? true
            var today: [Slot] = []
            if !query.holidays.contains(date) {
                for (index, schedule) in query.staff.enumerated() where !daysOff[index].contains(date) {
                    for interval in weeks[index][weekday] ?? [] {
                        var minute = (interval.start + query.granularity - 1) / query.granularity * query.granularity
                        while minute + query.duration <= interval.end {
                            defer { minute += query.granularity }
                            guard let start = plainDay ? day.addingTimeInterval(Double(minute) * 60) : Self.instant(day, minute: minute, in: calendar),
                                  start >= earliest, start < latest else { continue }
                            let end = start.addingTimeInterval(Double(query.duration) * 60)
                            let held = DateInterval(start: start, end: end.addingTimeInterval(Double(query.bufferAfter) * 60))
                            if !blocked[index].overlaps(held) { today.append(Slot(start: start, end: end, staffID: schedule.staffID)) }
                        }
                    }
                }
            }
            let order = Dictionary(query.staff.enumerated().map { ($1.staffID, $0) }, uniquingKeysWith: { a, _ in a })
            today.sort { $0.start != $1.start ? $0.start < $1.start : order[$0.staffID, default: 0] < order[$1.staffID, default: 0] }
            found += today.prefix(limit - found.count)
            if found.count >= limit { break }
            day = calendar.startOfDay(for: next)
        }
        return found
    }

    /// Up to `count` of `slots` nearest to `wanted` (earlier first on a tie), in time order — what
    /// the assistant offers for "amanhã às 14h".
    public static func nearest(_ count: Int, to wanted: Date, in slots: [Slot]) -> [Slot] {
        let ranked = slots.enumerated().sorted { a, b in
            let (da, db) = (abs(a.element.start.timeIntervalSince(wanted)), abs(b.element.start.timeIntervalSince(wanted)))
            return da != db ? da < db : a.offset < b.offset
        }
        return ranked.prefix(count).map(\.element).sorted { $0.start != $1.start ? $0.start < $1.start : false }
    }

    /// Busy time and time off of one person, sorted by start, with the latest end so far at each
    /// position: whether a slot collides is one binary search, however many appointments there are.
    struct Blocked {
        let starts: [Date]
        let latestEnd: [Date]

        init(_ intervals: [DateInterval]) {
            let sorted = intervals.filter { $0.duration > 0 }.sorted { $0.start < $1.start }
            starts = sorted.map(\.start)
            var latest = Date.distantPast
            latestEnd = sorted.map { latest = max(latest, $0.end); return latest }
        }

        /// Half-open: back to back is free.
        func overlaps(_ interval: DateInterval) -> Bool {
            // Those starting at or after the interval's end cannot overlap it; of the others, one
            // does exactly when the latest end among them is after the interval's start.
            var low = 0, high = starts.count
            while low < high {
                let mid = (low + high) / 2
                if starts[mid] < interval.end { low = mid + 1 } else { high = mid }
            }
            return low > 0 && latestEnd[low - 1] > interval.start
        }
    }

    /// The instant of `minute` after local midnight on `day`, or nil when the clock skips it.
    static func instant(_ day: Date, minute: Int, in calendar: Calendar) -> Date? {
        var parts = calendar.dateComponents([.year, .month, .day], from: day)
        (parts.hour, parts.minute) = (minute / 60, minute % 60)
        guard minute < 24 * 60, let date = calendar.date(from: parts) else { return nil }
        // A time in a daylight-saving gap comes back moved: it does not exist that day.
        let back = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        guard back.day == parts.day, back.hour == parts.hour, back.minute == parts.minute else { return nil }
        return date
    }

    static func civilDate(_ day: Date, in calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: day)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}
