import ArgumentParser
import Assistant
import Foundation
import Logging

/// `atende eval intents`: trains the few-shot intent classifier on one labelled file, classifies
/// another and scores it with `IntentEvaluation` (accuracy, precision and automation at the
/// confidence threshold, out-of-scope answered, calibration error).
struct EvalIntents: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intents",
        abstract: "Intent classification: accuracy, precision and automation at a threshold, out-of-scope answered, ECE.",
        discussion: """
            --train and --test are JSON Lines, one labelled message a line:
              {"text": "what time do you open", "intent": "hours"}
              {"text": "can you fix my bike", "intent": "oos"}
            with an optional "language" (pt, es, en). "oos" marks a message the business does not \
            handle: in --train such lines are counted but not learnt (the classifier learns what the \
            business handles; the confidence keeps the rest from being answered); in --test the \
            right outcome for them is a confidence below the threshold.
            A line without "language" takes --lang, or else the language detected in its text \
            (Portuguese when the text does not decide).
            --features FILE also writes each test line's classifier features, the input of \
            bench/assistant/fit_intent_calibration.py (fit on a validation file, never on the test file).
            Exit 66 when a file is missing, 65 when a line is bad (the message names the line).
            """)

    @Option(help: "The labelled training messages (JSONL).") var train: String
    @Option(help: "The labelled messages to score (JSONL).") var test: String
    @Option(help: "Confidence at or above which the assistant would answer on its own.")
    var threshold = IntentCalibration.threshold
    @Option(help: "Language of lines that do not name one (pt, es, en); default: detected per line.")
    var lang: Language?
    @Option(help: "Also write the test lines' features (TSV) for the calibration fit.") var features: String?
    @Flag(help: "Print the figures as JSON.") var json = false

    struct Line: Decodable {
        let text: String
        let intent: String
        let language: String?
    }

    /// What `--json` prints.
    struct Report: Encodable {
        let accuracy: Double
        let precision: Double
        let automation: Double
        let outOfScopeAnswered: Double
        let expectedCalibrationError: Double
        let threshold: Double
        let inScope: Int
        let outOfScope: Int
        let intents: Int
        let trainingExamples: Int
        let outOfScopeExamples: Int
    }

    func validate() throws {
        guard threshold > 0, threshold <= 1 else { throw ValidationError("--threshold must be in (0, 1]") }
    }

    func run() throws {
        Logger.bootstrapJSON(level: .warning)
        do {
            let run = try evaluate()
            if let features {
                do {
                    try run.featureTable.write(toFile: features, atomically: true, encoding: .utf8)
                } catch {
                    throw EvalInputError(.noInput, "\(features): cannot be written (\(error.localizedDescription))")
                }
            }
            let r = run.report
            let report = Report(accuracy: r.accuracy, precision: r.precision, automation: r.automation,
                                outOfScopeAnswered: r.outOfScopeAnswered, expectedCalibrationError: r.expectedCalibrationError,
                                threshold: threshold, inScope: r.inScopeCount, outOfScope: r.outOfScopeCount,
                                intents: run.labels, trainingExamples: run.examples, outOfScopeExamples: run.outOfScopeExamples)
            if json {
                try Eval.printJSON(report)
            } else {
                let at = String(format: "%.2f", threshold)
                let rows = [("accuracy", r.accuracy), ("precision at ≥ \(at)", r.precision),
                            ("automation at ≥ \(at)", r.automation), ("out-of-scope answered", r.outOfScopeAnswered),
                            ("ECE", r.expectedCalibrationError)]
                print("""
                    intents: \(r.inScopeCount) in-scope and \(r.outOfScopeCount) out-of-scope messages; \(run.labels) \
                    intents learnt from \(run.examples) examples (\(run.outOfScopeExamples) out-of-scope lines not learnt)
                    """)
                // Padded by characters, not bytes ("≥" is three bytes in UTF-8).
                for (name, value) in rows { print("  " + name + String(repeating: " ", count: max(1, 25 - name.count)) + Eval.format(value)) }
            }
        } catch let error as EvalInputError {
            throw error.exit
        }
    }

    func evaluate() throws -> IntentEvaluation.Run {
        let detector = LanguageDetector()
        func samples(_ file: String) throws -> [(line: Int, sample: IntentEvaluation.Sample)] {
            let lines = try JSONLines.read(file, as: Line.self)
            guard !lines.isEmpty else { throw EvalInputError(.badData, "\(file): no messages (the file is empty)") }
            return try lines.map { line, item in
                guard !item.text.isEmpty else { throw EvalInputError.line(line, of: file, "\"text\" is empty") }
                guard !item.intent.isEmpty else {
                    throw EvalInputError.line(line, of: file, "\"intent\" is empty (use \"oos\" for out of scope)")
                }
                let language: Language
                if let tag = item.language {
                    guard let named = Language(tag: tag) else {
                        throw EvalInputError.line(line, of: file, "unknown language \"\(tag)\" (expected pt, es or en)")
                    }
                    language = named
                } else {
                    language = lang ?? detector.detect(item.text, current: nil, fallback: .pt).language
                }
                return (line, IntentEvaluation.Sample(item.text, intent: item.intent, language: language))
            }
        }
        let trainSamples = try samples(train).map(\.sample)
        let known = Set(trainSamples.filter { !$0.isOutOfScope }.map(\.intent))
        guard !known.isEmpty else { throw EvalInputError(.badData, "\(train): no in-scope examples (every line is \"oos\")") }
        let testSamples = try samples(test)
        if let unknown = testSamples.first(where: { !$0.sample.isOutOfScope && !known.contains($0.sample.intent) }) {
            throw EvalInputError.line(unknown.line, of: test, "intent \"\(unknown.sample.intent)\" is not in \(train)")
        }
        return IntentEvaluation.run(train: trainSamples, test: testSamples.map(\.sample), threshold: threshold)
    }
}
