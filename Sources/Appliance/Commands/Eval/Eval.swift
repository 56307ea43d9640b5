import ArgumentParser
import Assistant
import Foundation

/// `atende eval …`: measures the assistant on evaluation files. Reads files only: no server, no
/// store, no data directory.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the assistant on evaluation files (retrieval, intents, dates, conversations).",
        discussion: """
            Safe while `atende serve` runs: it reads the files named and nothing else (no store, no \
            network). See bench/assistant/eval.sh for the shared evaluation sets.
            """,
        subcommands: [EvalRetrieval.self, EvalIntents.self, EvalDates.self, EvalConversations.self])
}

extension Language: ExpressibleByArgument {
    public init?(argument: String) { self.init(tag: argument) }
}

extension Eval {
    /// Writes `value` as JSON on stdout, keys sorted so the output diffs well.
    static func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    static func format(_ x: Double) -> String { String(format: "%.3f", x) }
}
