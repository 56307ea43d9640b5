import Assistant
import Foundation
import Testing

@Suite struct EvidenceCheckTests {
    static let evidence = ["A limpeza de pele custa R$ 120,00 e leva cerca de 1 hora. Abrimos das 9h às 18h.",
                           "Fale conosco: (11) 91234-5678, contato@studiobela.com.br ou www.studiobela.com.br/agenda"]

    @Test(arguments: [
        "A limpeza custa 120 reais.", "Custa R$120.", "Custa R$ 120,00 e dura 1 hora.", "Funcionamos de 9:00 às 18:00.",
        "Atendemos das 09h00 às 18h.", "Ligue +55 11 91234-5678.", "Escreva para Contato@StudioBela.com.br.",
        "Agende em https://www.studiobela.com.br/agenda/", "Claro! Fica pronta em cerca de uma hora.",
    ])
    func aFactStatedInAnotherFormatIsSupported(_ reply: String) {
        #expect(EvidenceCheck.unsupportedFacts(in: reply, evidence: Self.evidence).isEmpty,
                "\(EvidenceCheck.unsupportedFacts(in: reply, evidence: Self.evidence))")
    }

    @Test(arguments: [
        ("A limpeza custa R$ 99.", ["99"]), ("Abrimos às 8h.", ["8h"]), ("Ligue (11) 99999-0000.", ["(11) 99999-0000"]),
        ("Veja studiobela.com/promo", ["studiobela.com/promo"]), ("Escreva para vendas@studiobela.com.br", ["vendas@studiobela.com.br"]),
        ("Promoção válida até 15/12.", ["15/12"]), ("Custa R$ 120,00, com 10% de desconto.", ["10"]),
    ])
    func anInventedFactIsReported(_ reply: String, _ invented: [String]) {
        #expect(EvidenceCheck.unsupportedFacts(in: reply, evidence: Self.evidence) == invented)
    }

    @Test func aBareHourInTheEvidenceSupportsItsClockForms() {
        #expect(EvidenceCheck.unsupportedFacts(in: "Abrimos às 9h e fechamos às 18:00.", evidence: ["abrimos das 9 às 18"]).isEmpty)
        #expect(EvidenceCheck.unsupportedFacts(in: "We open at 9am and close at 6pm.", evidence: ["Open 9:00–18:00"]).isEmpty)
        #expect(EvidenceCheck.unsupportedFacts(in: "We close at 7pm.", evidence: ["Open 9:00–18:00"]) == ["7pm"])
    }

    @Test func thousandsAndDecimalMarksAreReadBothWays() {
        #expect(EvidenceCheck.unsupportedFacts(in: "Custa R$ 1.500,00", evidence: ["O pacote sai por 1500 reais"]).isEmpty)
        #expect(EvidenceCheck.unsupportedFacts(in: "It costs $1,500.00", evidence: ["O pacote sai por R$ 1.500"]).isEmpty)
        #expect(EvidenceCheck.unsupportedFacts(in: "Custa R$ 15,00", evidence: ["O pacote sai por R$ 1.500"]) == ["15,00"])
    }
}

@Suite struct OfflineComposerTests {
    static func passage(_ title: String, _ text: String) -> Passage {
        Passage(id: "p", sourceID: "p", score: 1, title: title, text: text, lexicalScore: 1, denseScore: 0.5)
    }

    @Test func anFAQAnswerIsTheOwnersTextAfterTheQuestion() {
        let faq = Self.passage("Tem estacionamento?", "Tem estacionamento?: Sim, há vagas: R$ 10 por hora.")
        #expect(OfflineComposer.faqAnswer(faq) == "Sim, há vagas: R$ 10 por hora.")
        #expect(OfflineComposer().compose(question: "tem vaga?", from: faq, language: .pt, tone: .friendly) == "Sim, há vagas: R$ 10 por hora.")
    }

