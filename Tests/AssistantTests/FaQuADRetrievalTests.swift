import Assistant
import Foundation
import Testing

/// FaQuAD retrieval (../shared/eval/faquad): each question should find its own paragraph. Runs only
/// when the converted files are named in the environment; see bench/assistant/faquad_to_jsonl.py.
@Suite struct FaQuADRetrievalTests {
    static let kbPath = ProcessInfo.processInfo.environment["ATENDE_FAQUAD_KB"]
    static let queriesPath = ProcessInfo.processInfo.environment["ATENDE_FAQUAD_QUERIES"]

    struct Document: Decodable { let id: String; let title: String; let text: String }
    struct Query: Decodable { let query: String; let relevant: [String] }

    static func lines<T: Decodable>(_ path: String, as: T.Type) throws -> [T] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            .map { try JSONDecoder().decode(T.self, from: Data($0.utf8)) }
    }

    @Test(.enabled(if: kbPath != nil && queriesPath != nil, "set ATENDE_FAQUAD_KB and ATENDE_FAQUAD_QUERIES"))
    func eachQuestionFindsItsOwnParagraph() throws {
        let documents = try Self.lines(try #require(Self.kbPath), as: Document.self)
        let queries = try Self.lines(try #require(Self.queriesPath), as: Query.self).map { ($0.query, Set($0.relevant)) }
        let sweep = ProcessInfo.processInfo.environment["ATENDE_FAQUAD_WEIGHTS"].map {
            $0.split(separator: ",").compactMap { Double($0) }
        } ?? [KnowledgeIndex.Configuration().denseWeight]
        let proximities = ProcessInfo.processInfo.environment["ATENDE_FAQUAD_PROXIMITY"].map {
            $0.split(separator: ",").compactMap { Double($0) }
        } ?? [KnowledgeIndex.Configuration().proximityWeight]
        let window = Int(ProcessInfo.processInfo.environment["ATENDE_FAQUAD_WINDOW"] ?? "") ?? KnowledgeIndex.Configuration().proximityWindow
        var best = 0.0
        for weight in sweep {
          for proximity in proximities {
            let index = try KnowledgeIndex(configuration: .init(denseWeight: weight, proximityWeight: proximity, proximityWindow: window))
            for document in documents {
                try index.addDocument(id: document.id, title: document.title, text: document.text, language: .pt)
            }
            let metrics = RetrievalMetrics(retriever: index, queries: queries, language: .pt)
            print("FaQuAD dense weight \(weight), proximity \(proximity) (window \(window)): \(metrics)")
            best = max(best, metrics.recallAt1)
          }
        }
        // A regression floor a little below what we measured with the default configuration (55/63 =
        // 0.873 with the proximity share; 0.857–0.873 for its neighbouring values), above the issue's
        // target of 0.85 (bench/assistant/README.md).
        #expect(best >= 0.85)
    }
}
