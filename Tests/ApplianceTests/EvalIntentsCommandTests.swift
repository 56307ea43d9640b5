import AtendeTesting
import Foundation
import Testing

/// `atende eval intents`, run as the built binary on a few messages written here (never the shared
/// evaluation data).
@Suite struct EvalIntentsCommandTests {
    let atende = BuiltProducts.path("atende")

    static let train = """
        {"text": "what time do you open", "intent": "hours"}
        {"text": "are you open on saturday", "intent": "hours"}
        {"text": "until what time are you open today", "intent": "hours"}
        {"text": "how much is a haircut", "intent": "pricing"}
        {"text": "what does a beard trim cost", "intent": "pricing"}
        {"text": "price of a haircut and a beard trim", "intent": "pricing"}
        {"text": "where is the shop", "intent": "location"}
        {"text": "what is your address", "intent": "location"}
        {"text": "how do I get to the shop", "intent": "location"}
        {"text": "who won the football match yesterday", "intent": "oos"}

        """
    /// The third line is labelled with the wrong intent on purpose: accuracy must be 2/3.
    static let test = """
        {"text": "what time do you open on saturday", "intent": "hours"}
        {"text": "how much is a haircut and a beard trim", "intent": "pricing"}
        {"text": "what is the address of the shop", "intent": "pricing"}
        {"text": "can you recommend a good film", "intent": "oos"}
        """

    func directory(_ files: [String: String]) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        for (name, contents) in files {
            try Data(contents.utf8).write(to: URL(fileURLWithPath: directory.appending(name)))
        }
        return directory
    }

    @Test func intentsPrintsATableWithTheWrongLabelCountedAsAMiss() async throws {
        let dir = try directory(["train.jsonl": Self.train, "test.jsonl": Self.test])
        defer { dir.remove() }
        let result = try await ChildProcess.run(atende, ["eval", "intents", "--train", dir.appending("train.jsonl"),
                                                         "--test", dir.appending("test.jsonl"), "--lang", "en"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("3 in-scope and 1 out-of-scope messages; 3 intents learnt from 9 examples (1 out-of-scope lines not learnt)"),
                "\(result.output)")
        #expect(result.output.contains("  accuracy                 0.667"), "\(result.output)")
        #expect(result.output.contains("  precision at ≥ 0.70      "), "\(result.output)")
        #expect(result.output.contains("  out-of-scope answered    "), "\(result.output)")
    }

    @Test func intentsJSONCarriesTheFiguresAndFeaturesAreWritten() async throws {
        let dir = try directory(["train.jsonl": Self.train, "test.jsonl": Self.test])
        defer { dir.remove() }
        let features = dir.appending("features.tsv")
        let result = try await ChildProcess.run(atende, ["eval", "intents", "--train", dir.appending("train.jsonl"),
                                                         "--test", dir.appending("test.jsonl"), "--lang", "en",
                                                         "--threshold", "0.01", "--json", "--features", features])
        #expect(result.status == 0, "\(result.error)")
        struct Report: Decodable {
            let accuracy, precision, automation, outOfScopeAnswered, expectedCalibrationError, threshold: Double
            let inScope, outOfScope, intents, trainingExamples, outOfScopeExamples: Int
        }
        let report = try JSONDecoder().decode(Report.self, from: Data(result.output.utf8))
        #expect(abs(report.accuracy - 2.0 / 3) < 1e-9)
        #expect(report.inScope == 3 && report.outOfScope == 1 && report.intents == 3)
        #expect(report.trainingExamples == 9 && report.outOfScopeExamples == 1 && report.threshold == 0.01)
        // At a threshold of 0.01 everything is answered: two right out of four, the out-of-scope one included.
        #expect(report.automation == 1 && report.precision == 0.5 && report.outOfScopeAnswered == 1)
        let table = try String(contentsOfFile: features, encoding: .utf8).split(separator: "\n")
        #expect(table.count == 5)
        #expect(table.first?.hasPrefix("correct\tinScope\ttop\tmargin") == true, "\(table)")
        #expect(table.last?.hasPrefix("0\t0\t") == true, "the out-of-scope line is wrong and not in scope: \(table)")
    }

    struct BadInput: Sendable, CustomTestStringConvertible {
        let name: String
        let train: String?
        let test: String
        let extra: [String]
        let status: Int32
        let message: [String]
        var testDescription: String { name }
    }

    static let badInputs: [BadInput] = [
        BadInput(name: "missing file", train: nil, test: test, extra: [], status: 66, message: ["train.jsonl", "no such file"]),
        BadInput(name: "broken JSON", train: train, test: test + "\n{\"text\": \"x\"", extra: [], status: 65,
                 message: ["test.jsonl line 5", "not valid JSON"]),
        BadInput(name: "missing intent", train: #"{"text": "hello"}"#, test: test, extra: [], status: 65,
                 message: ["train.jsonl line 1", "missing \"intent\""]),
        BadInput(name: "empty text", train: train, test: #"{"text": "", "intent": "hours"}"#, extra: [], status: 65,
                 message: ["test.jsonl line 1", "\"text\" is empty"]),
        BadInput(name: "intent not trained", train: train, test: #"{"text": "do you sell shampoo", "intent": "products"}"#,
                 extra: [], status: 65, message: ["test.jsonl line 1", "intent \"products\" is not in"]),
        BadInput(name: "only out of scope", train: #"{"text": "who won the match", "intent": "oos"}"#, test: test, extra: [],
                 status: 65, message: ["train.jsonl", "no in-scope examples"]),
        BadInput(name: "unknown language", train: train, test: #"{"text": "hola", "intent": "hours", "language": "fr"}"#,
                 extra: [], status: 65, message: ["test.jsonl line 1", "unknown language \"fr\""]),
        BadInput(name: "threshold out of range", train: train, test: test, extra: ["--threshold", "1.5"], status: 64,
                 message: ["--threshold must be in (0, 1]"]),
    ]

    @Test(arguments: badInputs)
    func aBadInputIsNamedOnStderrWithANonZeroExit(_ bad: BadInput) async throws {
        var files = ["test.jsonl": bad.test]
        files["train.jsonl"] = bad.train
        let dir = try directory(files)
        defer { dir.remove() }
        let result = try await ChildProcess.run(atende, ["eval", "intents", "--train", dir.appending("train.jsonl"),
                                                         "--test", dir.appending("test.jsonl")] + bad.extra)
        #expect(result.status == bad.status, "\(result.error)")
        for words in bad.message { #expect(result.error.contains(words), "\(result.error)") }
        #expect(result.output.isEmpty)
    }
}
