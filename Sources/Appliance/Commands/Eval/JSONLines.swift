import ArgumentParser
import Foundation

/// A problem with an evaluation input file, said for a person: which file, which line, and why.
/// `atende eval` prints it on stderr and exits 66 (file missing or unreadable) or 65 (bad data).
struct EvalInputError: Error, CustomStringConvertible {
    enum Code { case noInput, badData }
    let code: Code
    let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A bad line of `file`, numbered from 1 as editors number it.
    static func line(_ number: Int, of file: String, _ why: String) -> EvalInputError {
        EvalInputError(.badData, "\(file) line \(number): \(why)")
    }

    var description: String { message }

    /// Prints the message and returns the exit code that fits it (sysexits.h).
    var exit: ExitCode {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        return code == .noInput ? Exit.noInput : Exit.dataError
    }
}

/// Reads a JSON Lines file: one JSON object a line, blank lines skipped.
enum JSONLines {
    /// Each non-blank line decoded as `T`, with its line number. Throws `EvalInputError` naming the
    /// file, and the line and the field when a line does not decode.
    static func read<T: Decodable>(_ path: String, as type: T.Type) throws -> [(line: Int, value: T)] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw EvalInputError(.noInput, "\(path): no such file")
        }
        guard !isDirectory.boolValue else { throw EvalInputError(.noInput, "\(path): is a directory, not a JSONL file") }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw EvalInputError(.noInput, "\(path): cannot be read (\(error.localizedDescription))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw EvalInputError(.badData, "\(path): is not UTF-8 text")
        }
        let decoder = JSONDecoder()
        var values: [(line: Int, value: T)] = []
        // Split on "\n" only, so the numbers match an editor's even with "\r\n" line ends.
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard line.contains(where: { !$0.isWhitespace }) else { continue }
            do {
                values.append((index + 1, try decoder.decode(T.self, from: Data(line.utf8))))
            } catch {
                throw EvalInputError.line(index + 1, of: path, reason(error))
            }
        }
        return values
    }

    /// A decoding error in a few words: which field, and what was wrong with it.
    static func reason(_ error: any Error) -> String {
        func field(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            let parent = field(context.codingPath)
            return "missing \"\(parent.isEmpty ? key.stringValue : parent + "." + key.stringValue)\""
        case DecodingError.typeMismatch(let type, let context), DecodingError.valueNotFound(let type, let context):
            let name = field(context.codingPath)
            return name.isEmpty ? "expected a JSON object" : "\"\(name)\" should be \(describe(type))"
        case DecodingError.dataCorrupted(let context):
            let name = field(context.codingPath)
            return name.isEmpty ? "not valid JSON" : "\"\(name)\": \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is [String].Type: return "an array of strings"
        case is Int.Type, is Double.Type: return "a number"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "a \(name)"
        }
    }
}
