import Assistant
import Testing

@Suite struct KnowledgeIndexTests {
    func salon() throws -> KnowledgeIndex {
        let index = try KnowledgeIndex()
        try index.add([
            .faq(id: "hours", question: "Qual o horário de funcionamento?",
                 answer: "Abrimos de segunda a sexta das 9h às 19h e aos sábados das 9h às 13h.", language: .pt),
            .faq(id: "payment", question: "Quais formas de pagamento vocês aceitam?",
                 answer: "Aceitamos pix, dinheiro e cartões de crédito e débito.", language: .pt),
            .faq(id: "parking", question: "Tem estacionamento?", answer: "Sim, há vagas gratuitas na frente do salão.", language: .pt),
        ])
        try index.addDocument(id: "prices", title: "Tabela de preços", text: """
            # Cabelo
            Corte feminino custa R$ 80 e a escova R$ 50.
            # Unhas
            Manicure e pedicure custam R$ 35 cada.
            """, language: .pt)
        return index
    }

    @Test(arguments: [
        ("vcs abrem sabado?", "hours"), ("qual o horario de vcs", "hours"), ("aceitam cartao?", "payment"),
        ("da pra pagar no pix?", "payment"), ("onde estaciono o carro", "parking"), ("qto custa a escova", "prices"),
        ("preço da manicure", "prices"), ("qual o horaroi?", "hours"), ("formas de pagamneto", "payment"),
    ])
    func aChatQuestionFindsTheUnitThatAnswersIt(_ query: String, _ source: String) throws {
        #expect(try salon().search(query, language: .pt, k: 3).first?.sourceID == source)
    }

    @Test func hitsCarryTheirTextAndBothScores() throws {
        let hit = try #require(try salon().search("formas de pagamento", language: .pt, k: 1).first)
        #expect(hit.text.contains("pix"))
        #expect(hit.lexicalScore != nil && hit.denseScore != nil)
    }

    @Test func aRemovedDocumentIsNoLongerFound() throws {
        let index = try salon()
        #expect(index.removeSource("prices") == 2)
        #expect(!index.search("preço da manicure", language: .pt, k: 5).contains { $0.sourceID == "prices" })
        #expect(index.count == 3)
    }

    @Test func replacingAUnitChangesWhatItAnswers() throws {
        let index = try salon()
        try index.add([.faq(id: "parking", question: "Aceitam animais?", answer: "Sim, pets são bem-vindos.", language: .pt)])
        #expect(index.search("posso levar meu cachorro? aceitam pets", language: .pt, k: 1).first?.id == "parking")
        #expect(index.count == 5)   // 3 FAQ pairs + 2 chunks, the replaced pair counted once
    }

    @Test func addingADocumentAgainReplacesAllItsOldChunks() throws {
        let index = try salon()
        try index.addDocument(id: "prices", title: "Tabela de preços", text: "Depilação custa R$ 40.", language: .pt)
        #expect(index.count == 4)
        #expect(index.unit("prices#1") == nil)
        #expect(index.search("manicure pedicure", language: .pt, k: 5).allSatisfy { !$0.text.contains("Manicure") })
    }

    @Test func searchesRunWhileTheKnowledgeChanges() async throws {
        let index = try salon()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for i in 0..<50 {
                    try? index.add([.faq(id: "extra\(i)", question: "Pergunta \(i)?", answer: "Resposta \(i).", language: .pt)])
                }
            }
            group.addTask {
                for _ in 0..<50 { #expect(index.search("formas de pagamento", language: .pt, k: 1).first?.sourceID == "payment") }
            }
        }
        #expect(index.count == 55)
    }

    @Test func anEmptyIndexOrQueryFindsNothingWithoutFailing() throws {
        #expect(try KnowledgeIndex().search("oi", language: .pt, k: 5).isEmpty)
        #expect(try salon().search("", language: .pt, k: 5).isEmpty)
        #expect(try salon().search("horário", language: .pt, k: 0).isEmpty)
    }
}

/// An embedder that breaks its promise, to check the index refuses its vectors without damage.
struct ShortEmbedder: Embedder {
    var name: String { "short" }
    var dimension: Int { 8 }
    func embed(_ text: String) -> [Float] { text.contains("bad") ? [1, 2] : [1, 0, 0, 0, 0, 0, 0, 1] }
}

@Suite struct KnowledgeIndexFailureTests {
    @Test func aVectorOfTheWrongLengthIsRefusedAndNothingChanges() throws {
        let index = try KnowledgeIndex(embedder: ShortEmbedder())
        try index.add([.faq(id: "ok", question: "Horário?", answer: "Das 9h às 18h.", language: .pt)])
        #expect(throws: (any Error).self) {
            try index.add([.faq(id: "new", question: "Preço?", answer: "R$ 10.", language: .pt),
                           .faq(id: "broken", question: "bad", answer: "bad", language: .pt)])
        }
        #expect(index.count == 1)
        #expect(index.unit("new") == nil)
    }
}
