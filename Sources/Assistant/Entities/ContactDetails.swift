import Foundation

extension EntityExtractor {
    /// Phone numbers as E.164 ("+5511912345678"). Brazilian numbers are checked the way Anatel
    /// numbers them: a two-digit area code (11–99, none ending in 0) and a nine-digit mobile
    /// starting with 9 or an eight-digit landline starting with 2–5; "(11) 91234-5678",
    /// "+55 11 91234-5678", "011 91234 5678" and "11912345678" all qualify. Other countries only
    /// when written with "+" and 8–15 digits. A number without its area code is left out, because
    /// E.164 needs it.
    public func phones(in text: String) -> [EntityMatch<String>] {
        var found: [EntityMatch<String>] = []
        var index = text.startIndex
        while index < text.endIndex {
            let c = text[index]
            guard c.isASCII && (c.isNumber || c == "+" || c == "(") else { index = text.index(after: index); continue }
            // Don't start inside a longer run of letters and digits ("ABC123…").
            if index > text.startIndex, let before = text[text.index(before: index)].asciiValue,
               before.isLetterOrDigit { index = text.index(after: index); continue }
            var end = index
            var lastDigitEnd = index
            var digits = ""
            while end < text.endIndex, let a = text[end].asciiValue, a.isDigit || " ()-.+".utf8.contains(a) {
                if a == UInt8(ascii: "+") && end != index { break }
                if a.isDigit { digits.append(Character(UnicodeScalar(a))); lastDigitEnd = text.index(after: end) }
                end = text.index(after: end)
            }
            let touchesWord = lastDigitEnd < text.endIndex && (text[lastDigitEnd].isLetter || text[lastDigitEnd].isNumber)
            if !touchesWord, let e164 = e164(digits: digits, international: c == "+") {
                let range = index..<lastDigitEnd
                found.append(EntityMatch(range: range, text: String(text[range]), value: e164))
            }
            index = max(lastDigitEnd, text.index(after: index))
        }
        return found
    }

    private func e164(digits: String, international: Bool) -> String? {
        if international {
            if digits.hasPrefix("55"), let national = brazilian(String(digits.dropFirst(2))) { return "+55" + national }
            return !digits.hasPrefix("55") && (8...15).contains(digits.count) ? "+" + digits : nil
        }
        if digits.count >= 12, digits.hasPrefix("55"), let national = brazilian(String(digits.dropFirst(2))) {
            return "+55" + national
        }
        if digits.hasPrefix("0"), let national = brazilian(String(digits.dropFirst())) { return "+55" + national }
        return brazilian(digits).map { "+55" + $0 }
    }

    /// Area code and subscriber number, or nil when the digits are not a Brazilian number.
    private func brazilian(_ digits: String) -> String? {
        let d = Array(digits.utf8).map { Int($0) - 48 }
        guard d.count == 10 || d.count == 11, (1...9).contains(d[0]), (1...9).contains(d[1]) else { return nil }
        let subscriber = d.dropFirst(2)
        let mobile = subscriber.count == 9 && subscriber.first == 9
        let landline = subscriber.count == 8 && (2...5).contains(subscriber.first ?? 0)
        return mobile || landline ? digits : nil
    }

    /// E-mail addresses, lower-cased ("Ana.Silva@Exemplo.com.br" → "ana.silva@exemplo.com.br").
    public func emails(in text: String) -> [EntityMatch<String>] {
        let pattern = /[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}/
        return text.matches(of: pattern).map { match in
            EntityMatch(range: match.range, text: String(text[match.range]), value: String(text[match.range]).lowercased())
        }
    }
}

extension UInt8 {
    fileprivate var isDigit: Bool { (48...57).contains(self) }
    fileprivate var isLetterOrDigit: Bool { isDigit || (65...90).contains(self) || (97...122).contains(self) }
}
