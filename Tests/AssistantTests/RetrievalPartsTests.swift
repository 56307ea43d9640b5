import Assistant
import Testing

@Suite struct BM25IndexTests {
    func index() -> BM25Index {
        var index = BM25Index()
        index.add(id: "a", terms: ["preco": 1, "cort": 1])
        index.add(id: "b", terms: ["horari": 2, "funcion": 1])
        index.add(id: "c", terms: ["preco": 1, "escov": 1, "hidrat": 1])
        return index
    }

    @Test func theUnitSharingTheRarestTermsRanksFirst() {
        #expect(index().search(["preco", "escov"], k: 3).map(\.id) == ["c", "a"])
    }

    @Test func aRemovedUnitIsNeverFoundAgain() {
        var index = index()
        let first = index.remove(id: "c"), second = index.remove(id: "c")
        #expect(first && !second)
        #expect(index.search(["escov"], k: 3).isEmpty)
        #expect(index.count == 2)
    }

    @Test(arguments: [["escvo"], ["escv"], ["esco"], ["escovx"], ["ecsov"]])
    func aMisspeltTermStillFindsItsUnit(_ query: [String]) {
        var index = BM25Index(parameters: .init(typoMinimumLength: 4))
        index.add(id: "c", terms: ["escov": 1, "hidrat": 1])
        index.add(id: "a", terms: ["cort": 1])
        #expect(index.search(query, k: 2).map(\.id) == ["c"])
    }

    @Test func typosAreNotGuessedForShortTermsKnownTermsOrWhenTurnedOff() {
        var index = BM25Index()
        index.add(id: "c", terms: ["escov": 1, "cort": 1])
        #expect(index.search(["cota"], k: 2).isEmpty)   // shorter than five letters
        #expect(index.search(["escova"], k: 2).map(\.id) == ["c"])
        var strict = BM25Index(parameters: .init(typoWeight: 0))
        strict.add(id: "c", terms: ["escov": 1])
        #expect(strict.search(["escvo"], k: 2).isEmpty)
    }

    @Test func addingAnIdAgainReplacesItsTerms() {
        var index = index()
        index.add(id: "a", terms: ["escov": 1])
        #expect(index.search(["cort"], k: 3).isEmpty)
        #expect(Set(index.search(["escov"], k: 3).map(\.id)) == ["a", "c"])
    }
}

@Suite struct ScoreFusionTests {
    @Test func aUnitBothListsAgreeOnWins() {
        let fused = ScoreFusion.zScore(lexical: [("a", 9), ("b", 8), ("c", 1)], dense: [("b", 0.9), ("a", 0.2), ("c", 0.1)],
                                       denseWeight: 0.5)
        #expect(fused.first?.id == "b")
    }

    @Test func weightZeroKeepsTheLexicalOrderAndOneTheDense() {
        let lexical = [(id: "a", score: 3.0), (id: "b", score: 2.0)], dense = [(id: "b", score: 0.9), (id: "a", score: 0.1)]
        #expect(ScoreFusion.zScore(lexical: lexical, dense: dense, denseWeight: 0).map(\.id) == ["a", "b"])
        #expect(ScoreFusion.zScore(lexical: lexical, dense: dense, denseWeight: 1).map(\.id) == ["b", "a"])
    }

    @Test func aUnitOnlyOneListFoundStillAppears() {
        let fused = ScoreFusion.zScore(lexical: [("a", 2), ("b", 1)], dense: [("c", 0.5)], denseWeight: 0.3)
        #expect(Set(fused.map(\.id)) == ["a", "b", "c"])
        #expect(fused.first(where: { $0.id == "c" })?.lexical == nil)
    }
}

@Suite struct ChunkerTests {
    @Test func headingsBecomeTheBreadcrumbOfTheChunksBelowThem() {
        let text = """
            # Preços
            ## Cabelo
            Corte feminino: R$ 80.

            Escova: R$ 50.
            ## Unhas
            Manicure: R$ 35.
            """
        let units = Chunker().chunk(id: "tabela", title: "Tabela", text: text, language: .pt)
        #expect(units.map(\.title) == ["Tabela > Preços > Cabelo", "Tabela > Preços > Unhas"])
        #expect(units[0].text == "Corte feminino: R$ 80. Escova: R$ 50.")
        #expect(units.map(\.id) == ["tabela#0", "tabela#1"])
        #expect(units.allSatisfy { $0.sourceID == "tabela" && $0.kind == .doc })
    }

    @Test func aLongSectionIsCutIntoOverlappingChunksOfBoundedSize() {
        let paragraphs = (0..<12).map { p in (0..<40).map { "p\(p)w\($0)" }.joined(separator: " ") + "." }
        let units = Chunker(targetTokens: 100, overlapTokens: 20)
            .chunk(id: "d", title: "", text: paragraphs.joined(separator: "\n\n"), language: .pt)
        #expect(units.count > 3)
        #expect(units.allSatisfy { $0.text.split(separator: " ").count <= 120 })
        let first = units[0].text.split(separator: " "), second = units[1].text.split(separator: " ")
        #expect(Array(first.suffix(20)) == Array(second.prefix(20)))
        let all = Set(units.flatMap { $0.text.split(separator: " ").map(String.init) })
        #expect(all.count == 12 * 40)   // nothing lost
    }

    @Test func anFAQPairIsOneUnitQuestionColonAnswer() {
        let unit = KnowledgeUnit.faq(id: "f1", question: "Vocês abrem sábado?", answer: "Sim, das 9h às 13h.", language: .pt)
        #expect(unit.text == "Vocês abrem sábado?: Sim, das 9h às 13h.")
        #expect(unit.kind == .faq && unit.title == "Vocês abrem sábado?")
    }
}

@Suite struct HashingEmbedderTests {
    let embedder = HashingEmbedder(dimension: 256)

    func cosine(_ a: [Float], _ b: [Float]) -> Float {
        let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
        let na = a.reduce(0) { $0 + $1 * $1 }.squareRoot(), nb = b.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return dot / (na * nb)
    }

    @Test func vectorsHaveTheDeclaredDimensionAndAreDeterministic() {
        #expect(embedder.embed("horário de funcionamento").count == 256)
        #expect(embedder.embed("horário de funcionamento") == embedder.embed("horário de funcionamento"))
        #expect(embedder.name == "hash-ngram-3-5-d256")
    }

    @Test func aTypoOrAMissingAccentStaysCloserThanAnotherTopic() {
        let base = embedder.embed("horário de funcionamento")
        #expect(cosine(base, embedder.embed("horario de funcionamnto")) > cosine(base, embedder.embed("preço da escova")))
    }

    @Test func textWithoutLettersGivesTheZeroVector() {
        #expect(embedder.embed("!!! ...").allSatisfy { $0 == 0 })
    }
}

@Suite struct RetrievalMetricsTests {
    @Test func recallAndReciprocalRankAreCountedPerQuery() {
        let metrics = RetrievalMetrics(rankings: [["a", "b"], ["x", "y", "b"], ["z"], ["a", "a", "c"]],
                                       relevant: [["a"], ["b"], ["q"], ["c"]])
        #expect(metrics.recallAt1 == 0.25)
        #expect(metrics.recallAt5 == 0.75)
        #expect(abs(metrics.mrrAt10 - (1 + 1.0 / 3 + 0 + 0.5) / 4) < 1e-12)   // repeats do not push "c" down
        #expect(metrics.queries == 4)
    }

    @Test func noQueriesScoreZeroRatherThanDividingByZero() {
        #expect(RetrievalMetrics(rankings: [], relevant: []).recallAt1 == 0)
    }
}
