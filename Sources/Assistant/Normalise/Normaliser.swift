import Foundation

/// Cleans chat text and splits it into tokens, the first stage of the pipeline.
///
/// `clean` keeps what a person would read (accents, emoji, case is lowered); `tokens` expands
/// the chat abbreviations of one language ("vc" → "você", "mñn" → "mañana"); `fold` is the form
/// used for matching ("Ação" → "acao"). Nothing here depends on the language except the
/// abbreviation table, so a message can be cleaned before its language is known.
public struct Normaliser: Sendable {
    /// What tokenisation does with emoji: keep each as a token of its own, or drop it.
    public enum EmojiPolicy: Sendable { case keep, drop }

    public let emoji: EmojiPolicy

    public init(emoji: EmojiPolicy = .keep) { self.emoji = emoji }

    /// NFKC, lower case, zero-width and variation-selector characters removed, and a letter
    /// repeated three or more times squeezed ("siiiim" → "sim", "obrigadooo" → "obrigado";
    /// r, s and l keep two, as in "carrro" → "carro").
    public func clean(_ text: String) -> String {
        let nfkc = (Self.isCompatibilityStable(text) ? text : text.precomposedStringWithCompatibilityMapping).lowercased()
        var out = String.UnicodeScalarView()
        var run: (scalar: Unicode.Scalar, count: Int)?
        for scalar in nfkc.unicodeScalars {
            if Self.invisible.contains(scalar.value) { continue }
            if let r = run, r.scalar == scalar, scalar.properties.isAlphabetic {
                run = (scalar, r.count + 1)
                let keep = "rsl".unicodeScalars.contains(scalar) ? 2 : 1
                if r.count + 1 == 3 { while out.last == scalar { out.removeLast() }; for _ in 0..<keep { out.append(scalar) } }
                if r.count + 1 >= 3 { continue }
            } else {
                run = (scalar, 1)
            }
            out.append(scalar)
        }
        return String(out)
    }

    /// Words, numbers and (by policy) emoji of `text`, cleaned and with the chat abbreviations
    /// of `language` expanded. Accents are kept: stemmers need them.
    public func tokens(_ text: String, language: Language) -> [String] {
        let raw = Self.split(clean(text), keepEmoji: emoji == .keep)
        let table = ChatAbbreviations.table(for: language)
        var out: [String] = []
        out.reserveCapacity(raw.count)
        for token in raw {
            if let expansion = table[token] {
                out.append(contentsOf: expansion.split(separator: " ").map(String.init))
            } else {
                out.append(token)
            }
        }
        return out
    }

    /// Case and accent folded: "Ação É" → "acao e", "mañana" → "manana". For matching only.
    public static func fold(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.lowercased().unicodeScalars {
            if scalar.isASCII {  // no accent to take off: skip the table (most scalars)
                out.append(scalar)
            } else if let plain = accentFree[scalar] {
                out.append(plain)
            } else if !(0x300...0x36F).contains(scalar.value) {  // a combining accent left by NFD input
                out.append(scalar)
            }
        }
        return String(out)
    }

    private static let accentFree: [Unicode.Scalar: Unicode.Scalar] = {
        let pairs = ["áàâãäå": "a", "éèêë": "e", "íìîï": "i", "óòôõö": "o", "úùûü": "u",
                     "ç": "c", "ñ": "n", "ý": "y"]
        var table: [Unicode.Scalar: Unicode.Scalar] = [:]
        for (accented, plain) in pairs {
            guard let p = plain.unicodeScalars.first else { continue }
            for scalar in accented.unicodeScalars { table[scalar] = p }
        }
        return table
    }()

    /// Whether NFKC leaves `text` as it is because every scalar is one NFKC maps to itself: ASCII
    /// below U+00A0 and the precomposed Latin letters of U+00C0–U+017F bar the few with a
    /// compatibility mapping. Most chat and knowledge-base text in pt, es and en is, and Foundation's
    /// NFKC costs more than the rest of the analysis of a passage (bench/assistant/README.md).
    static func isCompatibilityStable(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            let v = scalar.value
            return v < 0xA0 || ((0xC0...0x17F).contains(v) && v != 0x132 && v != 0x133 && v != 0x13F && v != 0x140
                                && v != 0x149 && v != 0x17F)
        }
    }

    /// Zero-width space/joiners, BOM, soft hyphen and the emoji variation selector.
    private static let invisible: Set<UInt32> = [0x200B, 0x200C, 0x2060, 0xFEFF, 0x00AD, 0xFE0E, 0xFE0F]

    /// Splits cleaned text into runs of letters and digits. A '.', ',' or ':' between digits
    /// stays ("1.234,50", "14:30"), an apostrophe between letters stays ("don't"), "r$" and
    /// "us$" stay whole, and each emoji is a token of its own when kept.
    static func split(_ text: String, keepEmoji: Bool) -> [String] {
        var tokens: [String] = []
        var current = ""
        let chars = Array(text)
        func flush() { if !current.isEmpty { tokens.append(current); current = "" } }
        for (i, c) in chars.enumerated() {
            // ASCII is answered from the byte: Character.isLetter looks up Unicode properties.
            let isWordCharacter: Bool
            if let byte = c.asciiValue {
                isWordCharacter = (0x61...0x7A).contains(byte | 0x20) || (0x30...0x39).contains(byte)
            } else {
                isWordCharacter = c.isLetter || c.isNumber
            }
            if isWordCharacter {
                current.append(c)
            } else if c == "$", current == "r" || current == "us" {
                current.append(c)
                flush()
            } else if let last = current.last, i + 1 < chars.count,
                      (".,:".contains(c) && last.isNumber && chars[i + 1].isNumber)
                      || ("'’".contains(c) && last.isLetter && chars[i + 1].isLetter) {
                current.append(c == "’" ? "'" : c)
            } else {
                flush()
                if keepEmoji, isEmoji(c) { tokens.append(String(c)) }
            }
        }
        flush()
        return tokens
    }

    /// Whether a character is shown as an emoji (pictographs, flags, keycaps, ZWJ sequences).
    public static func isEmoji(_ c: Character) -> Bool {
        guard let first = c.unicodeScalars.first else { return false }
        return first.properties.isEmojiPresentation
            || (first.properties.isEmoji && first.value > 0x238C)
            || c.unicodeScalars.count > 1 && c.unicodeScalars.contains { $0.properties.isEmojiPresentation }
    }
}
