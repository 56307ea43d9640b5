import AtendeTesting
import Desk
import Foundation
import Storage
import Testing

/// Templates managed from Atende (issue 9 §5): submitted to the number's account, edited,
/// deleted, with what Meta would refuse refused here first, naming the field.
@Suite struct TemplateManagementTests {
    static let body = #"[{"type":"BODY","text":"Olá {{1}}, sua consulta é {{2}}.","example":{"body_text":[["Ana","amanhã às 14h"]]}},{"type":"FOOTER","text":"Clínica Sorriso"}]"#

    func draft(_ f: InboxFixture, name: String = "lembrete_consulta", category: String = "utility",
               components: String = body) -> TemplateDraft {
        TemplateDraft(channelID: f.channel.id, name: name, language: "pt_BR", category: category, components: components)
    }

    @Test func aNewTemplateIsSubmittedToTheAccountAndKeptPending() async throws {
        let graph = FakeProvider()
        graph.answer(.json(#"{"id":"594425479261596","status":"PENDING","category":"UTILITY"}"#))
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                let template = try await f.desk.templates.create(draft(f), by: f.owner)
                #expect(template.status == "PENDING" && template.providerID == "594425479261596" && template.category == "UTILITY")
                #expect(template.parameterCount == 2)
                #expect(template.render(["Ana", "sexta 9h"]) == "Olá Ana, sua consulta é sexta 9h.")
                let request = try #require(graph.requests.first)
                #expect(request.method == "POST" && request.path == "/v22.0/102290129340398/message_templates")
                #expect(request.headers["authorization"] == "Bearer \(InboxFixture.token)")
                let sent = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
                #expect(sent["name"] as? String == "lembrete_consulta" && sent["language"] as? String == "pt_BR")
                #expect(sent["category"] as? String == "UTILITY")
                let components = try #require(sent["components"] as? [[String: Any]])
                #expect(components.map { $0["type"] as? String } == ["BODY", "FOOTER"])
                #expect(try f.desk.templates.list(channel: f.channel.id).map(\.name) == ["lembrete_consulta"])

                // The same name and language again is a conflict, and Meta is not asked.
                await #expect(throws: DeskError.self) { try await f.desk.templates.create(draft(f), by: f.owner) }
                #expect(graph.requests.count == 1)
            }
        }
    }

