import Assistant
import Foundation
import Testing

/// Decisions on real messages (../shared/eval, never copied here), as bench/assistant/conversations.py
/// measures them through `atende eval conversations`: FaQuAD dev questions against their 38
/// paragraphs, and rasa-ptbr's utterances (greetings, yes/no, chit-chat) that the knowledge base
/// cannot answer. Floors a little below the figures of 2026-12-05 (bench/assistant/ANSWERS.md), so
/// a regression fails. Runs only when ATENDE_EVAL_DIR names that folder.
@Suite struct DecisionEvaluationTests {
    static let directory = ProcessInfo.processInfo.environment["ATENDE_EVAL_DIR"]

    @Test(.enabled(if: directory != nil, "set ATENDE_EVAL_DIR to ../shared/eval"))
    func faquadQuestionsAreAnsweredRightAndChitChatIsNot() throws {
        let root = try #require(Self.directory)
        let squad = try JSONDecoder().decode(AnswerCalibrationDataTests.SQuAD.self,
                                             from: Data(contentsOf: URL(fileURLWithPath: root + "/faquad/dev.json")))
        var paragraphs: [(id: String, title: String, text: String)] = []
        var questions: [(paragraph: String, text: String)] = []
        for (a, article) in squad.data.enumerated() {
            for (p, paragraph) in article.paragraphs.enumerated() {
                paragraphs.append(("a\(a)p\(p)", article.title, paragraph.context))
                questions += paragraph.qas.map { ("a\(a)p\(p)", $0.question) }
            }
        }
        let assistant = try AnswerCalibrationDataTests.assistant(paragraphs)
        let now = Date(timeIntervalSince1970: 1_796_648_400)   // 2026-12-07 10:00 in São Paulo, open
        var right = 0, wrong = 0
        for q in questions {
            let decision = assistant.decide(Turn(texts: [q.text], now: now))
            guard decision.kind == .answer else { continue }
            if decision.sources.first?.sourceID == q.paragraph { right += 1 } else { wrong += 1 }
        }
        let utterances = AnswerCalibrationDataTests.rasaExamples(try String(contentsOfFile: root + "/rasa-ptbr/nlu.yml", encoding: .utf8))
        let answered = utterances.filter { assistant.decide(Turn(texts: [$0], now: now)).kind == .answer }
        let precision = Double(right) / Double(max(1, right + wrong)), automation = Double(right) / Double(questions.count)
        print("FaQuAD decisions: \(right) answered right, \(wrong) wrong of \(questions.count); rasa-ptbr answered \(answered.count) of \(utterances.count)")
        #expect(precision >= 0.9 && automation >= 0.5, "precision \(precision), automation \(automation)")
        #expect(answered.count <= 2, "\(answered)")
    }
}
