import AtendeTesting
import Foundation
import Testing

/// The dispatcher's promise across a kill -9 (issue 9 §1, §4): a reply staff queued is sent at
/// least once — never zero times — whether its job was waiting or halfway through a call to
/// the provider when the process died, and `/metrics` shows the jobs while they wait.
@Suite(.serialized) struct OutboxCrashTests {
    @Test func repliesQueuedOrMidSendWhenTheDaemonIsKilledAreAllSentAfterARestart() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.appending("data"), key = directory.appending("master.key")
        let customers = ["34600111201", "34600111202", "34600111203", "34600111204"]

        // First life: a Graph API that holds every send for 20 s (under the client's 30 s
        // deadline), so the kill finds some jobs running and the rest waiting.
        let hanging = FakeProvider()
        hanging.answer(FakeProvider.Answer(status: 200, body: "{}", delay: .seconds(20)))
        let queued: [String] = try await hanging.run { graphURL in
            try await Self.serve(data: data, key: key, graphURL: graphURL) { server in
                let api = API(base: server.baseURL, token: try await server.adminToken())
                _ = try await api.json("POST", "/api/v1/channels", [
                    "name": "Front desk", "phone_number_id": WhatsAppEndToEndTests.phoneNumberID, "waba_id": "102290129340398",
                    "access_token": "EAAG-crash-token", "app_secret": WhatsAppEndToEndTests.appSecret, "verify_token": "v",
                ], expect: 201)
                for (n, customer) in customers.enumerated() {
                    let body = WhatsAppEndToEndTests.inbound(id: "wamid.IN\(n)", text: "Oi", from: customer)
                    #expect(try await WhatsAppEndToEndTests.post(body, to: server).status == 200)
                }
                let conversations = try #require(try await api.json("GET", "/api/v1/conversations")["items"] as? [[String: Any]])
                #expect(conversations.count == customers.count)
                var ids: [String] = []
                for conversation in conversations {
                    let id = try #require(conversation["id"] as? String)
                    for n in 1...2 {
                        let reply = try await api.json("POST", "/api/v1/conversations/\(id)/messages", ["text": "Resposta \(n) para \(id)"], expect: 201)
                        ids.append(try #require(reply["id"] as? String))
                    }
                }
                _ = try await WhatsAppEndToEndTests.eventually { hanging.requests.count >= 2 ? true : nil }
                // The sends hang, so the running gauge must show them (it follows the runner's count).
                let metrics = try await WhatsAppEndToEndTests.eventually { () async throws -> String? in
                    let text = String(decoding: try await api.request("GET", "/metrics", expect: 200), as: UTF8.self)
                    return (Self.gauge("atende_jobs_running", in: text) ?? 0) >= 1 ? text : nil
                }
                for name in ["atende_jobs_due", "atende_jobs_running", "atende_jobs_failed", "atende_jobs_oldest_due_age_seconds"] {
                    #expect(metrics.contains(name), "\(name) missing from /metrics")
                }
                server.child.signal(SIGKILL)
                _ = try await server.child.wait(timeout: .seconds(10))
                return ids
            }
        }

        // Second life on the same data, with a Graph API that accepts each send with its own id.
        let accepting = FakeProvider()
        accepting.answer(computing: { n in
            .json(#"{"messaging_product":"whatsapp","contacts":[{"input":"+1","wa_id":"1"}],"messages":[{"id":"wamid.OUT\#(n)"}]}"#)
        })
        try await accepting.run { graphURL in
            try await Self.serve(data: data, key: key, graphURL: graphURL) { server in
                let api = API(base: server.baseURL, token: try await Self.signIn(server))
                let sent = try await WhatsAppEndToEndTests.eventually { () -> [[String: Any]]? in
                    var messages: [[String: Any]] = []
                    for id in queued { messages.append(try await api.json("GET", "/api/v1/messages/\(id)")) }
                    return messages.allSatisfy { $0["status"] as? String == "sent" } ? messages : nil
                }
                #expect(Set(sent.compactMap { $0["provider_id"] as? String }).count == queued.count)
                // Every reply reached the provider at least once (a send cut by the kill may go twice).
                let texts = accepting.requests.compactMap { request -> String? in
                    let body = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any]
                    return (body?["text"] as? [String: Any])?["body"] as? String
                }
                for message in sent { #expect(texts.contains(message["text"] as? String ?? "?")) }
                print("FIGURE kill -9 with \(queued.count) replies queued or mid-send: \(queued.count) sent after restart, \(texts.count) provider calls")
            }
        }
    }

    /// `atende serve` on `data` (kept between lives) with the Graph API at `graphURL`.
    static func serve<R>(data: String, key: String, graphURL: String, _ body: (RunningServer) async throws -> R) async throws -> R {
        try await withServer(data: data, masterKey: key, arguments: ["--whatsapp-graph-url", graphURL], body)
    }

    /// An Admin token on a server whose owner exists already (second life): sign in, make one.
    static func signIn(_ server: RunningServer) async throws -> String {
        let login = try await httpRequest("\(server.baseURL)/api/v1/session", method: "POST",
                                          headers: ["Content-Type": "application/json", "X-Atende-CSRF": "1"],
                                          body: try JSONSerialization.data(withJSONObject: [
                                              "email": "owner@example.com", "password": "correct horse battery staple"]))
        let cookie = try #require(login.headers["set-cookie"], "sign-in: \(login.status)")
        return try await server.adminToken(cookie: String(cookie.split(separator: ";")[0]))
    }

    static func gauge(_ name: String, in metrics: String) -> Double? {
        metrics.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }
}

/// Received files live in the store (issue 9 §3): a hot backup holds them, `verify` accepts
/// them, and a restore on another machine's data directory serves the same bytes to staff.
@Suite(.serialized) struct MediaBackupTests {
    @Test func aReceivedPhotoIsInTheBackupAndServedTheSameAfterARestore() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.appending("data"), key = directory.appending("master.key")
        let photo: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + (0..<3000).map { UInt8($0 % 251) }
        let graph = FakeProvider()
        let messageID: String = try await graph.run { graphURL in
            // The media lookup answers with a download URL on the same fake.
            graph.answer(computing: { n in
                n == 0 ? .json(#"{"url":"\#(graphURL)/lookaside/photo","mime_type":"image/png","file_size":"3008","id":"1479537139650973"}"#)
                    : FakeProvider.Answer(status: 200, headers: ["Content-Type": "image/png"], bytes: photo)
            })
            return try await OutboxCrashTests.serve(data: data, key: key, graphURL: graphURL) { server in
                let api = API(base: server.baseURL, token: try await server.adminToken())
                _ = try await api.json("POST", "/api/v1/channels", [
                    "name": "Front desk", "phone_number_id": WhatsAppEndToEndTests.phoneNumberID, "waba_id": "102290129340398",
                    "access_token": "EAAG-media-token", "app_secret": WhatsAppEndToEndTests.appSecret, "verify_token": "v",
                ], expect: 201)
                let now = Int(Date().timeIntervalSince1970)
                let body = Array(#"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550100001","phone_number_id":"\#(WhatsAppEndToEndTests.phoneNumberID)"},"contacts":[{"profile":{"name":"Ana Ruiz"},"wa_id":"34600111222"}],"messages":[{"from":"34600111222","id":"wamid.PHOTO","timestamp":"\#(now)","type":"image","image":{"id":"1479537139650973","mime_type":"image/png","sha256":"x","caption":"A fachada"}}]}}]}]}"#.utf8)
                #expect(try await WhatsAppEndToEndTests.post(body, to: server).status == 200)
                let found = try await api.json("GET", "/api/v1/messages?provider_id=wamid.PHOTO")
                let message = try #require((found["items"] as? [[String: Any]])?.first)
                let id = try #require(message["id"] as? String)
                let served = try await WhatsAppEndToEndTests.eventually { () -> Data? in
                    let response = try await httpRequest("\(server.baseURL)/api/v1/media/\(id)", headers: ["Authorization": "Bearer \(api.token)"])
                    return response.status == 200 ? response.body : nil
                }
                #expect(Array(served) == photo)
                return id
            }
        }

        let atende = BuiltProducts.path("atende")
        let file = directory.appending("backup.atende")
        let backup = try await ChildProcess.run(atende, ["backup", "--data", data, "--master-key", key, file])
        #expect(backup.status == 0, "backup: \(backup.error)")
        let verify = try await ChildProcess.run(atende, ["verify", file])
        #expect(verify.status == 0, "verify: \(verify.error)")
        #expect(verify.output.contains("media"), "verify lists no media: \(verify.output)")
        #expect(!String(decoding: try Data(contentsOf: URL(fileURLWithPath: file)), as: UTF8.self).contains("EAAG-media-token"))

        let restored = directory.appending("restored")
        let restore = try await ChildProcess.run(atende, ["restore", "--data", restored, "--master-key", key, file])
        #expect(restore.status == 0, "restore: \(restore.error)")
        try await OutboxCrashTests.serve(data: restored, key: key, graphURL: "http://127.0.0.1:9") { server in
            let token = try await OutboxCrashTests.signIn(server)
            let response = try await httpRequest("\(server.baseURL)/api/v1/media/\(messageID)", headers: ["Authorization": "Bearer \(token)"])
            #expect(response.status == 200 && Array(response.body) == photo)
        }
    }
}
