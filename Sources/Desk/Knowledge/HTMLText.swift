/// The readable text of an HTML page, for the knowledge index: script, style and other
/// non-content elements dropped with what they hold, block elements turned into paragraph breaks,
/// headings into Markdown heading lines (so the `Chunker` keeps them as the breadcrumb), other tags
/// removed and character references decoded. Not a validating parser: it reads what browsers
/// would show of ordinary pages and never fails.
enum HTMLText {
    /// Elements whose content is never shown text.
    static let dropped: Set<String> = ["script", "style", "head", "template", "noscript", "svg", "iframe", "object"]
    /// Elements that start and end a block of text.
    static let blocks: Set<String> = [
        "p", "div", "section", "article", "header", "footer", "main", "nav", "aside", "ul", "ol", "li", "dl", "dt", "dd",
        "table", "tr", "blockquote", "pre", "form", "fieldset", "figure", "figcaption", "address", "hr", "br", "body", "html",
        "h1", "h2", "h3", "h4", "h5", "h6",
    ]

    static func extract(_ html: String) -> String {
        var out = ""
        var text = ""          // the running text of the current block
        var heading = 0        // > 0 inside an <hN>
        var rest = Substring(html)
        func endBlock() {
            let line = collapse(decode(text))
            text = ""
            guard !line.isEmpty else { return }
            out += (heading > 0 ? String(repeating: "#", count: heading) + " " : "") + line + "\n\n"
        }
        while let open = rest.firstIndex(of: "<") {
            text += rest[..<open]
            rest = rest[open...]
            if rest.hasPrefix("<!--") {
                rest = rest.range(of: "-->").map { rest[$0.upperBound...] } ?? ""
                continue
            }
            guard let close = rest.firstIndex(of: ">") else { text += rest; rest = ""; break }
            let tag = rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: close)...]
            let closing = tag.hasPrefix("/")
            let name = tag.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }.lowercased()
            if !closing, dropped.contains(name) {
                // Skip to the matching end tag (these elements do not nest in practice).
                rest = rest.range(of: "</\(name)", options: .caseInsensitive).map { found in
                    let after = rest[found.upperBound...]
                    return after.firstIndex(of: ">").map { after[after.index(after: $0)...] } ?? ""
                } ?? ""
                continue
            }
            if blocks.contains(name) {
                endBlock()
                if name.count == 2, name.first == "h", let level = Int(String(name.last!)) { heading = closing ? 0 : level }
            } else if name == "td" || name == "th" {
                text += " "
            }
        }
        text += rest
        endBlock()
        return out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs of white space (newlines included) as one space, trimmed.
    static func collapse(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "copy": "©", "reg": "®", "euro": "€",
        "ndash": "–", "mdash": "—", "hellip": "…", "laquo": "«", "raquo": "»", "ordm": "º", "ordf": "ª", "deg": "°",
        "aacute": "á", "eacute": "é", "iacute": "í", "oacute": "ó", "uacute": "ú", "Aacute": "Á", "Eacute": "É",
        "Iacute": "Í", "Oacute": "Ó", "Uacute": "Ú", "acirc": "â", "ecirc": "ê", "ocirc": "ô", "Acirc": "Â", "Ecirc": "Ê",
        "Ocirc": "Ô", "atilde": "ã", "otilde": "õ", "Atilde": "Ã", "Otilde": "Õ", "ccedil": "ç", "Ccedil": "Ç",
        "agrave": "à", "Agrave": "À", "ntilde": "ñ", "Ntilde": "Ñ", "uuml": "ü", "Uuml": "Ü", "iexcl": "¡", "iquest": "¿",
    ]

    /// `&amp;`, `&#233;` and `&#xE9;` decoded; an unknown reference is left as written.
    static func decode(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            rest = rest[amp...]
            let body = rest.dropFirst().prefix { $0 != ";" && !$0.isWhitespace && $0 != "&" }
            let end = rest.index(rest.startIndex, offsetBy: body.count + 1)
            guard body.count <= 10, end < rest.endIndex, rest[end] == ";" else {
                out += "&"; rest = rest.dropFirst(); continue
            }
            var decoded: String?
            if body.hasPrefix("#x") || body.hasPrefix("#X") {
                decoded = UInt32(body.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
            } else if body.hasPrefix("#") {
                decoded = UInt32(body.dropFirst()).flatMap(Unicode.Scalar.init).map { String(Character($0)) }
            } else {
                decoded = named[String(body)]
            }
            if let decoded {
                out += decoded
                rest = rest[rest.index(after: end)...]
            } else {
                out += "&"; rest = rest.dropFirst()
            }
        }
        return out + rest
    }
}
