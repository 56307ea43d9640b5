import Assistant
import Testing

@Suite struct NormaliserTests {
    let normaliser = Normaliser()

    @Test func compatibilityFormsAndCaseAreNormalised() {
        #expect(normaliser.clean("ＯＩ Ｔｕｄｏ") == "oi tudo")   // full-width letters (NFKC)
        #expect(normaliser.clean("ﬁm") == "fim")                 // ligature
        #expect(normaliser.clean("Olá\u{200B}!") == "olá!")       // zero-width space dropped
    }

    @Test(arguments: [("siiiim", "sim"), ("obrigadooo", "obrigado"), ("carrrro", "carro"), ("boa", "boa"), ("carro", "carro")])
    func lettersRepeatedThreeOrMoreTimesAreSqueezed(_ input: String, _ expected: String) {
        #expect(normaliser.clean(input) == expected)
    }

    @Test func portugueseChatAbbreviationsAreExpanded() {
        #expect(normaliser.tokens("vc tb vem hj?", language: .pt) == ["você", "também", "vem", "hoje"])
        #expect(normaliser.tokens("oq vcs fazem amanha", language: .pt) == ["o", "que", "vocês", "fazem", "amanhã"])
        #expect(normaliser.tokens("qto custa, obg", language: .pt) == ["quanto", "custa", "obrigado"])
    }

    @Test func spanishAndEnglishAbbreviationsAreExpanded() {
        #expect(normaliser.tokens("xq no abren mñn?", language: .es) == ["porque", "no", "abren", "mañana"])
        #expect(normaliser.tokens("thx, see u tmrw", language: .en) == ["thanks", "see", "you", "tomorrow"])
    }

    @Test func abbreviationsOfAnotherLanguageAreLeftAlone() {
        #expect(normaliser.tokens("vc", language: .en) == ["vc"])
    }

    @Test func numbersPricesAndTimesStayWhole() {
        #expect(normaliser.tokens("R$ 1.234,50 às 14:30", language: .pt) == ["r$", "1.234,50", "às", "14:30"])
        #expect(normaliser.tokens("14h30", language: .pt) == ["14h30"])
    }

    @Test func emojiAreKeptAsTokensOrDroppedByPolicy() {
        #expect(normaliser.tokens("ok 👍🏽 valeu ❤️", language: .pt) == ["ok", "👍🏽", "valeu", "❤"])
        #expect(Normaliser(emoji: .drop).tokens("ok 👍🏽 valeu ❤️", language: .pt) == ["ok", "valeu"])
    }

    @Test func foldingRemovesCaseAndAccents() {
        #expect(Normaliser.fold("Ação É Mañana") == "acao e manana")
    }

    @Test func stopWordsKeepNegationsAndQuestionWords() {
        for word in ["nao", "nunca", "quando", "onde", "quanto", "qual"] { #expect(!StopWords.contains(word, language: .pt)) }
        for word in ["no", "nunca", "cuando", "donde"] { #expect(!StopWords.contains(word, language: .es)) }
        for word in ["not", "no", "never", "what", "when", "how"] { #expect(!StopWords.contains(word, language: .en)) }
        #expect(StopWords.contains("de", language: .pt) && StopWords.contains("the", language: .en))
    }

    @Test func theAnalyserMakesAccentlessChatMeetTheWrittenForm() {
        let analyser = Analyser()
        #expect(analyser.terms("Qual o horário de funcionamento?", language: .pt)
            == analyser.terms("qual o horario de funcionamento", language: .pt))
        #expect(analyser.terms("agendamentos", language: .pt) == analyser.terms("agendar", language: .pt))
    }

    @Test func portuguesePluralsInOesAndAesMeetTheirSingularWithOrWithoutAccents() {
        let analyser = Analyser()
        let card = analyser.terms("cartão", language: .pt)
        for form in ["cartões", "cartoes", "cartao", "CARTÕES"] { #expect(analyser.terms(form, language: .pt) == card, "\(form)") }
        #expect(analyser.terms("pães", language: .pt) == analyser.terms("pão", language: .pt))
        #expect(analyser.terms("botões", language: .pt) == analyser.terms("botao", language: .pt))
        // "maes" is "mães" (mother), not a plural of an -ão word.
        #expect(analyser.terms("maes", language: .pt) != analyser.terms("mão", language: .pt))
    }

    @Test func emptyAndSymbolOnlyTextGiveNoTokens() {
        #expect(normaliser.tokens("", language: .pt).isEmpty)
        #expect(normaliser.tokens("?!... ---", language: .pt).isEmpty)
    }
}
