import Foundation

/// The subset of TOML that `atende.toml` uses: comments, `key = value` lines with strings,
/// integers, decimals (`0.4`) and booleans, and `[section]` headers (keys inside become `section.key`).
///
/// Hand-written because the one Swift TOML package reachable here does not resolve; the format
/// we accept is small and every unsupported construct is an error naming its line.
struct ConfigFile {
    enum Value: Equatable { case string(String), integer(Int), boolean(Bool), decimal(Double) }

    struct ParseError: Error, CustomStringConvertible {
        let line: Int, message: String
        var description: String { "line \(line): \(message)" }
    }

    private(set) var values: [String: Value] = [:]

    init(parsing text: String) throws {
        var section = ""
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let line = Self.stripComment(String(rawLine)).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), !line.hasPrefix("[[") else {
                    throw ParseError(line: lineNumber, message: "expected a [section] header")
                }
                section = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                guard Self.isBareKey(section) else { throw ParseError(line: lineNumber, message: "bad section name \(section)") }
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw ParseError(line: lineNumber, message: "expected key = value")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            let valueText = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard Self.isBareKey(key) else { throw ParseError(line: lineNumber, message: "bad key \(key)") }
            let fullKey = section.isEmpty ? key : "\(section).\(key)"
            guard values[fullKey] == nil else { throw ParseError(line: lineNumber, message: "\(fullKey) is set twice") }
            values[fullKey] = try Self.parseValue(valueText, line: lineNumber)
        }
    }

    private static func isBareKey(_ key: String) -> Bool {
        !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
    }

    /// Drops a `#` comment that is not inside a string.
    private static func stripComment(_ line: String) -> String {
        var inString = false, escaped = false
        for (offset, char) in line.enumerated() {
            if escaped { escaped = false; continue }
            if char == "\\" && inString { escaped = true; continue }
            if char == "\"" { inString.toggle() }
            if char == "#" && !inString { return String(line.prefix(offset)) }
        }
        return line
    }

    private static func parseValue(_ text: String, line: Int) throws -> Value {
        if text == "true" { return .boolean(true) }
        if text == "false" { return .boolean(false) }
        if text.hasPrefix("\"") {
            guard text.count >= 2, text.hasSuffix("\"") else { throw ParseError(line: line, message: "unterminated string") }
            var out = "", escaped = false
            for char in text.dropFirst().dropLast() {
                if escaped {
                    switch char {
                    case "n": out.append("\n")
                    case "t": out.append("\t")
                    case "\"", "\\": out.append(char)
                    default: throw ParseError(line: line, message: "unsupported escape \\\(char)")
                    }
                    escaped = false
                } else if char == "\\" { escaped = true } else { out.append(char) }
            }
            return .string(out)
        }
        if text.hasPrefix("'") && text.hasSuffix("'") && text.count >= 2 {
            return .string(String(text.dropFirst().dropLast()))      // TOML literal string
        }
        if let number = Int(text.replacingOccurrences(of: "_", with: "")) { return .integer(number) }
        // A TOML float: digits on both sides of the point (no exponent, inf or nan needed here).
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 2, parts.allSatisfy({ !$0.isEmpty }), parts[1].allSatisfy(\.isNumber), let number = Double(text) {
            return .decimal(number)
        }
        throw ParseError(line: line, message: "unsupported value \(text) (use a \"string\", a number or true/false)")
    }
}
