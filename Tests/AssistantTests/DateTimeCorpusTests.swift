import Assistant
import Foundation
import Testing

/// Measures the date parser on Duckling's corpora converted in ../shared/eval/datetime. Not part
/// of CI: it runs only when ATENDE_DATETIME_EVAL names that folder (or one of its .jsonl files):
///
///     ATENDE_DATETIME_EVAL=/work/shared/eval/datetime swift test --skip-build --filter DateTimeCorpusTests
@Suite struct DateTimeCorpusTests {
    static let location = ProcessInfo.processInfo.environment["ATENDE_DATETIME_EVAL"]

    static let targets: [Language: Double] = [.pt: 0.90, .es: 0.85, .en: 0.85]

    static func files() -> [(Language, URL)] {
        guard let location else { return [] }
        let url = URL(fileURLWithPath: location)
        if url.pathExtension == "jsonl" {
            return Language(tag: url.deletingPathExtension().lastPathComponent).map { [($0, url)] } ?? []
        }
        return Language.allCases.map { ($0, url.appendingPathComponent("\($0.rawValue).jsonl")) }
    }

    @Test(.enabled(if: location != nil, "set ATENDE_DATETIME_EVAL to ../shared/eval/datetime"))
    func theSchedulingPartOfTheCorpusIsReadExactly() throws {
        for (language, file) in Self.files() {
            let report = try DateTimeEvaluation.run(file: file, language: language)
            print("datetime \(language.rawValue): \(report.summary)")
            let whole = try DateTimeEvaluation.run(file: file, language: language, wholeCorpus: true).overall
            print(String(format: "datetime %@ whole corpus, nothing excluded: %d/%d = %.1f %%",
                         language.rawValue, whole.exact, whole.total, 100 * whole.rate))
            if ProcessInfo.processInfo.environment["ATENDE_DATETIME_MISSES"] != nil {
                for miss in report.misses { print("  miss \(language.rawValue): \(miss)") }
            }
            #expect(report.overall.rate >= Self.targets[language] ?? 1, "\(language.rawValue) below target")
        }
    }
}
