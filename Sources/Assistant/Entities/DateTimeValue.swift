import Foundation

/// How precise a date or time is: "amanhã" is a day, "amanhã às 14h" an hour, "14h30" a minute.
public enum DateGrain: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    case second, minute, hour, day, week, month, year

    public static func < (a: DateGrain, b: DateGrain) -> Bool { a.rank < b.rank }

    private var rank: Int {
        switch self {
        case .second: 0
        case .minute: 1
        case .hour: 2
        case .day: 3
        case .week: 4
        case .month: 5
        case .year: 6
        }
    }

    var component: Calendar.Component {
        switch self {
        case .second: .second
        case .minute: .minute
        case .hour: .hour
        case .day: .day
        case .week: .weekOfYear
        case .month: .month
        case .year: .year
        }
    }
}

/// What a date/time expression denotes, resolved in the business's time zone.
///
/// An instant is the start of a span one grain long: "semana que vem" is the Monday that starts
/// next week with grain `.week`, so `dateInterval(in:)` gives the whole week. An interval is what
/// the customer bounded themselves ("amanhã à tarde", "13 a 15 de julho"); `to` is exclusive.
public enum DateTimeValue: Sendable, Hashable {
    case instant(Date, grain: DateGrain)
    case interval(from: Date, to: Date, grain: DateGrain)

    /// The grain the customer spoke in.
    public var grain: DateGrain {
        switch self {
        case .instant(_, let grain), .interval(_, _, let grain): grain
        }
    }

    /// The first instant the expression covers.
    public var start: Date {
        switch self {
        case .instant(let date, _), .interval(let date, _, _): date
        }
    }

    /// The span the expression covers: an instant widened to its grain ("dia 5" is the whole
    /// day), an interval as it is. Calendar arithmetic runs in `timeZone`, so a day across a
    /// daylight-saving change is 23 or 25 hours long.
    public func dateInterval(in timeZone: TimeZone) -> DateInterval {
        switch self {
        case .interval(let from, let to, _):
            return DateInterval(start: from, end: max(from, to))
        case .instant(let date, let grain):
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            var end = calendar.date(byAdding: grain.component, value: 1, to: date) ?? date
            // Adding a day keeps the wall-clock time; a day that began after a skipped midnight
            // (a daylight-saving jump) still ends at the next midnight.
            if grain >= .day { end = calendar.startOfDay(for: end) }
            return DateInterval(start: date, end: max(date, end))
        }
    }
}
