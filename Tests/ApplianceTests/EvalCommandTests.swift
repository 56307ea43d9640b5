import AtendeTesting
import Foundation
import Testing

/// `atende eval retrieval` and `atende eval dates`, run as the built binary on small files written
/// here (never the shared evaluation data).
@Suite struct EvalCommandTests {
    let atende = BuiltProducts.path("atende")

    static let kb = """
        {"id": "hours", "kind": "faq", "question": "What time do you open?", "answer": "We open at nine in the morning and close at six, Monday to Saturday."}
        {"id": "parking", "kind": "faq", "question": "Is there parking?", "answer": "Yes, free parking for cars behind the building."}
        {"id": "payment", "kind": "faq", "question": "Which payment methods do you accept?", "answer": "Cash, credit cards and bank transfer."}

        """
    /// The third query is labelled with the wrong FAQ on purpose: R@1 must be 2/3.
    static let queries = """
        {"query": "what time do you open in the morning", "relevant": ["hours"]}
        {"query": "can I pay with a credit card", "relevant": ["payment"]}
        {"query": "where can I leave my car, is there parking", "relevant": ["hours"]}
        """

    /// Writes `files` (name → contents) into a fresh directory and returns it.
    func directory(_ files: [String: String]) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        for (name, contents) in files {
            try Data(contents.utf8).write(to: URL(fileURLWithPath: directory.appending(name)))
        }
        return directory
    }

    @Test func retrievalPrintsRecallWithTheWrongLabelCountedAsAMiss() async throws {
        let dir = try directory(["kb.jsonl": Self.kb, "q.jsonl": Self.queries])
        defer { dir.remove() }
        let result = try await ChildProcess.run(atende, ["eval", "retrieval", "--kb", dir.appending("kb.jsonl"),
                                                         "--queries", dir.appending("q.jsonl"), "--lang", "en"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("3 queries over 3 FAQ pairs"), "\(result.output)")
        #expect(result.output.contains("R@1      0.667"), "\(result.output)")
    }

    @Test func retrievalJSONCarriesTheSameFigures() async throws {
        let dir = try directory(["kb.jsonl": Self.kb, "q.jsonl": Self.queries])
        defer { dir.remove() }
        let result = try await ChildProcess.run(atende, ["eval", "retrieval", "--kb", dir.appending("kb.jsonl"),
                                                         "--queries", dir.appending("q.jsonl"), "--lang", "en", "--json"])
        #expect(result.status == 0, "\(result.error)")
        struct Report: Decodable { let recallAt1, recallAt5, mrrAt10: Double; let queries, faqs, documents, units, k: Int }
        let report = try JSONDecoder().decode(Report.self, from: Data(result.output.utf8))
        #expect(abs(report.recallAt1 - 2.0 / 3) < 1e-9)
        #expect(report.queries == 3 && report.faqs == 3 && report.documents == 0 && report.units == 3 && report.k == 10)
        // Two first-place hits and one relevant unit further down: MRR between 2/3 and 1.
        #expect(report.mrrAt10 > 2.0 / 3 && report.mrrAt10 < 1)
        #expect(report.recallAt5 == 1)
    }

    @Test func documentsAreChunkedAndFoundByTheirId() async throws {
        let kb = """
            {"id": "prices", "kind": "doc", "title": "Prices", "section": "Hair", "text": "A haircut costs 50 reais and a beard trim 30 reais.", "language": "en"}
            {"id": "hours", "kind": "faq", "question": "When are you open?", "answer": "Monday to Saturday.", "language": "en"}
            """
        let dir = try directory(["kb.jsonl": kb, "q.jsonl": #"{"query": "how much is a haircut", "relevant": ["prices"], "language": "en"}"#])
        defer { dir.remove() }
        let result = try await ChildProcess.run(atende, ["eval", "retrieval", "--kb", dir.appending("kb.jsonl"),
                                                         "--queries", dir.appending("q.jsonl"), "--json"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains(#""recallAt1" : 1"#), "\(result.output)")
        #expect(result.output.contains(#""documents" : 1"#), "\(result.output)")
    }

    @Test func datesAreScoredPerCategoryWithTheLanguageTakenFromTheFileName() async throws {
        let cases = """
            {"text": "tomorrow at 3pm", "value": "2013-02-13T15:00:00", "grain": "hour"}
            {"text": "on friday", "value": "2013-02-15T00:00:00", "grain": "day"}
            {"text": "next year", "value": "2014-00-00T00:00:00", "grain": "year"}
            """
        let dir = try directory(["en.jsonl": cases])
        defer { dir.remove() }
        let result = try await ChildProcess.run(atende, ["eval", "dates", "--cases", dir.appending("en.jsonl")])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("dates en (scheduling subset, UTC): exact 2/2 = 100.0 %"), "\(result.output)")
        #expect(result.output.contains("value hour"), "\(result.output)")
        #expect(result.output.contains("excluded: whole years: 1"), "\(result.output)")

        let all = try await ChildProcess.run(atende, ["eval", "dates", "--cases", dir.appending("en.jsonl"), "--all", "--json"])
        #expect(all.status == 0, "\(all.error)")
        struct Tally: Decodable { let exact, total: Int }
        struct Report: Decodable { let language, scope: String; let overall: Tally; let categories: [String: Tally] }
        let report = try JSONDecoder().decode(Report.self, from: Data(all.output.utf8))
        #expect(report.language == "en" && report.scope == "all")
        #expect(report.overall.total == 3)
        #expect(report.categories["value day"]?.exact == 1)
    }

    @Test func datesNeedALanguageWhenTheFileNameDoesNotSayIt() async throws {
        let dir = try directory(["cases.jsonl": #"{"text": "amanhã", "value": "2013-02-13T00:00:00", "grain": "day"}"#])
        defer { dir.remove() }
        let result = try await ChildProcess.run(atende, ["eval", "dates", "--cases", dir.appending("cases.jsonl")])
        #expect(result.status == 64)
        #expect(result.error.contains("cannot tell the language of cases.jsonl"), "\(result.error)")
        let named = try await ChildProcess.run(atende, ["eval", "dates", "--cases", dir.appending("cases.jsonl"), "--lang", "pt"])
        #expect(named.status == 0, "\(named.error)")
        #expect(named.output.contains("exact 1/1"), "\(named.output)")
    }

    /// One bad input each: the exit code and the words the message must contain.
    struct BadInput: Sendable, CustomTestStringConvertible {
        let name: String
        let kb: String?
        let queries: String?
        let dates: String?
        let status: Int32
        let message: [String]
        var testDescription: String { name }
    }

    static let badInputs: [BadInput] = [
        BadInput(name: "missing file", kb: nil, queries: queries, dates: nil, status: 66,
                 message: ["kb.jsonl", "no such file"]),
        BadInput(name: "broken JSON", kb: kb + "{\"id\": \"x\", \"kind\": \"faq\"\n", queries: queries, dates: nil, status: 65,
                 message: ["kb.jsonl line 4", "not valid JSON"]),
        BadInput(name: "missing field", kb: #"{"id": "a", "kind": "faq", "question": "q?"}"#, queries: queries, dates: nil,
                 status: 65, message: ["kb.jsonl line 1", "\"answer\""]),
        BadInput(name: "wrong type", kb: kb, queries: #"{"query": "x", "relevant": "hours"}"#, dates: nil, status: 65,
                 message: ["q.jsonl line 1", "\"relevant\" should be an array"]),
        BadInput(name: "unknown kind", kb: #"{"id": "a", "kind": "video", "text": "t"}"#, queries: queries, dates: nil,
                 status: 65, message: ["kb.jsonl line 1", "unknown kind \"video\""]),
        BadInput(name: "no queries", kb: kb, queries: "\n", dates: nil, status: 65, message: ["q.jsonl", "no queries"]),
        BadInput(name: "unknown relevant id", kb: kb, queries: #"{"query": "x", "relevant": ["nope"]}"#, dates: nil,
                 status: 65, message: ["q.jsonl line 1", "\"nope\" is not in"]),
        BadInput(name: "date line without grain", kb: nil, queries: nil,
                 dates: "{\"text\": \"today\", \"value\": \"2013-02-12T00:00:00\", \"grain\": \"day\"}\n{\"text\": \"now\", \"value\": \"2013-02-12T04:30:00\"}",
                 status: 65, message: ["en.jsonl line 2", "missing \"grain\""]),
        BadInput(name: "date line without value", kb: nil, queries: nil, dates: #"{"text": "today", "grain": "day"}"#,
                 status: 65, message: ["en.jsonl line 1", "\"from\" and \"to\""]),
        BadInput(name: "no date cases", kb: nil, queries: nil, dates: "", status: 65, message: ["en.jsonl", "no cases"]),
    ]

    @Test(arguments: badInputs)
    func aBadInputIsNamedOnStderrWithANonZeroExit(_ bad: BadInput) async throws {
        var files: [String: String] = [:]
        files["kb.jsonl"] = bad.kb
        files["q.jsonl"] = bad.queries
        files["en.jsonl"] = bad.dates
        let dir = try directory(files)
        defer { dir.remove() }
        let arguments = bad.name.hasPrefix("date") || bad.name == "no date cases"
            ? ["eval", "dates", "--cases", dir.appending("en.jsonl")]
            : ["eval", "retrieval", "--kb", dir.appending("kb.jsonl"), "--queries", dir.appending("q.jsonl"), "--lang", "en"]
        let result = try await ChildProcess.run(atende, arguments)
        #expect(result.status == bad.status, "\(result.error)")
        for words in bad.message { #expect(result.error.contains(words), "\(result.error)") }
        #expect(result.output.isEmpty)
        #expect(!result.error.contains("info"), "only the error is printed: \(result.error)")
    }
}
