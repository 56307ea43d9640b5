import Foundation
public import Storage

/// A template as staff write it, before Meta sees it (§3.1). `checked()` refuses, naming the
/// field, what Meta would refuse later with a code nobody understands.
public struct TemplateDraft: Sendable {
    public var channelID: DocumentID
    public var name: String
    public var language: String
    public var category: String
    /// The `components` array (HEADER, BODY, FOOTER, BUTTONS) as JSON text.
    public var components: String

    public init(channelID: DocumentID, name: String, language: String, category: String, components: String) {
        (self.channelID, self.name, self.language, self.category, self.components) = (channelID, name, language, category, components)
    }

    static let categories = ["MARKETING", "UTILITY", "AUTHENTICATION"]

    /// The draft with its category upper-cased and its components re-encoded canonically.
    func checked() throws(DeskError) -> Checked {
        guard (1...512).contains(name.utf8.count), name.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x5F }) else {
            throw DeskError.invalid("name", "A template name is lowercase letters, digits and underscores (at most 512).")
        }
        guard Self.isLanguage(language) else {
            throw DeskError.invalid("language", "The language is a code such as pt_BR, es or en_US.")
        }
        let category = category.uppercased()
        guard Self.categories.contains(category) else {
            throw DeskError.invalid("category", "The category is MARKETING, UTILITY or AUTHENTICATION.")
        }
        guard components.utf8.count <= 64 * 1024,
              let parsed = (try? JSONSerialization.jsonObject(with: Data(components.utf8))) as? [Any],
              let objects = parsed as? [[String: Any]], objects.count == parsed.count else {
            throw DeskError.invalid("components", "The components are a JSON array of objects (HEADER, BODY, FOOTER, BUTTONS).")
        }
        var seen = Set<String>()
        for (index, component) in objects.enumerated() {
            // Each error names the part as the request spells it: components[1].text, …
            let field = "components[\(index)]"
            guard let type = (component["type"] as? String)?.uppercased(), ["HEADER", "BODY", "FOOTER", "BUTTONS"].contains(type) else {
                throw DeskError.invalid("\(field).type", "Each component's type is HEADER, BODY, FOOTER or BUTTONS.")
            }
            guard seen.insert(type).inserted else { throw DeskError.invalid("\(field).type", "A template has at most one \(type).") }
            try Self.check(component, type: type, field: field)
        }
        guard seen.contains("BODY") else { throw DeskError.invalid("components", "A template needs a BODY with its text.") }
        guard let data = try? JSONSerialization.data(withJSONObject: objects, options: [.sortedKeys]) else {
            throw DeskError.invalid("components", "The components are not valid JSON.")
        }
        return Checked(name: name, language: language, category: category, components: String(decoding: data, as: UTF8.self),
                       componentsArray: objects)
    }

    /// The draft as checked: the components as canonical JSON text (kept) and as objects (sent).
    struct Checked {
        let name: String, language: String, category: String, components: String
        let componentsArray: [Any]
    }

    private static func check(_ component: [String: Any], type: String, field: String) throws(DeskError) {
        switch type {
        case "BODY":
            guard let text = component["text"] as? String, (1...1024).contains(text.count) else {
                throw DeskError.invalid("\(field).text", "The BODY text is 1 to 1024 characters.")
            }
            let count = try placeholders(text, part: "BODY", field: "\(field).text")
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if count > 0, trimmed.hasPrefix("{{") || trimmed.hasSuffix("}}") {
                throw DeskError.invalid("\(field).text", "The BODY may not start or end with a variable; Meta refuses it.")
            }
            let examples = ((component["example"] as? [String: Any])?["body_text"] as? [[Any]])?.first ?? []
            if count > 0, examples.count != count || !examples.allSatisfy({ !(($0 as? String) ?? "").isEmpty }) {
                throw DeskError.invalid("\(field).example.body_text", "The BODY has \(count) variables, so example.body_text needs \(count) example values.")
            }
        case "HEADER":
            let format = (component["format"] as? String)?.uppercased() ?? "TEXT"
            guard ["TEXT", "IMAGE", "VIDEO", "DOCUMENT", "LOCATION"].contains(format) else {
                throw DeskError.invalid("\(field).format", "The HEADER format is TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION.")
            }
            if format == "TEXT" {
                guard let text = component["text"] as? String, (1...60).contains(text.count) else {
                    throw DeskError.invalid("\(field).text", "A TEXT HEADER is 1 to 60 characters.")
                }
                let count = try placeholders(text, part: "HEADER", field: "\(field).text")
                if count > 1 { throw DeskError.invalid("\(field).text", "A HEADER takes at most one variable.") }
                let example = ((component["example"] as? [String: Any])?["header_text"] as? [Any])?.first as? String
                if count == 1, (example ?? "").isEmpty {
                    throw DeskError.invalid("\(field).example.header_text", "The HEADER has a variable, so example.header_text needs its example value.")
                }
            }
        case "FOOTER":
            guard let text = component["text"] as? String, (1...60).contains(text.count) else {
                throw DeskError.invalid("\(field).text", "The FOOTER is 1 to 60 characters.")
            }
            guard !text.contains("{{") else { throw DeskError.invalid("\(field).text", "The FOOTER cannot hold variables.") }
        default: // BUTTONS
            guard let buttons = component["buttons"] as? [[String: Any]], (1...10).contains(buttons.count) else {
                throw DeskError.invalid("\(field).buttons", "BUTTONS holds 1 to 10 buttons.")
            }
            for (index, button) in buttons.enumerated() {
                let at = "\(field).buttons[\(index)]"
                guard let kind = (button["type"] as? String)?.uppercased(),
                      ["QUICK_REPLY", "URL", "PHONE_NUMBER", "COPY_CODE", "OTP"].contains(kind) else {
                    throw DeskError.invalid("\(at).type", "Each button's type is QUICK_REPLY, URL, PHONE_NUMBER, COPY_CODE or OTP.")
                }
                guard let text = button["text"] as? String, (1...25).contains(text.count) || kind == "COPY_CODE" else {
                    throw DeskError.invalid("\(at).text", "A button's text is 1 to 25 characters.")
                }
                if kind == "URL" {
                    guard let url = button["url"] as? String, url.hasPrefix("https://") else {
                        throw DeskError.invalid("\(at).url", "A URL button needs an https:// url.")
                    }
                    if url.contains("{{"), ((button["example"] as? [Any])?.first as? String ?? "").isEmpty {
                        throw DeskError.invalid("\(at).example", "A URL button with a variable needs its example address.")
                    }
                }
                if kind == "PHONE_NUMBER", ((button["phone_number"] as? String) ?? "").isEmpty {
                    throw DeskError.invalid("\(at).phone_number", "A PHONE_NUMBER button needs its phone_number.")
                }
            }
        }
    }

    /// How many positional variables `text` has; they must be {{1}}…{{n}}, each number used.
    private static func placeholders(_ text: String, part: String, field: String) throws(DeskError) -> Int {
        var numbers = Set<Int>()
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            guard let close = rest.range(of: "}}"), rest[..<close.lowerBound].allSatisfy({ $0.isASCII && $0.isNumber }),
                  let n = Int(rest[..<close.lowerBound]), n >= 1 else {
                throw DeskError.invalid(field, "Variables in the \(part) are written {{1}}, {{2}}, …")
            }
            numbers.insert(n)
            rest = rest[close.upperBound...]
        }
        // Distinct numbers from 1 whose highest is their count are exactly 1…n.
        guard (numbers.max() ?? 0) == numbers.count else {
            throw DeskError.invalid(field, "The \(part)'s variables must be numbered {{1}} to {{\(numbers.count)}} with none missing.")
        }
        return numbers.count
    }

    private static func isLanguage(_ code: String) -> Bool {
        let parts = code.split(separator: "_", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), (2...3).contains(parts[0].count), parts[0].allSatisfy({ $0.isASCII && $0.isLowercase }) else { return false }
        return parts.count == 1 || (parts[1].count == 2 && parts[1].allSatisfy { $0.isASCII && $0.isUppercase })
    }
}
