import AtendeCrypto
import AtendeTesting
import Foundation
import Testing

/// The whole path on the real binary: Meta posts a signed webhook, staff see the message through
/// the API and the live socket, reply, the fake Graph API receives the exact request, and the
/// delivery receipts move the ticks.
@Suite(.serialized) struct WhatsAppEndToEndTests {
    static let appSecret = "e2e-app-secret"
    static let phoneNumberID = "106540352242922"

    @Test func aSignedMessageReachesTheInboxLiveAndTheReplyReachesGraphWithItsTicks() async throws {
        let graph = FakeProvider()
        graph.answer(.json(#"{"messaging_product":"whatsapp","contacts":[{"input":"+34600111222","wa_id":"34600111222"}],"messages":[{"id":"wamid.OUT1"}]}"#))
        try await graph.run { graphURL in
            try await withServer(arguments: ["--whatsapp-graph-url", graphURL]) { server in
                let cookie = try await server.ownerSessionCookie()
                let token = try await server.adminToken(cookie: cookie)
                let api = API(base: server.baseURL, token: token)
                let channel = try await api.json("POST", "/api/v1/channels", [
                    "name": "Front desk", "phone_number_id": Self.phoneNumberID, "waba_id": "102290129340398",
                    "access_token": "EAAG-test-token", "app_secret": Self.appSecret, "verify_token": "verify-me",
                ], expect: 201)
                #expect((channel["secrets"] as? [String: Bool]) == ["access_token": true, "app_secret": true, "verify_token": true])
                #expect(!String(describing: channel).contains("EAAG-test-token"))

                // Meta's verify handshake answers the bare challenge.
                let verify = try await httpRequest("\(server.baseURL)/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444")
                #expect(verify.status == 200 && String(decoding: verify.body, as: UTF8.self) == "1158201444")
                let wrong = try await httpRequest("\(server.baseURL)/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1")
                #expect(wrong.status == 403)

                let (socket, handshake) = try await RawWebSocket.connect(port: server.port, path: "/api/v1/live",
                                                                        headers: [("Cookie", cookie), ("Origin", server.baseURL)])
                let live = try #require(socket, "upgrade refused: \(handshake.status)")
                _ = try await live.nextJSON()      // hello

                // An unsigned or wrongly signed delivery is refused and stores nothing.
                let body = Self.inbound(id: "wamid.IN1", text: #"Hola, \u00bfabr\u00eds el domingo? <script>x</script>"#)
                #expect(try await Self.post(body, to: server, signature: "sha256=" + String(repeating: "0", count: 64)).status == 403)
                #expect(try await Self.post(body, to: server, signature: .some(nil)).status == 403)
                // The same message delivered five times at once is stored once.
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<5 { group.addTask { try await Self.post(body, to: server).status } }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                #expect(statuses == [200, 200, 200, 200, 200])

                let created = try await Self.nextEvent(live, type: "message.created")
                let createdMessage = try #require(created["message"] as? [String: Any])
                #expect(createdMessage["text"] as? String == "Hola, ¿abrís el domingo? <script>x</script>")
                #expect(createdMessage["provider_id"] as? String == "wamid.IN1")

                let conversations = try await api.json("GET", "/api/v1/conversations")
                let items = try #require(conversations["items"] as? [[String: Any]])
                #expect(items.count == 1)
                let conversation = try #require(items.first)
                let conversationID = try #require(conversation["id"] as? String)
                #expect((conversation["contact"] as? [String: Any])?["display_name"] as? String == "Ana Ruiz")
                #expect(conversation["unread"] as? Int == 1 && conversation["window_open"] as? Bool == true)
                let thread = try await api.json("GET", "/api/v1/conversations/\(conversationID)/messages")
                #expect((thread["items"] as? [[String: Any]])?.count == 1)

                // Staff reply; the dispatcher sends it to the fake Graph API.
                let reply = try await api.json("POST", "/api/v1/conversations/\(conversationID)/messages",
                                               ["text": "Sim, das 9h às 13h!"], expect: 201)
                #expect(reply["status"] as? String == "queued")
                let sent = try await Self.eventually { graph.requests.first { $0.path.hasSuffix("/messages") } }
                #expect(sent.method == "POST" && sent.path == "/v22.0/\(Self.phoneNumberID)/messages")
                #expect(sent.headers["authorization"] == "Bearer EAAG-test-token")
                let sentBody = try #require(try JSONSerialization.jsonObject(with: Data(sent.body)) as? NSDictionary)
                #expect(sentBody == [
                    "messaging_product": "whatsapp", "recipient_type": "individual", "to": "+34600111222", "type": "text",
                    "text": ["body": "Sim, das 9h às 13h!", "preview_url": false],
                ] as NSDictionary)
                let replyID = try #require(reply["id"] as? String)
                _ = try await Self.eventually {
                    try await api.json("GET", "/api/v1/messages/\(replyID)")["status"] as? String == "sent" ? true : nil
                }

                // Receipts, out of order: read, then a late delivered; read wins.
                #expect(try await Self.post(Self.status("wamid.OUT1", "read"), to: server).status == 200)
                #expect(try await Self.post(Self.status("wamid.OUT1", "delivered"), to: server).status == 200)
                let byProvider = try await api.json("GET", "/api/v1/messages?provider_id=wamid.OUT1")
                #expect(((byProvider["items"] as? [[String: Any]])?.first)?["status"] as? String == "read")
                let updated = try await Self.nextEvent(live, type: "message.updated") { event in
                    ((event["message"] as? [String: Any])?["status"] as? String) == "read"
                }
                #expect((updated["message"] as? [String: Any])?["id"] as? String == replyID)

                // Opening the conversation marks it read and tells WhatsApp.
                _ = try await api.request("POST", "/api/v1/conversations/\(conversationID)/read", expect: 204)
                let receipt = try await Self.eventually { graph.requests.first { $0.text.contains(#""status":"read""#) } }
                #expect(receipt.text.contains("wamid.IN1"))
                #expect(try await api.json("GET", "/api/v1/conversations/\(conversationID)")["unread"] as? Int == 0)
                #expect(!server.child.errorOutput.contains("EAAG-test-token") && !server.child.errorOutput.contains(Self.appSecret))
            }
        }
    }

    // MARK: Helpers

    static func inbound(id: String, text: String, from: String = "34600111222", name: String = "Ana Ruiz") -> [UInt8] {
        let now = Int(Date().timeIntervalSince1970)
        return Array(#"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550100001","phone_number_id":"\#(phoneNumberID)"},"contacts":[{"profile":{"name":"\#(name)"},"wa_id":"\#(from)"}],"messages":[{"from":"\#(from)","id":"\#(id)","timestamp":"\#(now)","type":"text","text":{"body":"\#(text)"}}]}}]}]}"#.utf8)
    }

    static func status(_ id: String, _ status: String) -> [UInt8] {
        let now = Int(Date().timeIntervalSince1970)
        return Array(#"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550100001","phone_number_id":"\#(phoneNumberID)"},"statuses":[{"id":"\#(id)","status":"\#(status)","timestamp":"\#(now)","recipient_id":"34600111222"}]}}]}]}"#.utf8)
    }

    static func post(_ body: [UInt8], to server: RunningServer, signature: String?? = .none) async throws -> (status: Int, headers: [String: String], body: Data) {
        var headers = ["Content-Type": "application/json"]
        switch signature {
        case .none: headers["X-Hub-Signature-256"] = "sha256=" + (try HMAC.sha256(key: Array(appSecret.utf8), message: body)).hexString
        case .some(.some(let given)): headers["X-Hub-Signature-256"] = given
        case .some(.none): break
        }
        return try await httpRequest("\(server.baseURL)/webhooks/whatsapp", method: "POST", headers: headers, body: Data(body))
    }

    static func nextEvent(_ live: RawWebSocket, type: String, where accept: ([String: Any]) -> Bool = { _ in true }) async throws -> [String: Any] {
        for _ in 0..<50 {
            let frame = try await live.nextJSON()
            if frame["type"] as? String == type, let data = frame["data"] as? [String: Any], accept(data) { return data }
        }
        throw TestFailure("no \(type) event")
    }

    static func eventually<T>(_ probe: () async throws -> T?) async throws -> T {
        for _ in 0..<200 {
            if let value = try await probe() { return value }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("timed out waiting")
    }
}

/// The JSON API with a bearer token.
struct API {
    let base: String
    let token: String

    func request(_ method: String, _ path: String, _ body: [String: Any]? = nil, expect: Int? = nil) async throws -> Data {
        var headers = ["Authorization": "Bearer \(token)"]
        if body != nil { headers["Content-Type"] = "application/json" }
        let response = try await httpRequest(base + path, method: method, headers: headers,
                                             body: try body.map { try JSONSerialization.data(withJSONObject: $0) })
        if let expect, response.status != expect {
            throw TestFailure("\(method) \(path): \(response.status) \(String(decoding: response.body, as: UTF8.self))")
        }
        return response.body
    }

    func json(_ method: String, _ path: String, _ body: [String: Any]? = nil, expect: Int = 200) async throws -> [String: Any] {
        let data = try await request(method, path, body, expect: expect)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}
