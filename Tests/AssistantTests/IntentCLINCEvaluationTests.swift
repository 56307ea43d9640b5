import Assistant
import Foundation
import Testing

/// The few-shot classifier and its calibrated confidence on CLINC150 (../shared/eval, never copied
/// here): 10 training examples per intent (the first ten, fixed), scored on the test split with
/// its out-of-scope queries. Runs only when ATENDE_EVAL_DIR names that folder:
///
///     ATENDE_EVAL_DIR=/work/shared/eval swift test --skip-build --filter IntentCLINCEvaluationTests
///
/// ATENDE_INTENT_FEATURES=<file> also writes the features of the validation split (plus
/// oos_train and oos_val) in the table `bench/assistant/fit_intent_calibration.py` reads; the
/// shipped calibration is fitted from `atende eval intents --features` instead (see that script).
@Suite struct IntentCLINCEvaluationTests {
    static let directory = ProcessInfo.processInfo.environment["ATENDE_EVAL_DIR"]

    struct CLINC: Decodable {
        let train: [[String]], val: [[String]], test: [[String]]
        let oos_train: [[String]], oos_val: [[String]], oos_test: [[String]]
    }

    static func pairs(_ rows: [[String]]) -> [(text: String, label: String)] {
        rows.compactMap { row in row.count == 2 ? (row[0], row[1]) : nil }
    }

    static func tenShot(_ train: [[String]]) -> [FewShotClassifier.Example] {
        var seen: [String: Int] = [:]
        return pairs(train).compactMap { pair in
            seen[pair.label, default: 0] += 1
            return seen[pair.label, default: 0] <= 10 ? .init(pair.text, label: pair.label, language: .en) : nil
        }
    }

    static func weights() -> FewShotClassifier.Weights {
        let values = (ProcessInfo.processInfo.environment["ATENDE_INTENT_WEIGHTS"] ?? "").split(separator: ",").compactMap { Float($0) }
        guard values.count == 4 else { return .init() }
        return .init(charCentroid: values[0], charNearest: values[1], wordCentroid: values[2], wordNearest: values[3])
    }

    @Test(.enabled(if: directory != nil, "set ATENDE_EVAL_DIR to ../shared/eval"))
    func tenShotCLINCIsPreciseAtTheThreshold() throws {
        let path = try #require(Self.directory) + "/clinc150/data_full.json"
        let data = try JSONDecoder().decode(CLINC.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        let classifier = FewShotClassifier(examples: Self.tenShot(data.train), weights: Self.weights())

        if let out = ProcessInfo.processInfo.environment["ATENDE_INTENT_FEATURES"] {
            let queries = Self.pairs(data.val).map { ($0.text, Optional($0.label)) }
                + (data.oos_val + data.oos_train).compactMap(\.first).map { ($0, String?.none) }
            var lines = [(["correct", "inScope"] + FewShotClassifier.Features.names).joined(separator: "\t")]
            for (text, truth) in queries {
                let outcome = classifier.classify(text, language: .en)
                let correct = outcome.best == truth ? 1 : 0
                lines.append(([String(correct), truth == nil ? "0" : "1"] + outcome.features.vector.map { String($0) }).joined(separator: "\t"))
            }
            try lines.joined(separator: "\n").write(toFile: out, atomically: true, encoding: .utf8)
        }

        let report = IntentEvaluation.evaluate(
            classifier, language: .en, inScope: Self.pairs(data.test), outOfScope: data.oos_test.compactMap(\.first))
        print(String(format: "CLINC150 10-shot: accuracy %.3f; at confidence ≥ 0.7: precision %.3f, automation %.3f, out-of-scope answered %.3f; ECE %.3f (%d in-scope, %d out-of-scope)",
                     report.accuracy, report.precision, report.automation, report.outOfScopeAnswered,
                     report.expectedCalibrationError, report.inScopeCount, report.outOfScopeCount))
        // Floors at what we measured (2026-12-05) with the refitted calibration: accuracy 0.700, precision
        // 0.887 at 43.1 % automation, out-of-scope answered 3.4 %, ECE 0.045. The first ten examples of each
        // intent are a harder sample than the seeded ones `atende eval intents` is scored on (accuracy
        // 0.773–0.779 there, where the targets are met; bench/assistant/README.md).
        #expect(report.accuracy >= 0.69)
        #expect(report.precision >= 0.87)
        #expect(report.outOfScopeAnswered <= 0.05)
    }
}