    @Test(arguments: [
        ("Lembrete", "utility", TemplateManagementTests.body, "name"),
        ("ok", "promo", TemplateManagementTests.body, "category"),
        ("ok", "utility", #"[{"type":"FOOTER","text":"x"}]"#, "components"),
        ("ok", "utility", #"[{"type":"BODY","text":"Olá {{1}} e {{3}}.","example":{"body_text":[["a","b"]]}}]"#, "components[0].text"),
        ("ok", "utility", #"[{"type":"BODY","text":"Olá {{1}}, tudo bem?"}]"#, "components[0].example.body_text"),
        ("ok", "utility", #"[{"type":"BODY","text":"{{1}} chegou"}]"#, "components[0].text"),
        ("ok", "utility", #"{"type":"BODY"}"#, "components"),
        ("ok", "utility", #"[{"type":"BODY","text":"a"},{"type":"BODY","text":"b"}]"#, "components[1].type"),
        ("ok", "utility", #"[{"type":"BODY","text":"a"},{"type":"BUTTONS","buttons":[{"type":"URL","text":"Ver","url":"http://x"}]}]"#, "components[1].buttons[0].url"),
        ("ok", "utility", #"[{"type":"BODY","text":"a"},{"type":"BUTTONS","buttons":[{"type":"URL","text":"Ver","url":"https://x/{{1}}"}]}]"#, "components[1].buttons[0].example"),
        ("ok", "utility", #"[{"type":"HEADER","format":"TEXT","text":"Pedido {{1}}"},{"type":"BODY","text":"a"}]"#, "components[0].example.header_text"),
        ("ok", "utility", #"[{"type":"BODY","text":"a"},{"type":"FOOTER","text":"Até {{1}}"}]"#, "components[1].text"),
        ("ok", "utility", #"[{"type":"BODY","text":"Olá {{+1}}!","example":{"body_text":[["Ana"]]}}]"#, "components[0].text"),
        ("ok", "utility", #"[{"type":"HEADER","format":"TEXT","text":""},{"type":"BODY","text":"a"}]"#, "components[0].text"),
        ("ok", "utility", #"[{"type":"BODY","text":"a"},{"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Sim"},{"type":"QUICK_REPLY","text":"Um texto longo demais para um botão"}]}]"#, "components[1].buttons[1].text"),
        ("ok", "utility", #"[{"type":"BODY","text":"a"},{"type":"BUTTONS","buttons":[{"type":"CALL","text":"Ligar"}]}]"#, "components[1].buttons[0].type"),
        ("ok", "utility", #"[{"type":"BODY","text":"a"},{"type":"SIGNATURE"}]"#, "components[1].type"),
        ("ok", "utility", #"[{"type":"HEADER","format":"GIF"},{"type":"BODY","text":"a"}]"#, "components[0].format"),
    ])
    func whatMetaWouldRefuseIsRefusedHereNamingTheField(name: String, category: String, components: String, field: String) async throws {
        let graph = FakeProvider()
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                let error = await #expect(throws: DeskError.self) {
                    try await f.desk.templates.create(draft(f, name: name, category: category, components: components), by: f.owner)
                }
                #expect(error?.field == field)
                #expect(graph.requests.isEmpty)
            }
        }
    }

    @Test func metasRefusalComesBackInItsOwnWordsAndNothingIsKept() async throws {
        let graph = FakeProvider()
        graph.answer(.json(#"{"error":{"message":"Invalid parameter","type":"OAuthException","code":100,"error_subcode":2388299,"error_user_title":"Variables can't be at the start or end","error_user_msg":"Variables can't be at the start or end of the template.","fbtrace_id":"x"}}"#, status: 400))
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                let error = await #expect(throws: DeskError.self) { try await f.desk.templates.create(draft(f), by: f.owner) }
                // A validation refusal names the part of the request it is about: here the body's text.
                #expect(error?.code == .invalidField && error?.field == "components[0].text")
                let words = error?.message ?? ""
                #expect(words.range(of: "Variables can't be at the start or end of the template.") != nil && words.range(of: "(code 100)") != nil, "\(words)")
                let kept = try f.desk.templates.list(channel: nil)
                #expect(kept.isEmpty)
            }
        }
    }

    static let fullTemplate = #"[{"type":"HEADER","format":"TEXT","text":"Consulta"},{"type":"BODY","text":"Olá {{1}}, até amanhã.","example":{"body_text":[["Ana"]]}},{"type":"FOOTER","text":"Clínica Sorriso"},{"type":"BUTTONS","buttons":[{"type":"URL","text":"Ver","url":"https://example.com/c"}]}]"#

    struct Refusal: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let error: String
        /// The field named, or nil for a refusal that is not about the request (502).
        let field: String?
    }

    static func graphRefusal(code: Int, subcode: Int? = nil, message: String, details: String? = nil, title: String? = nil, user: String? = nil) -> String {
        var fields = [#""message":"\#(message)""#, #""type":"OAuthException""#, #""code":\#(code)"#, #""fbtrace_id":"AX1""#]
        if let subcode { fields.append(#""error_subcode":\#(subcode)"#) }
        if let details { fields.append(#""error_data":{"messaging_product":"whatsapp","details":"\#(details)"}"#) }
        if let title { fields.append(#""error_user_title":"\#(title)""#) }
        if let user { fields.append(#""error_user_msg":"\#(user)""#) }
        return "{\"error\":{" + fields.joined(separator: ",") + "}}"
    }

    @Test(arguments: [
        Refusal(testDescription: "details quoting the parameter", error: graphRefusal(
            code: 100, message: "(#100) Invalid parameter", details: "Param components[0]['text'] must be at most 60 characters long."),
                field: "components[0].text"),
        Refusal(testDescription: "a button's url, quoted with brackets", error: graphRefusal(
            code: 100, message: "(#100) Invalid parameter", details: "components[3][buttons][0][url] is not a valid URL"),
                field: "components[3].buttons[0].url"),
        Refusal(testDescription: "the body's variables at its end (2388299), said to people", error: graphRefusal(
            code: 100, subcode: 2388299, message: "Invalid parameter", title: "Variables can't be at the start or end",
            user: "Variables can't be at the start or end of the template."), field: "components[1].text"),
        Refusal(testDescription: "a footer rule, said to people", error: graphRefusal(
            code: 100, subcode: 2388040, message: "Invalid parameter", title: "Footer format incorrect",
            user: "The footer can't contain variables, emojis or formatting."), field: "components[2].text"),
        Refusal(testDescription: "the name", error: graphRefusal(
            code: 100, message: "(#100) Param name must be lowercase alphanumeric"), field: "name"),
        Refusal(testDescription: "a validation error that says nothing of where", error: graphRefusal(
            code: 100, subcode: 2388047, message: "Invalid parameter", user: "Something in this template is not allowed."),
                field: "components"),
        Refusal(testDescription: "the account's template limit (2388019) is not a field", error: graphRefusal(
            code: 100, subcode: 2388019, message: "Invalid parameter", user: "You have reached the limit of message templates."),
                field: nil),
        Refusal(testDescription: "an expired token is not a field", error: graphRefusal(
            code: 190, message: "Error validating access token: Session has expired"), field: nil),
    ])
    func metasRefusalOfATemplateNamesTheFieldItIsAbout(_ refusal: Refusal) async throws {
        let graph = FakeProvider()
        graph.answer(.json(refusal.error, status: 400))
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                let error = await #expect(throws: DeskError.self) {
                    try await f.desk.templates.create(draft(f, components: Self.fullTemplate), by: f.owner)
                }
                #expect(graph.requests.count == 1)
                if let field = refusal.field {
                    #expect(error?.code == .invalidField && error?.field == field, "\(String(describing: error))")
                } else {
                    #expect(error?.code == .providerRefused && error?.field == nil, "\(String(describing: error))")
                }
                #expect(error?.message.hasPrefix("WhatsApp refused to create the template: ") == true)
                let kept = try f.desk.templates.list(channel: nil)
                #expect(kept.isEmpty)
            }
        }
    }

    @Test func metasRefusalOfAnEditNamesTheFieldToo() async throws {
        let graph = FakeProvider()
        graph.answer(.json(#"{"data":[{"id":"1689556908129835","name":"boas_vindas","language":"pt_BR","category":"UTILITY","status":"APPROVED","components":[{"type":"BODY","text":"Oi!"}]}]}"#),
                     .json(Self.graphRefusal(code: 100, message: "(#100) Invalid parameter",
                                             details: "Param components[1]['text'] must be at most 1024 characters long."), status: 400))
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                try await f.desk.templates.sync(by: f.owner)
                let synced = try #require(try f.desk.templates.list(channel: nil).first)
                let error = await #expect(throws: DeskError.self) {
                    try await f.desk.templates.edit(synced.id, components: Self.fullTemplate, by: f.owner)
                }
                #expect(error?.code == .invalidField && error?.field == "components[1].text")
                #expect(error?.message == "WhatsApp refused to edit the template: Param components[1]['text'] must be at most 1024 characters long. (code 100)")
                #expect(try f.desk.templates.get(synced.id).status == "APPROVED")
            }
        }
    }

    @Test func anApprovedTemplateIsEditedAgainForReviewAndThenDeleted() async throws {
        let graph = FakeProvider()
        graph.answer(.json(#"{"data":[{"id":"1689556908129835","name":"boas_vindas","language":"pt_BR","category":"UTILITY","status":"APPROVED","components":[{"type":"BODY","text":"Oi!"}]}]}"#),
                     .json(#"{"success":true}"#), .json(#"{"success":true}"#))
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                try await f.desk.templates.sync(by: f.owner)
                let synced = try #require(try f.desk.templates.list(channel: nil).first)
                let edited = try await f.desk.templates.edit(synced.id, components: #"[{"type":"BODY","text":"Olá, seja bem-vindo!"}]"#, by: f.owner)
                #expect(edited.status == "PENDING" && edited.body == "Olá, seja bem-vindo!")
                let edit = graph.requests[1]
                #expect(edit.method == "POST" && edit.path == "/v22.0/1689556908129835")
                #expect(edit.text.contains(#""components":[{"text":"Olá, seja bem-vindo!","type":"BODY"}]"#))

                // A pending template cannot be edited again until Meta decides.
                await #expect(throws: DeskError.self) {
                    try await f.desk.templates.edit(synced.id, components: #"[{"type":"BODY","text":"x"}]"#, by: f.owner)
                }
                try await f.desk.templates.delete(synced.id, by: f.owner)
                let delete = graph.requests[2]
                #expect(delete.method == "DELETE" && delete.path == "/v22.0/102290129340398/message_templates")
                #expect(delete.query == "hsm_id=1689556908129835&name=boas_vindas")
                #expect(try f.desk.templates.list(channel: nil).isEmpty)
                let actions = try f.desk.listAudit(try PageRequest(cursor: nil, limit: 50)).items.map(\.action.rawValue)
                #expect(actions.contains("template.updated") && actions.contains("template.deleted"))
            }
        }
    }

    @Test func aNumberMetaRefusesIsNamedAndTheOthersStillSync() async throws {
        let graph = FakeProvider()
        graph.answer(.json(#"{"data":[{"id":"1","name":"oi","language":"pt_BR","category":"UTILITY","status":"APPROVED","components":[{"type":"BODY","text":"Oi"}]}]}"#),
                     graphError(190, status: 401))
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                _ = try await f.desk.channels.create(
                    ChannelInput(name: "Filial", phoneNumberID: "106540352242999", wabaID: "102290129340999",
                                 secrets: [.accessToken: "other-token", .appSecret: "s", .verifyToken: "v"]), by: f.owner)
                let report = try await f.desk.templates.sync(by: f.owner)
                // Numbers sync in list order: the first gets the list, the second the refusal.
                let second = try f.desk.channels.list()[1].name
                #expect(report.stored == 1)
                #expect(report.failures.count == 1 && report.failures[0].hasPrefix("\(second): WhatsApp refused"), "\(report.failures)")
                #expect(!report.failures.joined().contains("other-token"))

                // When every number fails, the sync fails.
                await #expect(throws: DeskError.self) { try await f.desk.templates.sync(by: f.owner) }
            }
        }
    }

    @Test func disconnectingANumberRemovesItsTemplatesButKeepsItsConversations() async throws {
        let graph = FakeProvider()
        graph.answer(.json(#"{"data":[{"id":"1","name":"oi","language":"pt_BR","category":"UTILITY","status":"APPROVED","components":[{"type":"BODY","text":"Oi"}]}]}"#))
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                try await f.desk.templates.sync(by: f.owner)
                try await f.ingest(f.messages([f.text("wamid.A", "Olá")]))
                try await f.desk.channels.delete(f.channel.id, by: f.owner)
                #expect(try f.desk.templates.list(channel: nil).isEmpty)
                #expect(try f.onlyConversation().conversation.channelID == f.channel.id)
            }
        }
    }
}
