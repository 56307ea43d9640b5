import Desk
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Web

/// `/api/v1/knowledge/…` on a live loopback server: CRUD re-indexes, imports are all or nothing,
/// "try a question" returns scored passages, and errors name the problem.
@Suite struct KnowledgeAPITests {
    func send(_ client: some TestClientProtocol, _ t: TestDesk, _ method: HTTPRequest.Method, _ uri: String,
              _ json: [String: Any]? = nil, as caller: Caller = .session(.manager)) async throws -> TestResponse {
        try await client.execute(uri: uri, method: method, headers: t.headers(for: caller), body: json.map(body))
    }

    func search(_ client: some TestClientProtocol, _ t: TestDesk, _ query: String, as caller: Caller = .session(.operator)) async throws -> [[String: Any]] {
        let response = try await send(client, t, .post, "/api/v1/knowledge/search", ["query": query, "language": "pt", "k": 3], as: caller)
        #expect(response.status == .ok, "\(response.text)")
        return try #require(try response.json()["passages"] as? [[String: Any]])
    }

    @Test func anFAQIsCreatedFoundEditedAndDeletedThroughTheAPI() async throws {
        try await TestDesk.with { t in
            try await t.server.makeApplication().test(.live) { client in
                let created = try await send(client, t, .post, "/api/v1/knowledge/faqs",
                                             ["question": "Qual o horário de funcionamento?", "answer": "Das 8h às 18h, de segunda a sexta.", "section": "Horários"])
                #expect(created.status == .created, "\(created.text)")
                let id = try #require(try created.json()["id"] as? String)
                #expect(try created.json()["language"] as? String == "pt")

                let found = try await search(client, t, "que horas vocês abrem? horário")
                let top = try #require(found.first)
                #expect(top["source_id"] as? String == id && top["kind"] as? String == "faq")
                #expect(top["score"] is Double && top["lexical_score"] is Double)
                #expect((top["text"] as? String)?.contains("Das 8h") == true)

                let edited = try await send(client, t, .put, "/api/v1/knowledge/faqs/\(id)",
                                            ["question": "Tem estacionamento?", "answer": "Sim, gratuito na garagem."])
                #expect(edited.status == .ok, "\(edited.text)")
                #expect(try await search(client, t, "estacionamento").first?["source_id"] as? String == id)

                let list = try await send(client, t, .get, "/api/v1/knowledge/faqs?limit=10", as: .token(.operator))
                #expect(list.status == .ok)
                #expect((try list.json()["items"] as? [[String: Any]])?.first?["question"] as? String == "Tem estacionamento?")

                #expect(try await send(client, t, .delete, "/api/v1/knowledge/faqs/\(id)").status == .noContent)
                #expect(try await search(client, t, "estacionamento").isEmpty)
                let gone = try await send(client, t, .get, "/api/v1/knowledge/faqs/\(id)")
                #expect(gone.status == .notFound && gone.error?.code == "not_found")
            }
        }
    }

    @Test func aDocumentIsPastedAndItsPassagesCarryTheHeadingBreadcrumb() async throws {
        try await TestDesk.with { t in
            try await t.server.makeApplication().test(.live) { client in
                let created = try await send(client, t, .post, "/api/v1/knowledge/documents",
                                             ["title": "Preços", "format": "html",
                                              "text": "<h2>Unhas</h2><p>Manicure custa R$ 30,00.</p><script>x()</script>"])
                #expect(created.status == .created, "\(created.text)")
                let passage = try #require(try await search(client, t, "manicure").first)
                #expect(passage["kind"] as? String == "doc" && passage["title"] as? String == "Preços > Unhas")
                #expect(passage["text"] as? String == "Manicure custa R$ 30,00.")
                let status = try await send(client, t, .get, "/api/v1/knowledge/status")
                let json = try status.json()
                #expect(json["documents"] as? Int == 1 && json["passages"] as? Int == 1 && json["reindexing"] as? Bool == false)
                #expect(json["dense_weight"] as? Double == 0.4)
            }
        }
    }

