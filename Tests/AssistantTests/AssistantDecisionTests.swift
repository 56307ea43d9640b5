import Assistant
import Foundation
import Testing

@Suite struct AssistantDecisionTests {
    let assistant: Assistant
    init() throws { assistant = try Salon.assistant() }

    func decide(_ texts: String..., now: Date = Salon.monday(10), lowConfidenceTurns: Int = 0, language: Language? = nil) -> Decision {
        assistant.decide(Turn(texts: texts, conversationLanguage: language, lowConfidenceTurns: lowConfidenceTurns, now: now))
    }

    @Test(arguments: [("oi", "Oi! Aqui é Studio Bela"), ("bom dia!", "Oi! Aqui é Studio Bela"), ("hola, buenas tardes", "¡Hola! Aquí Studio Bela"),
                      ("hello there", "Hi! This is Studio Bela"), ("Good morning", "Hi! This is Studio Bela")])
    func aGreetingAloneIsGreetedBackWithTheBusinessName(_ text: String, _ expected: String) {
        let decision = decide(text)
        #expect(decision.kind == .smalltalk)
        #expect(decision.reply?.hasPrefix(expected) == true, "\(decision.reply ?? "nil")")
        #expect(decision.sources.isEmpty && decision.handoffReason == nil)
    }

    @Test(arguments: ["obrigada!", "muito obrigado pela ajuda", "valeu", "gracias", "thanks a lot!", "obg, tchau"])
    func thanksGetAShortReplyNeverAKnowledgeAnswerOrAHandOff(_ text: String) {
        let decision = decide(text)
        #expect(decision.kind == .smalltalk, "\(text) → \(decision.kind)")
        #expect(decision.sources.isEmpty && decision.handoffReason == nil)
    }

    @Test(arguments: ["ok", "👍", "", "  ", "ok, blz", "Entendi"])
    func anAcknowledgementOrAnEmptyMessageWaits(_ text: String) {
        let decision = decide(text)
        #expect(decision.kind == .wait, "\(text) → \(decision.kind)")
        #expect(decision.reply == nil)
    }

    @Test func aBurstOfThreeMessagesGetsOneAnswerWithAGreeting() {
        let decision = decide("oi", "tudo bem?", "quanto custa a limpeza de pele?")
        #expect(decision.kind == .answer)
        #expect(decision.reply == "Oi! A limpeza de pele custa R$ 120,00 e leva cerca de 1 hora.")
        #expect(decision.sources.map(\.sourceID) == ["limpeza"])
        #expect(decision.confidence >= 0.7 && decision.composer == "offline")
    }

    @Test(arguments: [("qual o horário de funcionamento?", "horario"), ("quais formas de pagamento vocês aceitam?", "pagamento"),
                      ("vocês têm estacionamento?", "estacionamento"), ("aceitam cartão?", "pagamento"), ("aceita cartoes de credito?", "pagamento")])
    func anFAQQuestionIsAnsweredWithTheOwnersText(_ text: String, _ source: String) {
        let decision = decide(text)
        #expect(decision.kind == .answer, "\(text) → \(decision.kind) \(decision.confidence)")
        #expect(decision.sources.first?.sourceID == source)
        #expect(decision.reply == decision.sources.first.flatMap(OfflineComposer.faqAnswer))
    }

    @Test func aDocumentAnswerCopiesTheSentenceWithItsPrice() {
        let decision = decide("quanto custa a hidratação capilar?")
        #expect(decision.kind == .answer, "\(decision.kind) \(decision.confidence)")
        #expect(decision.reply == "Sobre Cabelo: A hidratação capilar custa R$ 70 e dura 40 minutos.", "\(decision.reply ?? "")")
        #expect(decision.sources.first?.sourceID == "precos")
    }

