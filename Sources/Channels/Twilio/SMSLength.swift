/// How an SMS text travels and what it costs (wire-protocols.md §5.6): texts made only of the
/// GSM 03.38 alphabet go as 7-bit septets, 160 in one message or 153 per part when split (the
/// rest of each part is the header that joins them); any other character — "ã", "ç", "é" in
/// most Portuguese — makes the whole text UCS-2: 70 UTF-16 units alone, 67 per part. Characters
/// of the GSM extension table (€ [ ] { } \ ^ ~ | and form feed) take two septets. Each part is
/// billed as one message, so the composer shows the count before staff send.
public struct SMSLength: Sendable, Equatable {
    public enum Encoding: String, Sendable { case gsm7 = "GSM-7", ucs2 = "UCS-2" }

    public let encoding: Encoding
    /// Septets (GSM-7) or UTF-16 code units (UCS-2).
    public let units: Int
    public let segments: Int
    /// Units left in the last segment before another is needed.
    public let remaining: Int

    public init(_ text: String) {
        var septets = 0
        var gsm = true
        for scalar in text.unicodeScalars {
            if Self.basic.contains(scalar) { septets += 1 } else if Self.extended.contains(scalar) { septets += 2 } else { gsm = false; break }
        }
        let (single, part) = gsm ? (160, 153) : (70, 67)
        encoding = gsm ? .gsm7 : .ucs2
        units = gsm ? septets : text.utf16.count
        segments = units <= single ? (units == 0 ? 0 : 1) : (units + part - 1) / part
        let capacity = segments <= 1 ? single : segments * part
        remaining = capacity - units
    }

    /// The GSM 03.38 default alphabet (the escape code 0x1B excluded: it only introduces the
    /// extension table).
    static let basic: Set<Unicode.Scalar> = Set(
        ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
         + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà").unicodeScalars)

    /// The extension table: each costs an escape septet plus its own.
    static let extended: Set<Unicode.Scalar> = Set("\u{0C}^{}\\[~]|€".unicodeScalars)
}
