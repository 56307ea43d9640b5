import Testing
import Assistant
import AtendeTesting
import Desk
import Foundation
import Storage

/// The knowledge area over a real store: every change re-indexes, a restart rebuilds the index
/// from the store, and a changed embedder is re-embedded by a job.
@Suite struct KnowledgeTests {
    let editor = Requester(actor: AuditActor(id: "s1", name: "Owner"), role: .manager, staffID: nil, ip: nil)

    func sources(_ knowledge: Knowledge, _ query: String, k: Int = 3) -> [String] {
        knowledge.search(query, language: .pt, k: k).map(\.passage.sourceID)
    }

    @Test func anEditedFAQIsFoundByItsNewWordsAndNotByItsOld() async throws {
        try await withDesk { desk, _ in
            let knowledge = desk.knowledge
            let other = try await knowledge.createFAQ(FAQDraft(question: "Aceitam cartão de crédito?", answer: "Sim, em até 3 vezes.", language: .pt), by: editor)
            let faq = try await knowledge.createFAQ(FAQDraft(question: "Qual o horário de funcionamento?", answer: "Das 8h às 18h.", language: .pt), by: editor)
            #expect(sources(knowledge, "horário de funcionamento").first == faq.id.description)

            _ = try await knowledge.updateFAQ(faq.id, FAQDraft(question: "Tem estacionamento?", answer: "Sim, vagas gratuitas na garagem.", language: .pt), by: editor)
            #expect(sources(knowledge, "estacionamento garagem").first == faq.id.description)
            #expect(!knowledge.search("horário funcionamento", language: .pt, k: 5).contains {
                $0.passage.sourceID == faq.id.description && ($0.passage.lexicalScore ?? 0) > 0
            })
            #expect(try knowledge.faq(faq.id).question == "Tem estacionamento?")
            #expect(sources(knowledge, "cartão de crédito").first == other.id.description)
        }
    }

    @Test func deletingRemovesFromTheStoreAndTheIndex() async throws {
        try await withDesk { desk, _ in
            let knowledge = desk.knowledge
            let document = try await knowledge.createDocument(
                DocumentDraft(title: "Preços", text: "# Cabelo\n\nCorte masculino custa R$ 50.\n\n# Unhas\n\nManicure custa R$ 30.",
                              format: .markdown, language: .pt), by: editor)
            let hit = try #require(knowledge.search("manicure", language: .pt, k: 1).first)
            #expect(hit.passage.sourceID == document.id.description)
            #expect(hit.kind == .doc)
            #expect(hit.passage.title == "Preços > Unhas")
            try await knowledge.deleteDocument(document.id, by: editor)
            #expect(knowledge.search("manicure", language: .pt, k: 3).isEmpty)
            await expectDeskError(.notFound) { _ = try knowledge.document(document.id) }
            await expectDeskError(.notFound) { try await knowledge.deleteDocument(document.id, by: editor) }
            #expect(try knowledge.status().documents == 0)
        }
    }

    @Test func anImportIsStoredInOneCommitAndSearchable() async throws {
        try await withDesk { desk, _ in
            let batch = try KnowledgeImport.read(Array("question,answer\nFazem entrega?,Sim no bairro todo\nTem wifi?,Sim\n".utf8),
                                                 format: .csv, language: .pt)
            let report = try await desk.knowledge.importBatch(batch, by: editor)
            #expect(report.faqs.count == 2)
            #expect(sources(desk.knowledge, "entrega no bairro").first == report.faqs[0].id.description)
            let status = try desk.knowledge.status()
            #expect((status.faqs, status.documents, status.passages) == (2, 0, 2))
            let audit = try desk.listAudit(try PageRequest(cursor: nil, limit: 10))
            #expect(audit.items.contains { $0.action == .knowledgeImported })
        }
    }

    @Test func importingAFileAgainReplacesTheEntriesOfItsIds() async throws {
        try await withDesk { desk, clock in
            func file(_ answer: String) throws -> KnowledgeImport {
                try KnowledgeImport.read(Array("""
                    {"id":"hours","kind":"faq","question":"Qual o horário?","answer":"\(answer)"}
                    {"id":"address","kind":"doc","title":"Endereço","text":"Rua das Flores, 200."}
                    """.utf8), format: .jsonl, language: .pt)
            }
            let first = try await desk.knowledge.importBatch(try file("Das 8h às 18h."), by: editor)
            #expect(first.replaced == 0)
            clock.advance(by: 60)
            let second = try await desk.knowledge.importBatch(try file("Das 9h às 17h."), by: editor)
            #expect(second.replaced == 2)
            #expect(second.faqs.map(\.id) == first.faqs.map(\.id))
            #expect(second.documents.map(\.id) == first.documents.map(\.id))
            let status = try desk.knowledge.status()
            #expect((status.faqs, status.documents) == (1, 1))
            let faq = try desk.knowledge.faq(first.faqs[0].id)
            #expect(faq.answer == "Das 9h às 17h." && faq.externalID == "hours" && faq.createdAt < faq.updatedAt)
            let hit = try #require(desk.knowledge.search("horário", language: .pt, k: 1).first)
            #expect(hit.passage.text.contains("9h às 17h"))
        }
    }

    @Test func aCSVImportedAgainUpdatesItsQuestionsInsteadOfAddingThemTwice() async throws {
        try await withDesk { desk, clock in
            func csv(_ price: String) throws -> KnowledgeImport {
                try KnowledgeImport.read(Array("question,answer\nQuanto custa o corte?,\"R$ \(price),00\"\nVocês abrem domingo?,Não.\n".utf8),
                                         format: .csv, language: .pt)
            }
            func doc(_ text: String) throws -> KnowledgeImport {
                try KnowledgeImport.read(Array(text.utf8), filename: "precos.md", language: .pt)
            }
            let first = try await desk.knowledge.importBatch(try csv("50"), by: editor)
            _ = try await desk.knowledge.importBatch(try doc("# Preços\n\nA escova custa R$ 40,00."), by: editor)
            clock.advance(by: 60)
            // Case, accents, spacing and the question mark do not make a new question.
            let edited = try KnowledgeImport.read(Array("quanto  custa o CORTE,\"R$ 60,00\"\n".utf8), format: .csv, language: .pt)
            let second = try await desk.knowledge.importBatch(edited, by: editor)
            let third = try await desk.knowledge.importBatch(try doc("# Preços\n\nA escova custa R$ 45,00."), by: editor)
            #expect(second.replaced == 1 && third.replaced == 1)
            #expect(second.faqs.map(\.id) == [first.faqs[0].id])
            let status = try desk.knowledge.status()
            #expect((status.faqs, status.documents) == (2, 1))
            #expect(try desk.knowledge.faq(first.faqs[0].id).answer == "R$ 60,00")
            let hits = desk.knowledge.search("quanto custa a escova", language: .pt, k: 5).map(\.passage.text)
            #expect(hits.contains { $0.contains("45,00") } && !hits.contains { $0.contains("40,00") })
            // The same question in another language is another entry.
            let english = try KnowledgeImport.read(Array("Quanto custa o corte?,R$ 70\n".utf8), format: .csv, language: .en)
            #expect(try await desk.knowledge.importBatch(english, by: editor).replaced == 0)
        }
    }

    @Test func limitsAndRolesAreChecked() async throws {
        try await withDesk { desk, _ in
            let knowledge = desk.knowledge
            let long = String(repeating: "a", count: KnowledgeLimits.question + 1)
            let error = await expectDeskError(.invalidField) {
                _ = try await knowledge.createFAQ(FAQDraft(question: long, answer: "x", language: .pt), by: editor)
            }
            #expect(error?.field == "question")
            let empty = await expectDeskError(.invalidField) {
                _ = try await knowledge.createDocument(DocumentDraft(title: "T", text: "  ", language: .pt), by: editor)
            }
            #expect(empty?.field == "text")
            let big = await expectDeskError(.fileTooLarge) {
                _ = try await knowledge.createDocument(DocumentDraft(title: "T", text: String(repeating: "a", count: KnowledgeLimits.documentBytes + 1),
                                                                     language: .pt), by: editor)
            }
            #expect(big?.message.contains("512 KiB") == true)
            let operatorRole = Requester(actor: nil, role: .operator, staffID: nil, ip: nil)
            await expectDeskError(.forbidden) {
                _ = try await knowledge.createFAQ(FAQDraft(question: "A?", answer: "a", language: .pt), by: operatorRole)
            }
        }
    }

    @Test func changesArePublishedLiveToWhoeverSeesTheAssistantButNotToAgents() async throws {
        try await withDesk { desk, _ in
            guard case .subscribed(let operatorStream) = desk.live.subscribe(staffID: "op", role: "operator"),
                  case .subscribed(let agentStream) = desk.live.subscribe(staffID: "ag", role: "agent") else {
                Issue.record("expected subscriptions"); return
            }
            let entry = try await desk.knowledge.createFAQ(FAQDraft(question: "Tem wifi?", answer: "Sim.", language: .pt), by: editor)
            guard case .event(let event)? = await operatorStream.next() else { Issue.record("no event"); return }
            #expect(event.type == "knowledge.changed")
            #expect(event.data.contains(entry.id.description) && event.data.contains("faq.created"))
            let agentGot = await withTaskGroup(of: Bool.self) { group in
                group.addTask { if case .event? = await agentStream.next() { return true }; return false }
                group.addTask { try? await Task.sleep(for: .milliseconds(200)); return false }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
            #expect(!agentGot)
        }
    }

    @Test func listsArePagedOldestFirst() async throws {
        try await withDesk { desk, clock in
            for n in 1...3 {
                _ = try await desk.knowledge.createFAQ(FAQDraft(question: "Pergunta \(n)?", answer: "Resposta \(n)", language: .pt), by: editor)
                clock.advance(by: 1)
            }
            let first = try desk.knowledge.faqs(page: try PageRequest(cursor: nil, limit: 2))
            #expect(first.items.map(\.question) == ["Pergunta 1?", "Pergunta 2?"])
            let second = try desk.knowledge.faqs(page: try PageRequest(cursor: first.nextCursor, limit: 2))
            #expect(second.items.map(\.question) == ["Pergunta 3?"])
            #expect(second.nextCursor == nil)
        }
    }

    @Test func aRestartRebuildsTheIndexFromTheStore() async throws {
        let directory = try TemporaryDirectory("atende-knowledge")
        defer { directory.remove() }
        let id = try await withKnowledgeDesk(directory) { desk in
            try await desk.knowledge.start()
            return try await desk.knowledge.createFAQ(FAQDraft(question: "Vocês atendem aos domingos?", answer: "Não, só de segunda a sábado.",
                                                               language: .pt), by: editor).id
        }
        try await withKnowledgeDesk(directory) { desk in
            try await desk.knowledge.start()
            #expect(sources(desk.knowledge, "domingo").first == id.description)
            #expect(try desk.knowledge.status().reindexing == false)
            // The retriever the assistant uses sees the same index.
            #expect(desk.knowledge.retriever.search("domingos", language: .pt, k: 1).first?.sourceID == id.description)
        }
    }

    @Test func aChangedEmbedderIsReembeddedByAJobWhileSearchesStayLexical() async throws {
        let directory = try TemporaryDirectory("atende-knowledge")
        defer { directory.remove() }
        let id = try await withKnowledgeDesk(directory) { desk in
            try await desk.knowledge.start()
            return try await desk.knowledge.createFAQ(FAQDraft(question: "Onde fica a loja?", answer: "Na rua das Flores, 200.", language: .pt), by: editor).id
        }
        let wider = HashingEmbedder(dimension: 2048, dropsStopWords: true)
        try await withKnowledgeDesk(directory, embedder: wider) { desk in
            try await desk.knowledge.start()
            let status = try desk.knowledge.status()
            #expect(status.reindexing)
            #expect(status.embedder == wider.name)
            let job = try #require(try desk.jobs.job("knowledge.reembed"))
            #expect(job.kind == JobKind("knowledge.reembed"))
            // Meanwhile: found by its words, with no dense score (no vectors of another embedder).
            let during = try #require(desk.knowledge.search("rua das flores", language: .pt, k: 1).first)
            #expect(during.passage.sourceID == id.description)
            #expect(during.passage.denseScore == nil)
            // An edit made while reindexing is kept by the rebuilt index.
            _ = try await desk.knowledge.updateFAQ(id, FAQDraft(question: "Onde fica a loja?", answer: "Na avenida Brasil, 10.", language: .pt), by: editor)
            #expect(try await desk.jobs.runDue() == 1)
            #expect(try desk.knowledge.status().reindexing == false)
            let after = try #require(desk.knowledge.search("avenida brasil", language: .pt, k: 1).first)
            #expect(after.passage.sourceID == id.description)
            #expect(after.passage.denseScore != nil)
        }
        // The meta now names the new embedder: the next start does not reindex again.
        try await withKnowledgeDesk(directory, embedder: wider) { desk in
            try await desk.knowledge.start()
            #expect(try desk.knowledge.status().reindexing == false)
            #expect(try desk.jobs.job("knowledge.reembed") == nil)
        }
    }

    @Test func aLargeKnowledgeBaseIsIndexedAfterStartSoServingNeedNotWaitForIt() async throws {
        let directory = try TemporaryDirectory("atende-knowledge")
        defer { directory.remove() }
        let ids = try await withKnowledgeDesk(directory) { desk in
            try await desk.knowledge.start()
            var ids: [DocumentID] = []
            for (question, answer) in [("Onde fica a loja?", "Na rua das Flores, 200."), ("Aceitam cartão?", "Sim, débito e crédito."),
                                       ("Abrem aos domingos?", "Não, de segunda a sábado.")] {
                ids.append(try await desk.knowledge.createFAQ(FAQDraft(question: question, answer: answer, language: .pt), by: editor).id)
            }
            return ids
        }
        try await withKnowledgeDesk(directory, buildInBackgroundAbove: 2) { desk in
            try await desk.knowledge.start()
            #expect(try desk.knowledge.status().reindexing)
            #expect(!desk.knowledge.retriever.isReady)
            #expect(desk.knowledge.search("rua das flores", language: .pt, k: 1).isEmpty)
            // An entry added while the index is built is in it afterwards.
            let added = try await desk.knowledge.createFAQ(FAQDraft(question: "Tem estacionamento?", answer: "Sim, gratuito.", language: .pt), by: editor)
            #expect(try await desk.jobs.runDue() == 1)
            #expect(desk.knowledge.retriever.isReady)
            #expect(try desk.knowledge.status().reindexing == false)
            #expect(desk.knowledge.search("rua das flores", language: .pt, k: 1).first?.passage.sourceID == ids[0].description)
            #expect(desk.knowledge.search("estacionamento", language: .pt, k: 1).first?.passage.sourceID == added.id.description)
            #expect(desk.knowledge.search("rua das flores", language: .pt, k: 1).first?.passage.denseScore != nil)
        }
        // Small enough: built before serving, as always.
        try await withKnowledgeDesk(directory) { desk in
            try await desk.knowledge.start()
            #expect(desk.knowledge.retriever.isReady)
            #expect(try desk.knowledge.status().reindexing == false)
            #expect(try desk.jobs.job("knowledge.reembed") == nil)
        }
    }

    func withKnowledgeDesk<R>(_ directory: TemporaryDirectory, embedder: (any Embedder)? = nil, buildInBackgroundAbove: Int? = nil,
                              _ body: (Desk) async throws -> R) async throws -> R {
        let store = try Store(directory: directory.path, schema: Desk.schema, logger: .quiet)
        defer { store.close() }
        var configuration = DeskConfiguration()
        if let embedder { configuration.knowledge.embedder = embedder }
        if let buildInBackgroundAbove { configuration.knowledge.buildInBackgroundAbove = buildInBackgroundAbove }
        let desk = Desk(store: store, hasher: FastBcrypt(), clock: ManualDeskClock(), configuration: configuration, logger: .quiet)
        return try await body(desk)
    }
}