    @Test func spanishAndEnglishQuestionsAreAnsweredInTheirLanguage() {
        let spanish = decide("hola! cuánto cuesta el corte de pelo?")
        #expect(spanish.kind == .answer && spanish.insights.language == .es, "\(spanish.kind) \(spanish.confidence)")
        #expect(spanish.reply == "¡Hola! El corte de pelo cuesta 25 dólares.")
        let english = decide("is there parking? where can I park my car")
        #expect(english.kind == .answer && english.insights.language == .en, "\(english.kind) \(english.confidence)")
        #expect(english.sources.first?.sourceID == "parking-en")
    }

    @Test(arguments: ["quero falar com um atendente", "oi, posso falar com uma pessoa de verdade?",
                      "quiero hablar con una persona", "can I talk to a person please"])
    func askingForAPersonHandsOff(_ text: String) {
        let decision = decide(text)
        #expect(decision.kind == .handoff && decision.handoffReason == .humanRequested, "\(text) → \(decision.kind)")
        #expect(decision.insights.intent == .humanRequest)
    }

    @Test func aStronglyNegativeComplaintHandsOffWithAnApology() {
        let decision = decide("péssimo atendimento, fiquei esperando uma hora e ninguém me atendeu, um absurdo!")
        #expect(decision.kind == .handoff && decision.handoffReason == .complaint, "\(decision.kind) \(decision.insights.sentiment)")
        #expect(decision.reply?.hasPrefix("Sentimos muito") == true)
        #expect(decision.insights.priority == "high")
    }

    @Test func anUnrelatedQuestionHandsOffWithTheHoldingMessage() {
        let decision = decide("vocês vendem ração para cachorro?")
        #expect(decision.kind == .handoff, "\(decision.kind) \(decision.confidence)")
        #expect(decision.handoffReason == .lowConfidence || decision.handoffReason == .noAnswer)
        #expect(decision.confidence < 0.7)
        #expect(decision.reply == "Recebemos sua mensagem e um atendente vai responder em breve. Nosso horário: seg a sex 9h–18h, sáb 9h–13h.")
        #expect(decision.sources.isEmpty)
    }

    @Test func aSecondLowConfidenceTurnInARowHandsOffForThatReason() {
        let decision = decide("vocês vendem ração para cachorro?", lowConfidenceTurns: 1)
        #expect(decision.kind == .handoff && decision.handoffReason == .repeatedLowConfidence)
    }

    @Test func twoCloseCandidatesFromDifferentSourcesGetOneClarifyingQuestion() {
        let decision = decide("quanto custa a manicure?")
        #expect(decision.kind == .clarify, "\(decision.kind) \(decision.confidence)")
        #expect(Set(decision.sources.map(\.sourceID)) == ["manicure-simples", "manicure-gel"])
        #expect(decision.reply?.contains("Quanto custa a manicure simples") == true, "\(decision.reply ?? "")")
        #expect(decision.reply?.contains("Quanto custa a manicure em gel") == true)
        #expect(decide("quanto custa a manicure?", lowConfidenceTurns: 1).handoffReason == .repeatedLowConfidence)
    }

    @Test func anEmptyKnowledgeBaseHandsOffWithNoAnswer() throws {
        let empty = Assistant(retriever: try KnowledgeIndex(), profile: BusinessProfile(name: "Nova", timeZone: Salon.saoPaulo))
        let decision = empty.decide(Turn(texts: ["quanto custa a limpeza de pele?"], now: Salon.monday(10)))
        #expect(decision.kind == .handoff && decision.handoffReason == .noAnswer)
        #expect(decision.reply?.hasPrefix("Recebemos sua mensagem e um atendente vai responder em breve.") == true)
        #expect(decision.suggestedReply == nil && decision.composer == "template")
    }

