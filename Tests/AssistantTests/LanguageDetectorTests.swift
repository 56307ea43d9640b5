import Assistant
import Testing

@Suite struct LanguageDetectorTests {
    let detector = LanguageDetector()

    @Test(arguments: [
        ("oi", Language.pt), ("bom dia", .pt), ("quanto custa?", .pt), ("vcs abrem sabado?", .pt),
        ("obrigado!", .pt), ("tem horario hj?", .pt), ("quero remarcar", .pt),
        ("hola", .es), ("gracias!", .es), ("buenas tardes", .es), ("¿cuánto cuesta?", .es), ("quiero una cita mañana", .es),
        ("thanks", .en), ("hi", .en), ("what time do you close", .en),
    ])
    func shortChatMessagesAreRecognised(_ text: String, _ language: Language) {
        let detection = detector.detect(text, current: nil, fallback: .en == language ? .pt : .en)
        #expect(detection.language == language)
        #expect(!detection.abstained)
    }

    @Test(arguments: [
        ("A coordenação do curso é responsável pela avaliação dos pedidos de matrícula dos estudantes.", Language.pt),
        ("El horario de atención es de lunes a viernes, de nueve de la mañana a seis de la tarde.", .es),
        ("Our opening hours are nine to six on weekdays, and we are closed on public holidays.", .en),
    ])
    func longerMessagesAreRecognised(_ text: String, _ language: Language) {
        let detection = detector.detect(text, current: .pt, fallback: .pt)
        #expect(detection.language == language && !detection.abstained)
    }

    @Test(arguments: ["ok", "👍", "", "123", "no"])
    func anUndecidedMessageKeepsTheConversationsLanguage(_ text: String) {
        let detection = detector.detect(text, current: .es, fallback: .pt)
        #expect(detection.abstained)
        #expect(detection.language == .es)
    }

    @Test func aNewConversationFallsBackToTheBusinessLanguage() {
        let detection = detector.detect("ok", current: nil, fallback: .pt)
        #expect(detection.abstained && detection.language == .pt)
    }
}
