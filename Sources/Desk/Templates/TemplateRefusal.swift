import Channels
import Foundation

/// Meta's refusal of a template it was asked to create or edit, as an error naming the field
/// of the request it is about (`components[1].text`, `name`, …) — a 422 staff can act on —
/// instead of one `provider_refused` about the whole template.
///
/// Meta says it in different places: `error_data.details` often quotes the parameter
/// (`Param components[0]['text'] must be at most 60 characters long.`); the template
/// validation errors (code 100 with a 2388xxx subcode) explain themselves to people in
/// `error_user_title` / `error_user_msg` ("Variables can't be at the start or end of the
/// template body."), naming the part but not its position — found here from the request.
enum TemplateRefusal {
    /// The error for `failure`, Meta's answer to a template whose components were `components`.
    static func error(_ what: String, _ failure: SendFailure, components: [Any]) -> DeskError {
        let code = failure.providerCode.map { " (code \($0))" } ?? ""
        guard let graph = failure.graphError, isAboutTheRequest(graph) else {
            return DeskError(.providerRefused, "WhatsApp refused to \(what): \(failure.message)\(code)")
        }
        let words = graph.userMessage ?? graph.details ?? graph.message
        return DeskError.invalid(field(of: graph, components: components), "WhatsApp refused to \(what): \(words)\(code)")
    }

    /// A refusal of what was sent (an invalid parameter, a template validation rule), not of
    /// the account, the token or a limit.
    static func isAboutTheRequest(_ graph: GraphError) -> Bool {
        if graph.subcode == 2388019 { return false }               // the account's template limit
        return graph.code == 100 || graph.code == 131008 || graph.code == 131009
            || (2388000..<2389000).contains(graph.subcode ?? 0)
    }

    /// The request's field Meta's words are about; `components` when they say no more.
    static func field(of graph: GraphError, components: [Any]) -> String {
        let texts = [graph.details, graph.userMessage, graph.userTitle, graph.message].compactMap { $0 }
        for text in texts {
            if let quoted = quotedComponent(in: text) { return quoted }
        }
        let all = texts.joined(separator: " ").lowercased()
        for name in ["name", "language", "category"] where all.contains("param \(name)") || all.contains("template \(name)") {
            return name
        }
        let types = components.map { (($0 as? [String: Any])?["type"] as? String)?.uppercased() }
        func part(_ type: String, _ key: String) -> String? {
            types.firstIndex(of: type).map { "components[\($0)].\(key)" }
        }
        // Variables at the start or end of the body (2388299), or too many for its length (2388293).
        if graph.subcode == 2388299 || graph.subcode == 2388293, let body = part("BODY", "text") { return body }
        for (word, type, key) in [("header", "HEADER", "text"), ("footer", "FOOTER", "text"), ("button", "BUTTONS", "buttons"),
                                  ("body", "BODY", "text")] where all.contains(word) {
            if let found = part(type, key) { return found }
        }
        return "components"
    }

    /// `components[0]['text']`, `components[2][buttons][0][url]` or `components[1].text` in
    /// `text`, spelt as our API spells fields: `components[0].text`.
    static func quotedComponent(in text: String) -> String? {
        guard let start = text.range(of: "components[", options: .caseInsensitive) else { return nil }
        var rest = text[text.index(before: start.upperBound)...]         // from the first "["
        var path = "components"
        while let first = rest.first {
            if first == "[" {
                guard let close = rest.firstIndex(of: "]") else { break }
                let inner = rest[rest.index(after: rest.startIndex)..<close].trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
                if !inner.isEmpty, inner.allSatisfy(\.isNumber) {
                    path += "[\(inner)]"
                } else if !inner.isEmpty, inner.allSatisfy({ $0 == "_" || ($0.isASCII && $0.isLetter) }) {
                    path += ".\(inner.lowercased())"
                } else {
                    break
                }
                rest = rest[rest.index(after: close)...]
            } else if first == ".", let key = rest.dropFirst().prefix(while: { $0 == "_" || ($0.isASCII && $0.isLetter) }).nilIfEmpty {
                path += ".\(key.lowercased())"
                rest = rest.dropFirst(1 + key.count)
            } else {
                break
            }
        }
        return path == "components" ? nil : path
    }
}

private extension Substring {
    var nilIfEmpty: Substring? { isEmpty ? nil : self }
}
