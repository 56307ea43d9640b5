import AtendeTesting
import Foundation
import Testing

/// `atende eval conversations`, run as the built binary on small files written here.
@Suite struct EvalConversationsCommandTests {
    let atende = BuiltProducts.path("atende")

    static let kb = """
        {"id": "limpeza", "kind": "faq", "question": "Quanto custa a limpeza de pele?", "answer": "A limpeza de pele custa R$ 120,00."}
        {"id": "horario", "kind": "faq", "question": "Qual o horário de funcionamento?", "answer": "De segunda a sexta, das 9h às 18h."}
        {"id": "precos", "kind": "doc", "title": "Tabela", "section": "Cabelo", "text": "O corte feminino custa R$ 80. A hidratação capilar custa R$ 70 e dura 40 minutos."}
        """
    static let messages = """
        {"id": "m1", "text": "quanto custa a limpeza de pele?"}
        {"id": "m2", "text": "oi"}
        {"id": "m3", "text": "quero falar com um atendente"}
        {"id": "m4", "text": "quanto custa a hidratação capilar?"}
        {"id": "m5", "text": "vocês vendem ração para cachorro?"}
        {"id": "m6", "text": "obrigada!", "language": "pt"}
        {"id": "m7", "text": "👍"}
        """

    struct Line: Decodable { let id, decision: String; let reply: String?; let confidence: Double; let sources: [String] }

    func directory(_ files: [String: String]) throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        for (name, contents) in files { try Data(contents.utf8).write(to: URL(fileURLWithPath: directory.appending(name))) }
        return directory
    }

    @Test func eachMessageGetsADecisionLineAndTheCountsArePrinted() async throws {
        let dir = try directory(["kb.jsonl": Self.kb, "m.jsonl": Self.messages])
        defer { dir.remove() }
        let result = try await ChildProcess.run(atende, [
            "eval", "conversations", "--kb", dir.appending("kb.jsonl"), "--messages", dir.appending("m.jsonl"),
            "--out", dir.appending("out.jsonl"), "--now", "2026-12-07T10:00", "--time-zone", "America/Sao_Paulo",
        ])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("7 messages over 2 FAQ pairs and 1 documents"), "\(result.output)")
        let lines = try String(contentsOfFile: dir.appending("out.jsonl"), encoding: .utf8).split(separator: "\n")
            .map { try JSONDecoder().decode(Line.self, from: Data($0.utf8)) }
        let byID = Dictionary(uniqueKeysWithValues: lines.map { ($0.id, $0) })
        #expect(lines.map(\.id) == ["m1", "m2", "m3", "m4", "m5", "m6", "m7"])
        #expect(byID["m7"]?.decision == "wait" && byID["m7"]?.reply == nil)
        #expect(try String(contentsOfFile: dir.appending("out.jsonl"), encoding: .utf8).contains(#""id":"m7","reply":null"#))
        #expect(byID["m1"]?.decision == "answer" && byID["m1"]?.sources == ["limpeza"])
        #expect(byID["m1"]?.reply == "A limpeza de pele custa R$ 120,00.")
        #expect(byID["m2"]?.decision == "smalltalk" && byID["m2"]?.sources == [])
        #expect(byID["m3"]?.decision == "handoff")
        #expect(byID["m4"]?.decision == "answer" && byID["m4"]?.sources == ["precos"])
        #expect(byID["m4"]?.reply?.contains("R$ 70 e dura 40 minutos") == true)
        #expect(byID["m5"]?.decision == "handoff" && (byID["m5"]?.confidence ?? 1) < 0.7)
        #expect(byID["m6"]?.decision == "smalltalk")
        let table = result.output.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(table.contains("answer 2 28.6 %") && table.contains("wait 1 14.3 %"), "\(result.output)")
        #expect(result.output.contains("human_requested"), "\(result.output)")
    }

    @Test func theJSONReportCountsEachDecision() async throws {
        let dir = try directory(["kb.jsonl": Self.kb, "m.jsonl": Self.messages])
        defer { dir.remove() }
        let result = try await ChildProcess.run(atende, [
            "eval", "conversations", "--kb", dir.appending("kb.jsonl"), "--messages", dir.appending("m.jsonl"),
            "--out", dir.appending("out.jsonl"), "--now", "2026-12-07T10:00:00-03:00", "--json",
        ])
        #expect(result.status == 0, "\(result.error)")
        struct Report: Decodable { let messages, faqs, documents: Int; let decisions, handoffReasons: [String: Int] }
        let report = try JSONDecoder().decode(Report.self, from: Data(result.output.utf8))
        #expect(report.messages == 7 && report.faqs == 2 && report.documents == 1)
        #expect(report.decisions == ["answer": 2, "smalltalk": 2, "handoff": 2, "wait": 1])
        #expect(report.handoffReasons["human_requested"] == 1)
    }

    @Test(arguments: [
        (["--now", "yesterday"], Int32(64), "--now"),
        (["--time-zone", "Mars/Olympus"], 64, "Mars/Olympus"),
        (["--missing-kb"], 66, "no such file"),
        (["--bad-message"], 65, "m.jsonl line 2"),
        (["--duplicate-id"], 65, "used by an earlier line"),
    ])
    func aBadInputExitsWithItsCode(_ variant: [String], _ status: Int32, _ words: String) async throws {
        var messages = Self.messages
        if variant == ["--bad-message"] { messages = "{\"id\": \"a\", \"text\": \"oi\"}\n{\"id\": \"b\"}" }
        if variant == ["--duplicate-id"] { messages = "{\"id\": \"a\", \"text\": \"oi\"}\n{\"id\": \"a\", \"text\": \"oi\"}" }
        let dir = try directory(variant == ["--missing-kb"] ? ["m.jsonl": messages] : ["kb.jsonl": Self.kb, "m.jsonl": messages])
        defer { dir.remove() }
        var arguments = ["eval", "conversations", "--kb", dir.appending("kb.jsonl"), "--messages", dir.appending("m.jsonl"),
                         "--out", dir.appending("out.jsonl")]
        if variant.first?.hasPrefix("--") == true, variant.count == 2 { arguments += variant }
        let result = try await ChildProcess.run(atende, arguments)
        #expect(result.status == status, "\(result.error)")
        #expect(result.error.contains(words), "\(result.error)")
    }
}
