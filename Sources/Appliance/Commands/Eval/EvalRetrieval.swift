import ArgumentParser
import Assistant
import Foundation
import Logging

/// `atende eval retrieval`: builds a `KnowledgeIndex` from a knowledge-base file, runs each query
/// and scores the rankings with `RetrievalMetrics` (a hit is any unit of a relevant FAQ or document).
struct EvalRetrieval: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrieval",
        abstract: "Knowledge-base retrieval: R@1, R@5 and MRR@10 of a query set.",
        discussion: """
            --kb is JSON Lines, one FAQ pair or document a line:
              {"id": "hours", "kind": "faq", "question": "…", "answer": "…"}
              {"id": "prices", "kind": "doc", "title": "…", "text": "…"}
            with an optional "language" (pt, es, en) and, for a document, an optional "section" \
            (added to its title as a heading). Documents are chunked as the desk chunks them.
            --queries is JSON Lines: {"query": "…", "relevant": ["hours"]}, optional "language".
            A line without "language" takes --lang, or else the language detected in its text \
            (Portuguese when the text does not decide).
            Exit 66 when a file is missing, 65 when a line is bad (the message names the line).
            """)

    @Option(help: "The knowledge base (JSONL).") var kb: String
    @Option(help: "The queries with their relevant ids (JSONL).") var queries: String
    @Option(help: "Results retrieved per query (R@5 and MRR@10 look at most at 5 and 10).") var k = 10
    @Option(help: "Language of lines that do not name one (pt, es, en); default: detected per line.")
    var lang: Language?
    @Flag(help: "Print the figures as JSON.") var json = false

    struct Entry: Decodable {
        let id: String
        let kind: String
        let question: String?
        let answer: String?
        let title: String?
        let text: String?
        let language: String?
        let section: String?
    }

    struct Query: Decodable {
        let query: String
        let relevant: [String]
        let language: String?
    }

    /// What `--json` prints.
    struct Report: Encodable {
        let recallAt1: Double
        let recallAt5: Double
        let mrrAt10: Double
        let queries: Int
        let faqs: Int
        let documents: Int
        let units: Int
        let k: Int
    }

    func validate() throws {
        guard k >= 1 else { throw ValidationError("--k must be at least 1") }
    }

    func run() throws {
        Logger.bootstrapJSON(level: .warning)
        do {
            let report = try evaluate()
            if json {
                try Eval.printJSON(report)
            } else {
                print("""
                    retrieval: \(report.queries) queries over \(report.faqs) FAQ pairs and \(report.documents) \
                    documents (\(report.units) units), k = \(report.k)
                      R@1      \(Eval.format(report.recallAt1))
                      R@5      \(Eval.format(report.recallAt5))
                      MRR@10   \(Eval.format(report.mrrAt10))
                    """)
            }
        } catch let error as EvalInputError {
            throw error.exit
        }
    }

    func evaluate() throws -> Report {
        let detector = LanguageDetector()
        func language(_ tag: String?, line: Int, file: String, text: String) throws -> Language {
            if let tag {
                guard let language = Language(tag: tag) else {
                    throw EvalInputError.line(line, of: file, "unknown language \"\(tag)\" (expected pt, es or en)")
                }
                return language
            }
            return lang ?? detector.detect(text, current: nil, fallback: .pt).language
        }

        let (index, seen, faqs, documents) = try EvalKnowledge.load(kb) { tag, line, text in
            try language(tag, line: line, file: kb, text: text)
        }

        let lines = try JSONLines.read(queries, as: Query.self)
        guard !lines.isEmpty else { throw EvalInputError(.badData, "\(queries): no queries (the file is empty)") }
        var rankings: [[String]] = [], relevant: [Set<String>] = []
        for (line, query) in lines {
            guard !query.query.isEmpty else { throw EvalInputError.line(line, of: queries, "\"query\" is empty") }
            guard !query.relevant.isEmpty else {
                throw EvalInputError.line(line, of: queries, "\"relevant\" is empty: name the id(s) the query should find")
            }
            if let unknown = query.relevant.first(where: { !seen.contains($0) }) {
                throw EvalInputError.line(line, of: queries, "relevant id \"\(unknown)\" is not in \(kb)")
            }
            let queryLanguage = try language(query.language, line: line, file: queries, text: query.query)
            rankings.append(index.search(query.query, language: queryLanguage, k: k).map(\.sourceID))
            relevant.append(Set(query.relevant))
        }
        let metrics = RetrievalMetrics(rankings: rankings, relevant: relevant)
        return Report(recallAt1: metrics.recallAt1, recallAt5: metrics.recallAt5, mrrAt10: metrics.mrrAt10,
                      queries: metrics.queries, faqs: faqs, documents: documents, units: index.count, k: k)
    }
}
