import Assistant
import Testing

@Suite struct StemmerTests {
    static func pairs(_ text: String) -> [(word: String, stem: String)] {
        text.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ")
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        }
    }

    @Test(arguments: [(Language.pt, ptStemPairs), (.es, esStemPairs), (.en, enStemPairs)])
    func everyWordStemsAsTheReferenceSnowballDoes(_ language: Language, _ table: String) {
        let stemmer = Stemmer(language)
        let pairs = Self.pairs(table)
        #expect(pairs.count >= 300)
        let wrong = pairs.filter { stemmer.stem($0.word) != $0.stem }
            .map { "\($0.word) → \(stemmer.stem($0.word)) (want \($0.stem))" }
        #expect(wrong.isEmpty, "\(wrong.count) wrong: \(wrong.prefix(30).joined(separator: ", "))")
    }

    @Test func relatedPortugueseWordsShareAStem() {
        let pt = Stemmer(.pt)
        #expect(pt.stem("agendamento") == pt.stem("agendar"))
        #expect(pt.stem("cancelamentos") == "cancel")
    }

    @Test func veryShortAndEmptyWordsSurvive() {
        for language in Language.allCases {
            let stemmer = Stemmer(language)
            #expect(stemmer.stem("") == "")
            #expect(stemmer.stem("a") == "a")
            #expect(!stemmer.stem("ão").isEmpty)
        }
    }
}
