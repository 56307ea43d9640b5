import Assistant
import Foundation

/// A small beauty salon in São Paulo, with knowledge in Portuguese, Spanish and English.
enum Salon {
    static let saoPaulo = TimeZone(identifier: "America/Sao_Paulo")!

    /// Monday 2026-12-07 at `hour`:`minute` in São Paulo (open 9–18).
    static func monday(_ hour: Int, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = saoPaulo
        return calendar.date(from: DateComponents(year: 2026, month: 12, day: 7, hour: hour, minute: minute))!
    }

    static func index() throws -> KnowledgeIndex {
        let index = try KnowledgeIndex()
        try index.add([
            .faq(id: "limpeza", question: "Quanto custa a limpeza de pele?",
                 answer: "A limpeza de pele custa R$ 120,00 e leva cerca de 1 hora.", language: .pt),
            .faq(id: "horario", question: "Qual o horário de funcionamento?",
                 answer: "Abrimos de segunda a sexta das 9h às 18h e aos sábados das 9h às 13h.", language: .pt),
            .faq(id: "pagamento", question: "Quais formas de pagamento vocês aceitam?",
                 answer: "Aceitamos pix, dinheiro e cartões de crédito e débito.", language: .pt),
            .faq(id: "estacionamento", question: "Tem estacionamento?",
                 answer: "Sim, há vagas gratuitas na frente do salão.", language: .pt),
            .faq(id: "manicure-simples", question: "Quanto custa a manicure simples?",
                 answer: "A manicure simples custa R$ 35.", language: .pt),
            .faq(id: "manicure-gel", question: "Quanto custa a manicure em gel?",
                 answer: "A manicure em gel custa R$ 90.", language: .pt),
            .faq(id: "precio-es", question: "¿Cuánto cuesta el corte de pelo?",
                 answer: "El corte de pelo cuesta 25 dólares.", language: .es),
            .faq(id: "parking-en", question: "Where can I park my car?",
                 answer: "There is free parking behind the building on Rua Augusta.", language: .en),
        ])
        try index.addDocument(id: "precos", title: "Tabela de preços", text: """
            # Cabelo
            O corte feminino custa R$ 80 e inclui lavagem. A escova custa R$ 50. \
            A hidratação capilar custa R$ 70 e dura 40 minutos.
            """, language: .pt)
        return index
    }

    static func assistant(tone: Tone = .friendly, hours: BusinessHours = .standard) throws -> Assistant {
        Assistant(retriever: try index(), profile: BusinessProfile(name: "Studio Bela", timeZone: saoPaulo, hours: hours, tone: tone))
    }
}

/// A language model stand-in that answers with a fixed text, or throws.
struct FakeRephraser: Rephraser {
    let reply: String?
    func rephrase(question: String, evidence: [String], language: Language, tone: Tone) async throws -> String {
        guard let reply else { throw CancellationError() }
        return reply
    }
}
