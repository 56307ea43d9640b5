import Foundation

/// An amount of money a customer wrote: "R$ 1.234,50", "15 reais", "1,5 mil", "USD 20".
public struct Money: Sendable, Hashable {
    /// ISO 4217 code ("BRL", "USD", "EUR"), or nil when the words do not say: a bare "$" or
    /// "pesos" in Spanish is the local peso as often as the dollar.
    public let currency: String?
    public let amount: Decimal

    public init(currency: String?, amount: Decimal) { (self.currency, self.amount) = (currency, amount) }
}

extension EntityExtractor {
    /// Amounts with a currency sign or word before or after them; a bare number is not money.
    /// Digits are read by position, not `NumberFormatter` (which rejects a plain space after
    /// "R$"): "1.234,50" is 1234.50, and a lone separator followed by three digits groups
    /// thousands unless it is the language's decimal mark ("1,234" in Portuguese is 1.234).
    public func money(in text: String) -> [EntityMatch<Money>] {
        let tokens = EntityText.tokens(text)
        var found: [EntityMatch<Money>] = []
        var i = 0
        while i < tokens.count {
            let prefix = currencyBefore(tokens, at: i)
            let start = prefix?.next ?? i
            guard let number = number(tokens, at: start) else { i += 1; continue }
            var end = number.next
            var amount = number.value
            if end < tokens.count, ["mil", "thousand", "k"].contains(tokens[end].text) {
                amount *= 1000
                end += 1
            }
            let suffix = prefix == nil ? currencyAfter(tokens, at: end) : nil
            guard prefix != nil || suffix != nil else { i = number.next; continue }
            if let suffix { end = suffix.next }
            let range = tokens[i].range.lowerBound..<tokens[end - 1].range.upperBound
            let currency = prefix?.currency ?? suffix?.currency ?? nil
            found.append(EntityMatch(range: range, text: String(text[range]), value: Money(currency: currency, amount: amount)))
            i = end
        }
        return found
    }

    private func currencyBefore(_ t: [EntityToken], at i: Int) -> (currency: String?, next: Int)? {
        func text(_ k: Int) -> String? { k < t.count ? t[k].text : nil }
        if text(i) == "r", text(i + 1) == "$", t[i + 1].attached { return ("BRL", i + 2) }
        if ["us", "u"].contains(text(i) ?? ""), text(i + 1) == "$", t[i + 1].attached { return ("USD", i + 2) }
        switch text(i) {
        case "$": return (language == .es ? nil : language == .pt ? "BRL" : "USD", i + 1)
        case "usd": return ("USD", i + 1)
        case "brl": return ("BRL", i + 1)
        case "€", "eur": return ("EUR", i + 1)
        default: return nil
        }
    }

    private func currencyAfter(_ t: [EntityToken], at i: Int) -> (currency: String?, next: Int)? {
        guard i < t.count else { return nil }
        switch t[i].text {
        case "reais", "real", "conto", "contos", "pila", "pilas", "brl": return ("BRL", i + 1)
        case "dolares", "dolar", "dollars", "dollar", "bucks", "usd": return ("USD", i + 1)
        case "euros", "euro", "eur", "€": return ("EUR", i + 1)
        case "pesos", "peso": return (nil, i + 1)
        default: return nil
        }
    }

    /// Digits with "." and "," between them, touching (no spaces): 1.234,50 or 1,234.50 or 15.
    private func number(_ t: [EntityToken], at start: Int) -> (value: Decimal, next: Int)? {
        guard start < t.count, t[start].kind == .number else { return nil }
        var groups = [t[start].text]
        var separators: [String] = []
        var k = start + 1
        while k + 1 < t.count, [".", ","].contains(t[k].text), t[k].attached, t[k + 1].kind == .number, t[k + 1].attached {
            separators.append(t[k].text)
            groups.append(t[k + 1].text)
            k += 2
        }
        let decimalMark = language == .en ? "." : ","
        var decimalIndex: Int?   // the separator that splits whole from fraction, if any
        if let last = separators.last {
            let kinds = Set(separators)
            if kinds.count == 2 {
                decimalIndex = separators.count - 1
            } else if separators.count == 1 && (groups[1].count != 3 || last == decimalMark) {
                decimalIndex = 0
            }
            if let d = decimalIndex, separators[..<d].contains(separators[d]) { return nil }
        }
        let whole = groups[0...(decimalIndex ?? groups.count - 1)].joined()
        let fraction = decimalIndex.map { groups[$0 + 1] } ?? ""
        let literal = fraction.isEmpty ? whole : "\(whole).\(fraction)"
        guard let value = Decimal(string: literal, locale: Locale(identifier: "en_US_POSIX")) else { return nil }
        return (value, k)
    }
}
