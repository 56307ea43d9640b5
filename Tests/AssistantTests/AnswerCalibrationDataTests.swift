import Assistant
import Foundation
import Testing

/// Writes the answer-confidence features `bench/assistant/fit_answer_calibration.py` fits
/// `AnswerCalibration` on, from ../shared/eval (never copied here). Runs only when both are named:
///
///     ATENDE_EVAL_DIR=/work/shared/eval ATENDE_ANSWER_FEATURES=/tmp/answer_features.tsv \
///         swift test --skip-build --filter AnswerCalibrationDataTests
///
/// Rows, one per question against a FaQuAD dev knowledge base (its 38 paragraphs as documents):
/// - `answerable`: a FaQuAD question with its own paragraph indexed; label 1 when the best
///   passage is that paragraph, else it is a wrong answer (label 0, kind `wrong`);
/// - `leftout`: the same question with its own paragraph left out of the index (label 0): the
///   knowledge base looks related but does not answer;
/// - `clinc`: CLINC150 out-of-scope queries (oos_val; English) (label 0);
/// - `chitchat`: rasa-ptbr chit-chat questions (Portuguese; "qual o seu time?") (label 0);
/// and, against an FAQ knowledge base made of CLINC150's 150 in-scope intents (one FAQ per intent:
/// its first training example as the question, its second as the answer), two validation
/// queries per intent: `faq-answerable` (label 1 when the best passage is the intent's FAQ, else
/// `faq-wrong`) and `faq-leftout` (the intent's FAQ removed; label 0). The FAQ rows give the
/// short-FAQ side of a business's knowledge base that FaQuAD's paragraphs do not have.
@Suite struct AnswerCalibrationDataTests {
    static let directory = ProcessInfo.processInfo.environment["ATENDE_EVAL_DIR"]
    static let output = ProcessInfo.processInfo.environment["ATENDE_ANSWER_FEATURES"]

    struct SQuAD: Decodable {
        struct Article: Decodable { let title: String; let paragraphs: [Paragraph] }
        struct Paragraph: Decodable { let context: String; let qas: [Question] }
        struct Question: Decodable { let question: String }
        let data: [Article]
    }

    struct CLINC: Decodable { let train: [[String]]; let val: [[String]]; let oos_val: [[String]] }

    struct Row { let label: Int; let kind: String; let group: String; let text: String; let features: AnswerFeatures }

    static func assistant(_ paragraphs: [(id: String, title: String, text: String)]) throws -> Assistant {
        let index = try KnowledgeIndex()
        for p in paragraphs { try index.addDocument(id: p.id, title: p.title, text: p.text, language: .pt) }
        return Assistant(retriever: index, profile: BusinessProfile(name: "FaQuAD", timeZone: TimeZone(identifier: "America/Sao_Paulo")!))
    }

