import Foundation

/// The never-invent rule for rephrased replies: every fact a reply states — a number, price,
/// date, time, phone, URL or e-mail address — must be in the evidence it was written from.
///
/// Formats are compared by value, not spelling: "R$ 80,00" and "80 reais" are both 80, "9h",
/// "09:00" and "9:00" the same time, "(11) 91234-5678" and "+55 11 91234-5678" the same phone.
/// A bare hour in the evidence ("das 9 às 18") supports "9h" and "9:00". Numbers written as words
/// are not read, so "dez reais" in the evidence does not support "R$ 10": the reply is refused,
/// which is the safe side.
public enum EvidenceCheck {
    /// The facts in `reply`, as written there, that no passage of `evidence` states.
    public static func unsupportedFacts(in reply: String, evidence: [String]) -> [String] {
        let known = Facts(evidence.joined(separator: "\n"))
        let said = Facts(reply)
        var missing: [String] = []
        for fact in said.items where !known.supports(fact) && !missing.contains(fact.text) {
            missing.append(fact.text)
        }
        return missing
    }
}

/// The facts of one text, each with the forms it is compared by.
struct Facts {
    enum Kind: Equatable {
        case url(String)
        case email(String)
        case phone(String)            // digits only
        case date(day: Int, month: Int)
        case time(hour: Int, minute: Int)
        case number(Set<Decimal>)     // every reading of the digits ("1.500" is 1500 or 1.5)
    }

    struct Item {
        let text: String
        let kind: Kind
    }

    private(set) var items: [Item] = []
    private let lowered: String

    init(_ text: String) {
        lowered = text.lowercased()
        var rest = text
        take(&rest, #"(?i)\b[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+"#) { .email($0.lowercased()) }
        take(&rest, #"(?i)(https?://\S+|www\.\S+|\b[a-z0-9-]+(\.[a-z0-9-]+)*\.(com|br|net|org|io|app|me|es|ar|mx|co)\b(/\S*)?)"#) {
            .url(Self.bareURL($0))
        }
        take(&rest, #"\+?\(?\d[\d\s().-]{6,}\d"#, where: { $0.filter(\.isNumber).count >= 8 }) { .phone($0.filter(\.isNumber)) }
        take(&rest, #"\b\d{4}-\d{2}-\d{2}\b"#) { iso in
            let p = iso.split(separator: "-").compactMap { Int($0) }
            return .date(day: p[2], month: p[1])
        }
        take(&rest, #"\b\d{1,2}/\d{1,2}(/\d{2,4})?\b"#) { d in
            let p = d.split(separator: "/").compactMap { Int($0) }
            return .date(day: p[0], month: p[1])
        }
        take(&rest, #"(?i)\b\d{1,2}\s?(a\.?m\.?|p\.?m\.?)(?![a-z])"#) { t in
            let hour = Int(t.prefix { $0.isNumber }) ?? 0
            let pm = t.lowercased().contains("p")
            return .time(hour: hour % 12 + (pm ? 12 : 0), minute: 0)
        }
        take(&rest, #"(?i)\b\d{1,2}(:\d{2}|\s?h\s?\d{2}|\s?hs?\b|\s?h(?=[^a-z]|$))"#) { t in
            let digits = t.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            return .time(hour: digits.first ?? 0, minute: digits.count > 1 ? digits[1] : 0)
        }
        take(&rest, #"\d+([.,]\d+)*"#) { .number(Self.readings($0)) }
    }

    /// Whether this text states `fact` (in any of its formats).
    func supports(_ fact: Item) -> Bool {
        switch fact.kind {
        case .email(let address):
            return lowered.contains(address)
        case .url(let url):
            return lowered.contains(url) || items.contains { if case .url(let u) = $0.kind { return u == url } else { return false } }
        case .phone(let digits):
            return items.contains {
                guard case .phone(let other) = $0.kind else { return false }
                let (short, long) = digits.count <= other.count ? (digits, other) : (other, digits)
                return short.count >= 8 && long.hasSuffix(short)
            }
        case .date(let day, let month):
            return items.contains { if case .date(day, month) = $0.kind { return true } else { return false } }
        case .time(let hour, let minute):
            return items.contains {
                switch $0.kind {
                case .time(let h, let m): return (h, m) == (hour, minute)
                case .number(let values): return minute == 0 && (values.contains(Decimal(hour)) || (hour > 12 && values.contains(Decimal(hour - 12))))
                default: return false
                }
            }
        case .number(let values):
            return items.contains {
                switch $0.kind {
                case .number(let other): return !values.isDisjoint(with: other)
                case .time(let h, let m): return values.contains(Decimal(h)) || (m != 0 && values.contains(Decimal(m)))
                case .date(let d, let m): return values.contains(Decimal(d)) || values.contains(Decimal(m))
                default: return false
                }
            }
        }
    }

    /// Removes every match of `pattern` from `text`, recording each as a fact.
    private mutating func take(_ text: inout String, _ pattern: String, where accept: (String) -> Bool = { _ in true },
                               _ kind: (String) -> Kind) {
        guard let regex = try? Regex(pattern) else { return }
        var kept = ""
        var cursor = text.startIndex
        for match in text.matches(of: regex) {
            let found = String(text[match.range]).trimmingCharacters(in: CharacterSet(charactersIn: ".,;:!?)( -"))
            guard !found.isEmpty, accept(found) else { continue }
            items.append(Item(text: found, kind: kind(found)))
            kept += text[cursor..<match.range.lowerBound] + " "
            cursor = match.range.upperBound
        }
        kept += text[cursor...]
        text = kept
    }

    /// A URL without scheme, "www." and trailing punctuation or slash, lower-cased.
    static func bareURL(_ url: String) -> String {
        var u = url.lowercased()
        for prefix in ["https://", "http://"] where u.hasPrefix(prefix) { u.removeFirst(prefix.count) }
        if u.hasPrefix("www.") { u.removeFirst(4) }
        while let last = u.last, ".,;:!?)/".contains(last) { u.removeLast() }
        return u
    }

    /// Every value the digits can be read as: "80,00" → 80; "1.234,56" → 1234.56; "1.500" → 1500
    /// or 1.5; "1,5" → 1.5 (or 15 when read with grouping, which no one writes).
    static func readings(_ digits: String) -> Set<Decimal> {
        var out = Set<Decimal>()
        let groups = digits.split(whereSeparator: { $0 == "." || $0 == "," }).map(String.init)
        guard let first = groups.first else { return out }
        if groups.count == 1 { return Decimal(string: first).map { [$0] } ?? [] }
        // Every separator groups thousands: "1.500", "1,500,000".
        if groups.dropFirst().allSatisfy({ $0.count == 3 }), let whole = Decimal(string: groups.joined()) { out.insert(whole) }
        // The last separator is the decimal mark: "1.234,56", "80,00", "1.5".
        let integer = groups.dropLast().joined(), fraction = groups.last!
        if let value = Decimal(string: integer + "." + fraction) { out.insert(value) }
        return out
    }
}