    @Test func aDocumentAnswerKeepsTheOneOrTwoSentencesThatCoverTheQuestion() {
        let doc = Self.passage("Salão > Preços", """
            Somos um salão familiar desde 1998. O corte masculino custa R$ 45,50. A barba custa R$ 30. \
            Aceitamos cartões. O corte infantil custa R$ 35 aos sábados.
            """)
        let one = OfflineComposer().compose(question: "quanto custa o corte infantil?", from: doc, language: .pt, tone: .friendly)
        #expect(one == "Sobre Preços: O corte infantil custa R$ 35 aos sábados.")
        let two = OfflineComposer().compose(question: "quanto custa a barba e o corte infantil?", from: doc, language: .pt, tone: .friendly)
        #expect(two == "Sobre Preços: A barba custa R$ 30. O corte infantil custa R$ 35 aos sábados.")
        let formal = OfflineComposer().compose(question: "quanto custa a barba?", from: doc, language: .pt, tone: .formal)
        #expect(formal == "Com relação a Preços: A barba custa R$ 30.")
    }

    @Test func aDocumentWithNothingOnTheQuestionComposesNothing() {
        let doc = Self.passage("Preços", "O corte custa R$ 45.")
        #expect(OfflineComposer().compose(question: "aceitam pix?", from: doc, language: .pt, tone: .friendly) == nil)
    }

    @Test func aLongSentenceIsCutAtAWordWithinTheLimit() {
        let long = String(repeating: "corte muito bonito e caprichado ", count: 30)
        let reply = OfflineComposer(maximumLength: 100).compose(question: "corte", from: Self.passage("", long), language: .pt, tone: .friendly)
        #expect((reply?.count ?? 999) <= 100)
        #expect(reply?.hasSuffix("…") == true)
    }
}

@Suite struct RephraserTests {
    let assistant: Assistant
    init() throws { assistant = try Salon.assistant() }
    let turn = Turn(texts: ["quanto custa a limpeza de pele?"], now: Salon.monday(10))

    @Test func aRephraseInventingAPriceIsRefusedAndTheOfflineReplyKept() async {
        let decision = await assistant.decide(turn, rephraser: FakeRephraser(reply: "A limpeza de pele sai por R$ 99 nesta semana!"))
        #expect(decision.kind == .answer && decision.composer == "offline")
        #expect(decision.reply == "A limpeza de pele custa R$ 120,00 e leva cerca de 1 hora.")
    }

    @Test func aFaithfulRephraseIsUsed() async {
        let decision = await assistant.decide(turn, rephraser: FakeRephraser(reply: "Custa R$ 120 e dura mais ou menos 1 hora 😊"))
        #expect(decision.composer == "llm")
        #expect(decision.reply == "Custa R$ 120 e dura mais ou menos 1 hora 😊")
        #expect(decision.sources.map(\.sourceID) == ["limpeza"])
    }

    @Test func aGreetingBeforeTheQuestionIsKeptOnTheRephrase() async {
        let greeted = Turn(texts: ["oi", "quanto custa a limpeza de pele?"], now: Salon.monday(10))
        let decision = await assistant.decide(greeted, rephraser: FakeRephraser(reply: "Custa R$ 120."))
        #expect(decision.reply == "Oi! Custa R$ 120.")
    }

    @Test(arguments: [nil, "HANDOFF", "   ", String(repeating: "limpeza ", count: 200)])
    func anErrorAHandOffOrAnEmptyOrOverlongRephraseKeepsTheOfflineReply(_ reply: String?) async {
        let decision = await assistant.decide(turn, rephraser: FakeRephraser(reply: reply))
        #expect(decision.composer == "offline")
        #expect(decision.reply == "A limpeza de pele custa R$ 120,00 e leva cerca de 1 hora.")
    }

    @Test func aRephraseInAnotherLanguageKeepsTheOfflineReply() async {
        let decision = await assistant.decide(turn, rephraser: FakeRephraser(reply: "The skin cleansing costs R$ 120,00 and takes about 1 hour."))
        #expect(decision.composer == "offline")
    }

    @Test func onlyAnswersAreRephrased() async {
        let decision = await assistant.decide(Turn(texts: ["oi"], now: Salon.monday(10)), rephraser: FakeRephraser(reply: "Olá!!"))
        #expect(decision.kind == .smalltalk && decision.composer == "template")
        let none = await assistant.decide(turn, rephraser: nil)
        #expect(none.composer == "offline")
    }
}