    /// Examples of a Rasa 3 nlu.yml ("    - text" lines), entity markup "[x](y)" read as "x".
    static func rasaExamples(_ yaml: String) -> [String] {
        yaml.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix("    - "), trimmed.count > 2 else { return nil }
            var text = String(trimmed.dropFirst(2))
            while let open = text.firstIndex(of: "["), let close = text[open...].firstIndex(of: "]"),
                  let paren = text[close...].firstIndex(of: ")"), text.index(after: close) < text.endIndex,
                  text[text.index(after: close)] == "(" {
                text.replaceSubrange(open...paren, with: text[text.index(after: open)..<close])
            }
            return text
        }
    }

    @Test(.enabled(if: directory != nil && output != nil, "set ATENDE_EVAL_DIR and ATENDE_ANSWER_FEATURES"))
    func writeTheAnswerFeatures() throws {
        let root = try #require(Self.directory)
        let squad = try JSONDecoder().decode(SQuAD.self, from: Data(contentsOf: URL(fileURLWithPath: root + "/faquad/dev.json")))
        var paragraphs: [(id: String, title: String, text: String)] = []
        var questions: [(paragraph: String, text: String)] = []
        for (a, article) in squad.data.enumerated() {
            for (p, paragraph) in article.paragraphs.enumerated() {
                paragraphs.append(("a\(a)p\(p)", article.title, paragraph.context))
                questions += paragraph.qas.map { ("a\(a)p\(p)", $0.question) }
            }
        }
        let detector = LanguageDetector()
        func language(_ text: String) -> Language { detector.detect(text, current: nil, fallback: .pt).language }
        var rows: [Row] = []
        let full = try Self.assistant(paragraphs)
        for q in questions {
            guard let (features, passages) = full.answerFeatures(q.text, language: language(q.text)) else { continue }
            let right = passages[0].sourceID == q.paragraph
            rows.append(Row(label: right ? 1 : 0, kind: right ? "answerable" : "wrong", group: q.paragraph, text: q.text, features: features))
        }
        let faquad = try #require(full.retriever as? KnowledgeIndex)
        for left in paragraphs {
            faquad.removeSource(left.id)
            for q in questions where q.paragraph == left.id {
                guard let (features, _) = full.answerFeatures(q.text, language: language(q.text)) else { continue }
                rows.append(Row(label: 0, kind: "leftout", group: q.paragraph, text: q.text, features: features))
            }
            try faquad.addDocument(id: left.id, title: left.title, text: left.text, language: .pt)
        }
        let clinc = try JSONDecoder().decode(CLINC.self, from: Data(contentsOf: URL(fileURLWithPath: root + "/clinc150/data_full.json")))
        for (i, row) in clinc.oos_val.enumerated() {
            guard let text = row.first, let (features, _) = full.answerFeatures(text, language: language(text)) else { continue }
            rows.append(Row(label: 0, kind: "clinc", group: "clinc\(i % 5)", text: text, features: features))
        }
        var examples: [String: [String]] = [:]
        for row in clinc.train where row.count == 2 { examples[row[1], default: []].append(row[0]) }
        let faqs = try KnowledgeIndex()
        for (intent, texts) in examples.sorted(by: { $0.key < $1.key }) where texts.count >= 2 {
            try faqs.add([.faq(id: intent, question: texts[0], answer: texts[1], language: .en)])
        }
        let faqAssistant = Assistant(retriever: faqs, profile: full.profile)
        var asked: [String: Int] = [:]
        for row in clinc.val where row.count == 2 && examples[row[1]] != nil {
            let (text, intent) = (row[0], row[1])
            asked[intent, default: 0] += 1
            guard asked[intent, default: 0] <= 2 else { continue }
            if let (features, passages) = faqAssistant.answerFeatures(text, language: .en) {
                let right = passages[0].sourceID == intent
                rows.append(Row(label: right ? 1 : 0, kind: right ? "faq-answerable" : "faq-wrong", group: intent, text: text, features: features))
            }
            let unit = try #require(faqs.unit(intent))
            faqs.remove(intent)
            if let (features, _) = faqAssistant.answerFeatures(text, language: .en) {
                rows.append(Row(label: 0, kind: "faq-leftout", group: intent, text: text, features: features))
            }
            try faqs.add([unit])
        }
        let chitchat = Self.rasaExamples(try String(contentsOfFile: root + "/rasa-ptbr/nlu-chitchat.yml", encoding: .utf8))
        for (i, text) in chitchat.enumerated() {
            guard let (features, _) = full.answerFeatures(text, language: language(text)) else { continue }
            rows.append(Row(label: 0, kind: "chitchat", group: "chitchat\(i % 5)", text: text, features: features))
        }
        var lines = [(["label", "kind", "group"] + AnswerFeatures.names + ["text"]).joined(separator: "\t")]
        for row in rows {
            let text = row.text.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ")
            lines.append((["\(row.label)", row.kind, row.group] + row.features.vector.map { String(format: "%.6f", $0) } + [text])
                .joined(separator: "\t"))
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: try #require(Self.output), atomically: true, encoding: .utf8)
        print("answer features: \(rows.count) rows, \(rows.filter { $0.label == 1 }.count) answerable, by kind:",
              Dictionary(grouping: rows, by: \.kind).mapValues(\.count).sorted { $0.key < $1.key })
        #expect(rows.contains { $0.label == 1 } && rows.contains { $0.label == 0 })
    }
}
