import ArgumentParser
import Assistant
import Foundation
import Logging

/// `atende eval dates`: the date/time parser on a corpus in the shared/eval/datetime format, scored
/// by `DateTimeEvaluation` (exact value and grain, per category and overall).
struct EvalDates: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dates",
        abstract: "Date/time reading: exact value and grain per category and overall.",
        discussion: """
            --cases is JSON Lines, one case a line:
              {"text": "amanhã às 3 da tarde", "value": "2013-02-13T15:00:00", "grain": "hour"}
              {"text": "de 2 a 5 de março", "from": "…", "to": "…", "grain": "day"}
            with an optional "ref" (the moment the text was said; default 2013-02-12T04:30:00, a \
            Tuesday). By default only booking language is scored: cases such as holidays by name, \
            seasons and whole years are set aside (and counted) by rules in the code; --all scores every case.
            The language is --lang, or the file's name when it is pt.jsonl, es.jsonl or en.jsonl.
            Exit 66 when the file is missing, 65 when a line is bad (the message names the line).
            """)

    @Option(help: "The cases (JSONL).") var cases: String
    @Option(help: "The language of the cases (pt, es, en); default: from the file name.") var lang: Language?
    @Option(help: "Time zone the wall-clock values are compared in.") var timeZone = "UTC"
    @Flag(help: "Score the whole corpus, not only the scheduling subset.") var all = false
    @Flag(help: "Also print each miss: the text, what the file says and what was read.") var misses = false
    @Flag(help: "Print the figures as JSON.") var json = false

    /// A line as the file must have it; checked here so a bad line is named before the evaluation runs.
    struct Case: Decodable {
        let text: String
        let value: String?
        let from: String?
        let to: String?
        let grain: String
        let ref: String?
    }

    struct Tally: Encodable {
        let exact: Int
        let total: Int
        let rate: Double
        init(_ tally: DateTimeEvaluation.Tally) { (exact, total, rate) = (tally.exact, tally.total, tally.rate) }
    }

    /// What `--json` prints.
    struct Report: Encodable {
        let language: String
        let scope: String
        let timeZone: String
        let overall: Tally
        let categories: [String: Tally]
        let excluded: [String: Int]
        let misses: [String]?
    }

    func resolvedLanguage() throws -> Language {
        if let lang { return lang }
        let name = URL(fileURLWithPath: cases).lastPathComponent
        if let inferred = ["pt.jsonl": Language.pt, "es.jsonl": .es, "en.jsonl": .en][name] { return inferred }
        throw ValidationError("cannot tell the language of \(name): pass --lang pt, es or en")
    }

    func run() throws {
        guard let zone = TimeZone(identifier: timeZone) else {
            throw ValidationError("unknown time zone \"\(timeZone)\" (use an IANA name such as America/Sao_Paulo)")
        }
        let language = try resolvedLanguage()
        Logger.bootstrapJSON(level: .warning)
        let evaluation: DateTimeEvaluation
        do {
            let lines = try JSONLines.read(cases, as: Case.self)
            guard !lines.isEmpty else { throw EvalInputError(.badData, "\(cases): no cases (the file is empty)") }
            for (line, item) in lines {
                guard !item.text.isEmpty else { throw EvalInputError.line(line, of: cases, "\"text\" is empty") }
                guard item.value != nil || (item.from != nil && item.to != nil) else {
                    throw EvalInputError.line(line, of: cases, "needs \"value\", or \"from\" and \"to\"")
                }
            }
            evaluation = try DateTimeEvaluation.run(file: URL(fileURLWithPath: cases), language: language,
                                                    timeZone: zone, wholeCorpus: all)
        } catch let error as EvalInputError {
            throw error.exit
        }
        if json {
            try Eval.printJSON(Report(language: language.rawValue, scope: all ? "all" : "scheduling",
                                      timeZone: timeZone, overall: Tally(evaluation.overall),
                                      categories: evaluation.categories.mapValues(Tally.init),
                                      excluded: evaluation.excluded, misses: misses ? evaluation.misses : nil))
            return
        }
        print("dates \(language.rawValue) (\(all ? "whole corpus" : "scheduling subset"), \(timeZone)): " + evaluation.summary)
        if misses {
            for miss in evaluation.misses { print("  miss: \(miss)") }
        }
    }
}
