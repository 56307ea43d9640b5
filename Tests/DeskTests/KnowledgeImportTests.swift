import Testing
import Assistant
import Desk

/// Reading import files: each format, and bad files refused whole with the line named.
@Suite struct KnowledgeImportTests {
    func read(_ text: String, _ format: KnowledgeImport.Format = .auto, filename: String? = nil) throws -> KnowledgeImport {
        try KnowledgeImport.read(Array(text.utf8), format: format, filename: filename, language: .pt, section: "Geral")
    }

    @Test func plainTextBecomesOneDocumentTitledByItsFileName() throws {
        let result = try read("Abrimos às 8h.\n\nFechamos às 18h.", filename: "/tmp/horarios.txt")
        #expect(result.faqs.isEmpty)
        #expect(result.documents == [DocumentDraft(title: "horarios", text: "Abrimos às 8h.\n\nFechamos às 18h.", format: .text,
                                                   language: .pt, section: "Geral")])
    }

    @Test func markdownKeepsItsHeadingsForTheBreadcrumb() throws {
        let result = try read("# Preços\n\n## Cabelo\n\nCorte: R$ 50,00", filename: "precos.md")
        #expect(result.documents.first?.format == .markdown)
        #expect(result.documents.first?.text.contains("## Cabelo") == true)
    }

    @Test func htmlIsReadAsTextWithoutScriptsStylesOrTags() throws {
        let html = """
            <html><head><title>x</title><style>p{color:red}</style></head><body>
            <h1>Horários</h1><script>alert('no')</script>
            <p>Abrimos de segunda a sexta,<br>das 8h &agrave;s 18h &amp; sábado até 12h.</p><div>Tel: &#40;11&#41; 5555&#x2D;0000</div>
            <!-- a comment --></body></html>
            """
        let result = try read(html, filename: "site.html")
        let document = try #require(result.documents.first)
        #expect(document.format == .html)
        let text = document.indexedText
        #expect(text == "# Horários\n\nAbrimos de segunda a sexta,\n\ndas 8h às 18h & sábado até 12h.\n\nTel: (11) 5555-0000")
    }

    @Test func csvWithAHeaderGivesOneFAQPerRow() throws {
        let result = try read("question,answer\nQuanto custa o corte?,\"R$ 50,00\"\nVocês abrem sábado?,Sim até 12h\n", filename: "faq.csv")
        #expect(result.faqs.map(\.question) == ["Quanto custa o corte?", "Vocês abrem sábado?"])
        #expect(result.faqs.first?.answer == "R$ 50,00")
        #expect(result.faqs.allSatisfy { $0.section == "Geral" && $0.language == .pt })
    }

    @Test func csvWithoutAHeaderAndWithSemicolonsIsReadToo() throws {
        let result = try read("Tem estacionamento?;Sim, gratuito\nAceita pix?;Sim\n", .csv)
        #expect(result.faqs.map(\.answer) == ["Sim, gratuito", "Sim"])
    }

    @Test func csvRowWithAnEmptyAnswerIsNamed() async throws {
        let error = try #require(throws: DeskError.self) { try read("question,answer\nA?,a\nB?,\n", .csv) }
        #expect(error.field == "file")
        #expect(error.message.contains("Row 3"))
    }

    @Test func jsonLinesGiveFAQsAndDocumentsWithTheirOwnLanguageAndSection() throws {
        let text = """
            {"id":"f1","kind":"faq","question":"Where are you?","answer":"Rua das Flores, 200","language":"en"}

            {"id":"d1","kind":"doc","title":"Política","text":"Cancelamentos até 24h antes.","section":"Regras"}
            """
        let result = try read(text, filename: "kb.jsonl")
        #expect(result.faqs == [FAQDraft(question: "Where are you?", answer: "Rua das Flores, 200", language: .en, section: "Geral",
                                         externalID: "f1")])
        #expect(result.documents == [DocumentDraft(title: "Política", text: "Cancelamentos até 24h antes.", format: .text,
                                                   language: .pt, section: "Regras", externalID: "d1")])
    }

    @Test(arguments: [
        ("{\"kind\":\"faq\",\"question\":\"A?\",\"answer\":\"a\"}\nnot json\n", "Line 2"),
        ("{\"kind\":\"faq\",\"question\":\"A?\"}\n", "Line 1: The answer is empty."),
        ("{\"kind\":\"note\",\"text\":\"x\"}\n", "Line 1: kind is"),
        ("{\"kind\":\"faq\",\"question\":\"A?\",\"answer\":\"a\",\"language\":\"fr\"}\n", "Line 1: the language"),
        ("{\"id\":\"x\",\"kind\":\"faq\",\"question\":\"A?\",\"answer\":\"a\"}\n{\"id\":\"x\",\"kind\":\"faq\",\"question\":\"B?\",\"answer\":\"b\"}\n",
         "Line 2: the id x was given before, on line 1."),
    ])
    func badJSONLinesAreRefusedNamingTheLine(text: String, expected: String) throws {
        let error = try #require(throws: DeskError.self) { try read(text, .jsonl) }
        #expect(error.code == .invalidField)
        #expect(error.field == "file")
        #expect(error.message.contains(expected), "\(error.message)")
    }

    @Test func emptyNonUTF8AndOversizedFilesAreRefused() throws {
        #expect(throws: DeskError.self) { try read("  \n\n", .text) }
        let latin1 = try #require(throws: DeskError.self) {
            try KnowledgeImport.read([0x63, 0x61, 0xE7, 0x61], language: .pt)
        }
        #expect(latin1.message.contains("UTF-8"))
        let big = try #require(throws: DeskError.self) {
            try KnowledgeImport.read([UInt8](repeating: 0x61, count: KnowledgeLimits.importBytes + 1), language: .pt)
        }
        #expect(big.code == .fileTooLarge)
        #expect(big.message.contains("4 MiB"))
    }

    @Test func htmlWithNoTextIsAnEmptyDocument() throws {
        let error = try #require(throws: DeskError.self) { try read("<html><script>x()</script></html>", .html) }
        #expect(error.field == "text")
    }
}