    @Test func aFileImportIsAllOrNothingAndABadLineIsNamed() async throws {
        try await TestDesk.with { t in
            try await t.server.makeApplication().test(.live) { client in
                var headers = t.headers(for: .session(.admin))
                headers[.contentType] = "text/csv"
                let csv = "pergunta,resposta\nFazem entrega?,Sim no bairro todo\nAceitam pix?,Sim\n"
                let imported = try await client.execute(uri: "/api/v1/knowledge/import?filename=faq.csv&language=pt", method: .post,
                                                        headers: headers, body: ByteBuffer(string: csv))
                #expect(imported.status == .created, "\(imported.text)")
                #expect(try imported.json()["faqs"] as? Int == 2)

                let lines = "{\"id\":\"1\",\"kind\":\"faq\",\"question\":\"Tem wifi?\",\"answer\":\"Sim\"}\n{\"id\":\"2\",\"kind\":\"faq\",\"question\":\"Sem resposta?\"}\n"
                let bad = try await client.execute(uri: "/api/v1/knowledge/import?format=jsonl", method: .post, headers: headers,
                                                   body: ByteBuffer(string: lines))
                #expect(bad.status == .unprocessableContent)
                #expect(bad.error?.field == "file" && bad.error?.message.contains("Line 2") == true)
                #expect(try t.desk.knowledge.status().faqs == 2)

                let unknown = try await client.execute(uri: "/api/v1/knowledge/import?format=pdf", method: .post, headers: headers,
                                                       body: ByteBuffer(string: "x"))
                #expect(unknown.status == .unprocessableContent && unknown.error?.field == "format")
            }
        }
    }

    @Test func anImportLargerThanTheLimitIsRefusedWith413NamingIt() async throws {
        try await TestDesk.with { t in
            try await t.server.makeApplication().test(.live) { client in
                var headers = t.headers(for: .session(.admin))
                headers[.contentType] = "text/plain"
                let big = ByteBuffer(repeating: UInt8(ascii: "a"), count: KnowledgeLimits.importBytes + 1)
                let refused = try await client.execute(uri: "/api/v1/knowledge/import", method: .post, headers: headers, body: big)
                #expect(refused.status == .contentTooLarge)
                // Between the API's 1 MiB and the import's 4 MiB: taken (JSON Lines skip blank lines, which keeps
                // the indexing of this test small).
                let lines = "{\"kind\":\"faq\",\"question\":\"Tem wifi?\",\"answer\":\"Sim\"}\n" + String(repeating: "\n", count: 2 << 20)
                let taken = try await client.execute(uri: "/api/v1/knowledge/import?filename=padded.jsonl", method: .post, headers: headers,
                                                     body: ByteBuffer(string: lines))
                #expect(taken.status == .created, "\(taken.text)")
                #expect(try taken.json()["faqs"] as? Int == 1)
                // A document over its own cap is named, with the cap.
                let one = try await client.execute(uri: "/api/v1/knowledge/import?filename=long.txt", method: .post, headers: headers,
                                                   body: ByteBuffer(string: String(repeating: "palavra ", count: (600 << 10) / 8)))
                #expect(one.status == .contentTooLarge && one.error?.message.contains("512 KiB") == true)
            }
        }
    }

    @Test func operatorsReadButOnlyAdminsAndManagersChangeAndAgentsSeeNothing() async throws {
        try await TestDesk.with { t in
            try await t.server.makeApplication().test(.live) { client in
                let refused = try await send(client, t, .post, "/api/v1/knowledge/faqs", ["question": "A?", "answer": "a"], as: .session(.operator))
                #expect(refused.status == .forbidden)
                #expect(try await send(client, t, .get, "/api/v1/knowledge/status", as: .token(.operator)).status == .ok)
                #expect(try await send(client, t, .get, "/api/v1/knowledge/faqs", as: .session(.agent)).status == .forbidden)
                let invalid = try await send(client, t, .post, "/api/v1/knowledge/faqs", ["question": " ", "answer": "a"], as: .token(.admin))
                #expect(invalid.status == .unprocessableContent && invalid.error?.field == "question")
                let k = try await send(client, t, .post, "/api/v1/knowledge/search", ["query": "oi", "k": 50])
                #expect(k.status == .unprocessableContent && k.error?.field == "k")
                let language = try await send(client, t, .post, "/api/v1/knowledge/faqs", ["question": "A?", "answer": "a", "language": "fr"])
                #expect(language.status == .unprocessableContent && language.error?.field == "language")
            }
        }
    }
}
