import Foundation

/// Writes iCalendar text (RFC 5545) one property at a time. Our own small writer: the feeds and
/// the appointment files need a handful of properties, and every rule that makes a calendar app
/// refuse or garble a file is here in one place —
/// - TEXT values escape backslash, semicolon and comma, and write line breaks as `\n` (§3.3.11);
///   other control characters, which TEXT may not hold, become spaces;
/// - content lines end in CRLF and are folded so no line is longer than 75 octets, a fold being
///   CRLF and one space, never inside a UTF-8 sequence (§3.1);
/// - times are UTC in the `Z` form (§3.3.5 form #2), so no VTIMEZONE is needed and a client shows
///   them in its own zone.
struct ICalendarWriter {
    private(set) var text = ""

    /// `BEGIN:<component>`.
    mutating func begin(_ component: String) { line("BEGIN:" + component) }
    /// `END:<component>`.
    mutating func end(_ component: String) { line("END:" + component) }

    /// A property whose value is written as given (an enumerated value, a number, a duration).
    mutating func property(_ name: String, raw value: String) { line(name + ":" + value) }

    /// A TEXT property, escaped.
    mutating func property(_ name: String, text value: String) { line(name + ":" + Self.escaped(value)) }

    /// A DATE-TIME property in UTC.
    mutating func property(_ name: String, date: Date) { line(name + ":" + Self.utc(date)) }

    /// One content line, folded, with its CRLF.
    mutating func line(_ content: String) { text += Self.folded(content) + "\r\n" }

    // MARK: The rules, as pure functions (tested on their own)

    /// `value` as an iCalendar TEXT value.
    static func escaped(_ value: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(value.unicodeScalars.count)
        var previousWasCR = false
        for scalar in value.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r": out += "\\n"
            case "\n": if !previousWasCR { out += "\\n" }    // CRLF is one line break
            case "\u{2028}", "\u{2029}": out += "\\n"
            case "\t": out.unicodeScalars.append(scalar)
            default:
                // TEXT excludes the controls (§3.3.11); a space keeps the words apart.
                if scalar.value < 0x20 || scalar.value == 0x7F { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// `line` cut into pieces of at most 75 octets (the first) and 74 plus the leading space (the
    /// rest), joined by CRLF and a space. Cuts fall between Unicode scalars, so every piece is
    /// valid UTF-8 (§3.1: "care must be taken to not split a multi-octet character").
    static func folded(_ line: String, limit: Int = 75) -> String {
        guard line.utf8.count > limit else { return line }
        var out = "", octets = 0
        for scalar in line.unicodeScalars {
            let size = UTF8.width(scalar)
            if octets + size > limit {
                out += "\r\n "
                octets = 1
            }
            out.unicodeScalars.append(scalar)
            octets += size
        }
        return out
    }

    /// `20261206T161100Z`: the UTC form of DATE-TIME, to the second.
    static func utc(_ date: Date) -> String {
        let parts = utcCalendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ n: Int?) -> String { let n = n ?? 0; return n < 10 ? "0\(n)" : "\(n)" }
        let year = String(parts.year ?? 1970)
        return String(repeating: "0", count: max(0, 4 - year.count)) + year + two(parts.month) + two(parts.day)
            + "T" + two(parts.hour) + two(parts.minute) + two(parts.second) + "Z"
    }

    private static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
