import AtendeTesting
import Foundation
import Testing

/// Booking by chat on the real binary against a fake Graph API: a Portuguese and a Spanish
/// customer ask for a cleaning, get up to three free times as a WhatsApp list, choose one, and
/// get the confirmation; staff see the bookings appear live and in the API; in the binary's next
/// life, its clock moved past the reminder, Ana gets the reminder and confirms with a tap.
@Suite(.serialized) struct BookingEndToEndTests {
    typealias E2E = WhatsAppEndToEndTests

    /// What Graph was asked to send to `to`: each message's JSON.
    static func sent(_ graph: FakeProvider, to: String) -> [[String: Any]] {
        graph.requests.filter { $0.path.hasSuffix("/messages") }.compactMap { request in
            (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any]
        }.filter { $0["to"] as? String == "+" + to && $0["type"] as? String != nil }
    }

    static func listRows(_ message: [String: Any]) -> [[String: Any]] {
        let interactive = message["interactive"] as? [String: Any]
        let sections = (interactive?["action"] as? [String: Any])?["sections"] as? [[String: Any]]
        return sections?.first?["rows"] as? [[String: Any]] ?? []
    }

    static func listReply(id: String, rowID: String, title: String, from: String, name: String) -> [UInt8] {
        let now = Int(Date().timeIntervalSince1970)
        return Array(#"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550100001","phone_number_id":"\#(E2E.phoneNumberID)"},"contacts":[{"profile":{"name":"\#(name)"},"wa_id":"\#(from)"}],"messages":[{"from":"\#(from)","id":"\#(id)","timestamp":"\#(now)","type":"interactive","interactive":{"type":"list_reply","list_reply":{"id":"\#(rowID)","title":"\#(title)"}}}]}}]}]}"#.utf8)
    }

    @Test func customersBookACleaningByChatInPortugueseAndSpanishAndStaffSeeItLive() async throws {
        let graph = FakeProvider()
        graph.answer(computing: { .json(#"{"messaging_product":"whatsapp","contacts":[{"input":"1","wa_id":"1"}],"messages":[{"id":"wamid.OUT\#($0)"}]}"#) })
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let (data, key) = (directory.appending("data"), directory.appending("master.key"))
        try await graph.run { graphURL in
            let (token, ana, reminderDue) = try await withServer(data: data, masterKey: key, arguments: ["--whatsapp-graph-url", graphURL]) { server in
                let cookie = try await server.ownerSessionCookie()
                let token = try await server.adminToken(cookie: cookie)
                let api = API(base: server.baseURL, token: token)
                _ = try await api.json("POST", "/api/v1/channels", [
                    "name": "Front desk", "phone_number_id": E2E.phoneNumberID, "waba_id": "102290129340398",
                    "access_token": "EAAG-test-token", "app_secret": E2E.appSecret, "verify_token": "verify-me",
                ], expect: 201)
                _ = try await api.json("PUT", "/api/v1/assistant/settings", ["business_name": "Clínica Sol", "human_first_seconds": 1])
                let staff = try #require((try await api.json("GET", "/api/v1/staff")["items"] as? [[String: Any]])?.first?["id"] as? String)
                // Open every hour of every day: the test does not depend on when it runs.
                _ = try await api.json("PUT", "/api/v1/availability/\(staff)", [
                    "days": (1...7).map { ["weekday": $0, "intervals": [["start": 0, "end": 1440]]] },
                ])
                _ = try await api.json("PUT", "/api/v1/calendar/settings", ["address": "Rua das Flores, 10"])
                _ = try await api.json("POST", "/api/v1/services", ["name": "Limpeza", "duration_minutes": 60, "price_cents": 15_000,
                                                                    "staff_ids": [staff]], expect: 201)
                let (socket, handshake) = try await RawWebSocket.connect(port: server.port, path: "/api/v1/live",
                                                                        headers: [("Cookie", cookie), ("Origin", server.baseURL)])
                let live = try #require(socket, "upgrade refused: \(handshake.status)")
                _ = try await live.nextJSON()      // hello

                // Portuguese: the times offered as a list, the first chosen by tapping it.
                let ana = "5511987654321"
                #expect(try await E2E.post(E2E.inbound(id: "wamid.A1", text: "Oi, quero marcar uma limpeza amanhã às 14h", from: ana, name: "Ana"),
                                           to: server).status == 200)
                let offer = try await E2E.eventually { Self.sent(graph, to: ana).first }
                let rows = Self.listRows(offer)
                #expect(rows.count == 3 && rows.contains { ($0["title"] as? String)?.hasSuffix("14:00") == true }, "\(offer)")
                let first = try #require(rows.first)
                #expect(try await E2E.post(Self.listReply(id: "wamid.A2", rowID: first["id"] as? String ?? "", title: first["title"] as? String ?? "",
                                                          from: ana, name: "Ana"), to: server).status == 200)
                let bookedAt = Date()
                let confirmation = try await E2E.eventually { Self.sent(graph, to: ana).count >= 2 ? Self.sent(graph, to: ana)[1] : nil }
                let text = (confirmation["text"] as? [String: Any])?["body"] as? String ?? ""
                #expect(text.contains("Agendamento confirmado") && text.contains("Limpeza") && text.contains("R$ 150,00")
                        && text.contains("Rua das Flores, 10") && text.contains("cancelar"), "\(text)")
                let booked = try await E2E.nextEvent(live, type: "appointment.created")
                #expect(booked["source"] as? String == "assistant" && booked["contact_name"] as? String == "Ana")

                // Spanish: "la segunda" in words.
                let luis = "34600999888"
                #expect(try await E2E.post(E2E.inbound(id: "wamid.L1", text: "Hola, quiero reservar una limpieza mañana por la tarde",
                                                       from: luis, name: "Luis"), to: server).status == 200)
                let oferta = try await E2E.eventually { Self.sent(graph, to: luis).first }
                let filas = Self.listRows(oferta)
                #expect(filas.count == 3, "\(oferta)")
                #expect(try await E2E.post(E2E.inbound(id: "wamid.L2", text: "la segunda", from: luis, name: "Luis"), to: server).status == 200)
                let confirmacion = try await E2E.eventually { Self.sent(graph, to: luis).count >= 2 ? Self.sent(graph, to: luis)[1] : nil }
                #expect(((confirmacion["text"] as? [String: Any])?["body"] as? String)?.contains("Cita confirmada") == true, "\(confirmacion)")
                _ = try await E2E.nextEvent(live, type: "appointment.created") { $0["contact_name"] as? String == "Luis" }

                // Staff see both in the calendar, at the times chosen.
                let from = ISO8601DateFormatter().string(from: Date())
                let listed = try #require(try await api.json("GET", "/api/v1/appointments?from=\(from)")["items"] as? [[String: Any]])
                #expect(listed.count == 2)
                #expect(Set(listed.compactMap { $0["contact_name"] as? String }) == ["Ana", "Luis"])
                // Ana's first reminder: 24 h before when that was still ahead at booking, else 2 h.
                let hers = try #require(listed.first { $0["contact_name"] as? String == "Ana" })
                let start = try #require((hers["start"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) })
                let due = start.addingTimeInterval(-24 * 3600) > bookedAt ? start.addingTimeInterval(-24 * 3600) : start.addingTimeInterval(-2 * 3600)
                return (token, try #require(hers["id"] as? String), due)
            }

            // The next life of the same data runs with its clock (Debian's faketime, in `make
            // test-deps`; monotonic time untouched) just past that reminder: the durable job sends it as buttons — the
            // customer wrote less than 24 hours before — and "Confirmar" confirms the appointment.
            let offset = Int(reminderDue.timeIntervalSinceNow.rounded(.up)) + 20
            try await withServer(data: data, masterKey: key, arguments: ["--whatsapp-graph-url", graphURL],
                                 environment: ["FAKETIME_DONT_FAKE_MONOTONIC": "1"], launcher: ["/usr/bin/faketime", "-f", "+\(offset)"]) { server in
                let api = API(base: server.baseURL, token: token)
                let anaPhone = "5511987654321"
                let reminder: [String: Any]
                do {
                    reminder = try await E2E.eventually {
                        Self.sent(graph, to: anaPhone).first { ($0["interactive"] as? [String: Any])?["type"] as? String == "button" }
                    }
                } catch {
                    let appointment = try? await api.json("GET", "/api/v1/appointments/\(ana)")
                    throw TestFailure("no reminder: \(error); appointment \(appointment ?? [:]); server: \(server.child.errorOutput.suffix(4000))")
                }
                let interactive = try #require(reminder["interactive"] as? [String: Any])
                let body = ((interactive["body"] as? [String: Any])?["text"] as? String) ?? ""
                let buttons = ((interactive["action"] as? [String: Any])?["buttons"] as? [[String: Any]] ?? [])
                    .compactMap { ($0["reply"] as? [String: Any])?["title"] as? String }
                #expect(body.contains("Limpeza") && buttons == ["Confirmar", "Remarcar", "Cancelar"], "\(reminder)")
                let reminded = try await api.json("GET", "/api/v1/appointments/\(ana)")
                #expect((reminded["reminders"] as? [[String: Any]])?.first?["message_id"] is String, "\(reminded)")

                // Answer at once: this life's timers run on faked wall time over real monotonic time.
                _ = try await api.json("PUT", "/api/v1/assistant/settings", ["human_first_seconds": 0])
                let tapped = Array(#"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550100001","phone_number_id":"\#(E2E.phoneNumberID)"},"contacts":[{"profile":{"name":"Ana"},"wa_id":"\#(anaPhone)"}],"messages":[{"from":"\#(anaPhone)","id":"wamid.A3","timestamp":"\#(Int(Date().timeIntervalSince1970) + offset)","type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"appointment.confirm","title":"Confirmar"}}}]}}]}]}"#.utf8)
                #expect(try await E2E.post(tapped, to: server).status == 200)
                let confirmed: [String: Any]
                do {
                    confirmed = try await E2E.eventually {
                        let now = try await api.json("GET", "/api/v1/appointments/\(ana)")
                        return now["status"] as? String == "confirmed" ? now : nil
                    }
                } catch {
                    let appointment = try? await api.json("GET", "/api/v1/appointments/\(ana)")
                    let thread = try? await api.json("GET", "/api/v1/conversations/\(appointment?["conversation_id"] as? String ?? "")/messages")
                    let metrics = try? await httpRequest("\(server.baseURL)/metrics", headers: ["Authorization": "Bearer \(token)"])
                    let jobs = String(decoding: metrics?.body ?? Data(), as: UTF8.self).split(separator: "\n").filter { $0.contains("job") && !$0.hasPrefix("#") }
                    throw TestFailure("not confirmed: \(error); thread \((thread?["items"] as? [[String: Any]])?.prefix(3) ?? []); jobs \(jobs); appointment \(appointment ?? [:]); sent \(Self.sent(graph, to: anaPhone).suffix(2)); server: \(server.child.errorOutput.suffix(3000))")
                }
                #expect(confirmed["version"] as? Int == 1)
            }
        }
    }
}
