import Assistant
import Foundation
import Testing

/// The detector against data we did not write (../shared/eval): FaQuAD questions (pt), CLINC150
/// test utterances (en) and Duckling's Spanish date/time strings (es). Runs only when
/// ATENDE_EVAL_DIR names that folder; prints how often the detector was right, abstained or wrong.
@Suite struct LanguageDetectionEvaluationTests {
    static let directory = ProcessInfo.processInfo.environment["ATENDE_EVAL_DIR"]

    static func texts(_ language: Language, in directory: String) throws -> [String] {
        switch language {
        case .pt:
            struct SQuAD: Decodable {
                struct Article: Decodable { let paragraphs: [Paragraph] }
                struct Paragraph: Decodable { let qas: [QA] }
                struct QA: Decodable { let question: String }
                let data: [Article]
            }
            let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/faquad/dev.json"))
            return try JSONDecoder().decode(SQuAD.self, from: data).data.flatMap { $0.paragraphs.flatMap { $0.qas.map(\.question) } }
        case .en:
            struct CLINC: Decodable { let test: [[String]] }
            let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/clinc150/data_full.json"))
            return try JSONDecoder().decode(CLINC.self, from: data).test.compactMap(\.first)
        case .es:
            struct Line: Decodable { let text: String }
            return try String(contentsOfFile: directory + "/datetime/es.jsonl", encoding: .utf8).split(separator: "\n")
                .map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)).text }
        }
    }

    @Test(.enabled(if: directory != nil, "set ATENDE_EVAL_DIR to ../shared/eval"), arguments: Language.allCases)
    func theDetectorIsRarelyWrongAndAbstainsWhenUnsure(_ language: Language) throws {
        let texts = try Self.texts(language, in: try #require(Self.directory))
        let detector = LanguageDetector()
        var right = 0, abstained = 0, wrong = 0
        for text in texts {
            let detection = detector.detect(text, current: nil, fallback: language == .en ? .pt : .en)
            if detection.abstained { abstained += 1 } else if detection.language == language { right += 1 } else { wrong += 1 }
        }
        print("language \(language): \(texts.count) texts, right \(right), abstained \(abstained), wrong \(wrong)")
        #expect(texts.count > 50)
        #expect(Double(wrong) <= 0.02 * Double(texts.count))
    }
}
