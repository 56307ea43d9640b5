import AtendeTesting
import Foundation
import Testing

/// `atende kb import` as an operator runs it: into the store while no server runs, found by the
/// server started afterwards; refused while a server holds the data directory; bad files named.
@Suite(.serialized) struct KnowledgeBaseCommandTests {
    let atende = BuiltProducts.path("atende")

    @Test func anImportedFileIsSearchableWhenTheServerStartsAndImportingWhileItRunsIsRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.appending("data"), key = directory.appending("master.key")
        let csv = directory.appending("faq.csv")
        try "question,answer\nVocês atendem aos domingos?,Não; de segunda a sábado.\nAceitam pix?,Sim.\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let imported = try await ChildProcess.run(atende, ["kb", "import", csv, "--section", "Geral", "--data", data, "--master-key", key])
        #expect(imported.status == 0, "\(imported.error)")
        #expect(imported.output == "imported 2 FAQ entries and 0 documents from \(csv)\n")

        try await withServer(data: data, masterKey: key) { server in
            let token = try await server.adminToken()
            let found = try await httpRequest("\(server.baseURL)/api/v1/knowledge/search", method: "POST",
                                              headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"],
                                              body: Data(#"{"query":"abrem domingo?","language":"pt","k":1}"#.utf8))
            #expect(found.status == 200)
            #expect(String(decoding: found.body, as: UTF8.self).contains("domingos"))

            let refused = try await ChildProcess.run(atende, ["kb", "import", csv, "--data", data, "--master-key", key])
            #expect(refused.status == 69)
            #expect(refused.error.contains("in use by another atende process"))
        }
    }

    @Test func aBadLineIsNamedAndNothingIsImported() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.appending("kb.jsonl")
        try """
            {"id":"1","kind":"faq","question":"Tem wifi?","answer":"Sim"}
            {"id":"2","kind":"faq","question":"Sem resposta?"}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let common = ["--data", directory.appending("data"), "--master-key", directory.appending("master.key")]
        let bad = try await ChildProcess.run(atende, ["kb", "import", file] + common)
        #expect(bad.status == 65)
        #expect(bad.error.contains("Line 2: The answer is empty."))
        #expect(!FileManager.default.fileExists(atPath: directory.appending("data/store/data.mdb")))

        let missing = try await ChildProcess.run(atende, ["kb", "import", directory.appending("nope.csv")] + common)
        #expect(missing.status == 66)
        let language = try await ChildProcess.run(atende, ["kb", "import", file, "--language", "fr"] + common)
        #expect(language.status == 64)
    }
}
