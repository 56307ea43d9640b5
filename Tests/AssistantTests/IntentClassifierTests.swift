import Assistant
import Testing

@Suite struct IntentClassifierTests {
    static let classifier = IntentClassifier()

    @Test(arguments: [
        ("oi", BusinessIntent.greeting), ("bom dia", .greeting), ("quanto custa a limpeza?", .pricing),
        ("vcs abrem sábado?", .hours), ("onde fica?", .location), ("quero marcar um horário", .booking),
        ("preciso remarcar", .rescheduleCancel), ("quero falar com um atendente", .humanRequest),
        ("péssimo atendimento, estou muito irritado", .complaint), ("obrigado!", .thanksBye),
        ("¿cuánto cuesta?", .pricing), ("what time do you open?", .hours),
        ("aceita pix?", .payment), ("cadê meu pedido?", .orderStatus),
    ])
    func aShortChatMessageGetsItsBusinessIntent(_ text: String, _ expected: BusinessIntent) {
        let prediction = Self.classifier.classify(text)
        #expect(prediction.guess == expected, "\(text): \(prediction.ranking.prefix(3))")
        #expect((0...1).contains(prediction.confidence))
        #expect(prediction.intent == expected || prediction.intent == .other)
    }

    @Test func theConfidenceGrowsWithSimilarity() {
        var features = FewShotClassifier.Features(top: 0.2, margin: 0.02, charNearest: 0.3, wordNearest: 0.2,
                                                  coverage: 0.5, agreement: 0.5, logLength: 1.5)
        var previous = -1.0
        for step in 0..<8 {
            features.top = 0.2 + Double(step) * 0.1
            features.charNearest = 0.3 + Double(step) * 0.1
            features.wordNearest = 0.2 + Double(step) * 0.1
            let confidence = IntentCalibration.fitted.confidence(features)
            #expect((0...1).contains(confidence))
            #expect(confidence >= previous)
            previous = confidence
        }
    }

    @Test func businessExamplesExtendTheSeeds() {
        let text = "vocês fazem tatuagem de henna?"
        let extended = IntentClassifier(extraExamples: [.pricing: ["fazem tatuagem de henna?", "quanto é a henna?"]])
        #expect(extended.classify(text).guess == .pricing)
    }

    @Test(arguments: [
        ("não gostei", Sentiment.Polarity.negative), ("não tenho reclamação", .neutral),
        ("péssimo atendimento, estou muito irritado", .negative), ("adorei, muito obrigado!", .positive),
        ("quero marcar um horário", .neutral), ("no me gustó nada", .negative), ("not bad at all", .positive),
    ])
    func sentimentReadsNegation(_ text: String, _ expected: Sentiment.Polarity) {
        let language: Language = text.contains("gust") ? .es : text.contains("bad") ? .en : .pt
        let sentiment = Sentiment(of: text, language: language)
        if expected == .neutral {
            #expect(sentiment.polarity != .negative, "\(text): \(sentiment.score)")
        } else {
            #expect(sentiment.polarity == expected, "\(text): \(sentiment.score)")
        }
    }

    @Test func complaintsThatAreAngryOrUrgentComeFirst() {
        #expect(Self.classifier.classify("péssimo atendimento, estou muito irritado!!").priority == .high)
        #expect(Self.classifier.classify("é urgente, preciso de ajuda").priority == .high)
        #expect(Self.classifier.classify("quanto custa a limpeza?").priority == .normal)
    }
}