    @Test func outsideBusinessHoursTheHoldingMessageSaysWhenPeopleAreBack() {
        let saturdayNight = Salon.monday(22).addingTimeInterval(-2 * 86_400)
        #expect(assistant.holdingMessage(reason: .humanRequested, language: .pt, now: saturdayNight)
                == "Claro! Vou chamar alguém da equipe para falar com você. Nosso horário: seg a sex 9h–18h, sáb 9h–13h. "
                   + "Agora estamos fechados; voltamos na segunda às 9h.")
        #expect(assistant.holdingMessage(reason: .noAnswer, language: .en, now: Salon.monday(7))
                .hasSuffix("We're closed right now; we're back today at 9:00."))
        #expect(assistant.holdingMessage(reason: .complaint, language: .es, now: Salon.monday(19))
                .hasSuffix("Ahora estamos cerrados; volvemos mañana a las 9:00."))
    }

    @Test func outsideBusinessHoursAKnownAnswerIsStillSent() {
        let decision = decide("quanto custa a limpeza de pele?", now: Salon.monday(23))
        #expect(decision.kind == .answer)
    }

    @Test func aLowConfidenceHandOffCarriesTheBestOfflineAnswerForStaff() throws {
        let strict = Assistant(retriever: try Salon.index(),
                               profile: BusinessProfile(name: "Studio Bela", timeZone: Salon.saoPaulo, answerThreshold: 0.999))
        let decision = strict.decide(Turn(texts: ["quanto custa a limpeza de pele?"], now: Salon.monday(10)))
        #expect(decision.kind == .handoff && decision.handoffReason == .lowConfidence)
        #expect(decision.suggestedReply == "A limpeza de pele custa R$ 120,00 e leva cerca de 1 hora.")
        #expect(decision.suggestionSources.map(\.sourceID) == ["limpeza"])
    }

    @Test func theFormalToneChangesTheTemplatesNotTheFacts() throws {
        let formal = try Salon.assistant(tone: .formal)
        let greeting = formal.decide(Turn(texts: ["boa tarde"], now: Salon.monday(15)))
        #expect(greeting.reply == "Olá! Você está falando com Studio Bela. Em que podemos ajudar?")
        let answer = formal.decide(Turn(texts: ["quanto custa a limpeza de pele?"], now: Salon.monday(15)))
        #expect(answer.reply == "A limpeza de pele custa R$ 120,00 e leva cerca de 1 hora.")
    }

    @Test func theConversationLanguageIsKeptWhenAShortMessageDoesNotSay() {
        let decision = decide("ok?", language: .es)
        #expect(decision.insights.language == .es)
    }

    @Test func aHandOffSpeaksTheCustomersLanguageAndSaysWhenPeopleAreBack() {
        let decision = decide("hola, quiero hablar con una persona", now: Salon.monday(20))
        #expect(decision.handoffReason == .humanRequested && decision.insights.language == .es)
        #expect(decision.reply == "¡Claro! Voy a llamar a alguien del equipo para que te atienda. "
                + "Nuestro horario: lun a vie 9:00–18:00, sáb 9:00–13:00. Ahora estamos cerrados; volvemos mañana a las 9:00.")
    }

    @Test(arguments: ["sim", "não", "isso mesmo!", "ok obrigado"])
    func aBareYesOrNoWaitsAndThanksAreThanked(_ text: String) {
        let decision = decide(text)
        #expect(decision.kind == (text.contains("obrigado") ? .smalltalk : .wait), "\(text) → \(decision.kind)")
    }

    @Test func aGreetingAndAQuestionInOneMessageGetTheAnswerWithAGreeting() {
        let decision = decide("Bom diaaa! quanto custa a limpeza de pele?")
        #expect(decision.kind == .answer)
        #expect(decision.reply == "Oi! A limpeza de pele custa R$ 120,00 e leva cerca de 1 hora.")
        #expect(decision.insights.summary == "Pergunta sobre preço: limpeza de pele", "\(decision.insights.summary)")
    }

    @Test func aQuestionAfterThanksIsStillAnswered() {
        let decision = decide("obrigada!", "e quanto custa a hidratação capilar?")
        #expect(decision.kind == .answer && decision.sources.first?.sourceID == "precos", "\(decision.kind)")
    }
}