@Suite struct AnswerCalibrationTests {
    @Test func answerableQuestionsScoreHigherThanUnrelatedOnes() throws {
        let assistant = try Salon.assistant()
        let answerable = ["quanto custa a limpeza de pele?", "qual o horário de funcionamento?", "quais formas de pagamento vocês aceitam?",
                          "quanto custa a hidratação capilar?", "¿cuánto cuesta el corte de pelo?", "vocês têm estacionamento?"]
        let unrelated = ["vocês vendem ração para cachorro?", "qual o seu time de futebol?", "what is the capital of france?",
                         "me conta uma piada", "quanto está o dólar hoje?", "vocês consertam celular?"]
        func mean(_ questions: [String]) -> Double {
            questions.map { q -> Double in
                let language = LanguageDetector().detect(q, current: nil, fallback: .pt).language
                guard let (features, _) = assistant.answerFeatures(q, language: language) else { return 0 }
                return assistant.calibration.confidence(features)
            }.reduce(0, +) / Double(questions.count)
        }
        let (high, low) = (mean(answerable), mean(unrelated))
        #expect(high > 0.7 && low < 0.3, "answerable \(high), unrelated \(low)")
    }

    @Test func theConfidenceIsAProbability() {
        let extreme = AnswerCalibration(coefficients: Array(repeating: 100, count: AnswerFeatures.names.count), intercept: 0)
        let prediction = IntentClassifier().classify("quanto custa?")
        let features = AnswerFeatures(passages: [], coverage: 1, queryTerms: 3, intent: prediction)
        #expect((0...1).contains(extreme.confidence(features)))
        #expect(AnswerCalibration.fitted.coefficients.count == AnswerFeatures.names.count)
    }
}

@Suite struct InsightsTests {
    let assistant: Assistant
    init() throws { assistant = try Salon.assistant() }

    @Test func aPriceQuestionIsSummarisedByItsIntentAndKeyWords() {
        let insights = assistant.understand("quanto custa a limpeza de pele?", conversationLanguage: nil, now: Salon.monday(10))
        #expect(insights.language == .pt && insights.intent == .pricing)
        #expect(insights.summary == "Pergunta sobre preço: limpeza de pele")
    }

    @Test func entitiesAreResolvedInTheBusinessTimeZone() {
        let insights = assistant.understand("Meu nome é Ana, posso ir amanhã às 14h? Meu e-mail é Ana@Exemplo.com",
                                            conversationLanguage: nil, now: Salon.monday(10))
        #expect(insights.entities.contains(InsightEntity(kind: "date", text: "amanhã às 14h", value: "2026-12-08T14:00:00-03:00")),
                "\(insights.entities)")
        #expect(insights.entities.contains { $0.kind == "email" && $0.value == "ana@exemplo.com" })
        #expect(insights.entities.contains { $0.kind == "name" && $0.value == "Ana" })
    }

    @Test func moneyAndPhonesAreNormalised() {
        let insights = assistant.understand("paguei R$ 1.234,50, me liga no (11) 91234-5678", conversationLanguage: nil, now: Salon.monday(10))
        #expect(insights.entities.contains { $0.kind == "money" && $0.value == "BRL 1234.5" }, "\(insights.entities)")
        #expect(insights.entities.contains { $0.kind == "phone" && $0.value == "+5511912345678" })
    }

    @Test func aShortMessageKeepsTheConversationLanguageElseTheBusinessOne() {
        #expect(assistant.understand("ok", conversationLanguage: .en, now: Salon.monday(10)).language == .en)
        #expect(assistant.understand("ok", conversationLanguage: nil, now: Salon.monday(10)).language == .pt)
    }

    @Test func anAngryMessageIsNegativeAndHighPriority() {
        let insights = assistant.understand("péssimo, um absurdo, ninguém me atende!!", conversationLanguage: nil, now: Salon.monday(10))
        #expect(insights.polarity == "negative" && insights.sentiment < -0.5 && insights.priority == "high", "\(insights)")
    }
}
