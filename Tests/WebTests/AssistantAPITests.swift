import AtendeTesting
import Desk
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Web

/// Settings → Assistant and "try a question" over HTTP: round trips, errors naming the setting,
/// and the model's key never shown.
@Suite struct AssistantAPITests {
    @Test func settingsRoundTripAndAChangeKeepsWhatWasLeftOut() async throws {
        try await TestDesk.with { t in
            try await t.server.makeApplication().test(.router) { client in
                let read = try await client.execute(uri: "/api/v1/assistant/settings", method: .get, headers: t.headers(for: .session(.manager)))
                #expect(read.status == .ok)
                let defaults = try read.json()
                #expect(defaults["human_first_seconds"] as? Int == 60 && defaults["answer_threshold"] as? Double == 0.7)
                #expect((defaults["llm"] as? [String: Any])?["has_key"] as? Bool == false)

                let changed = try await client.execute(uri: "/api/v1/assistant/settings", method: .put, headers: t.headers(for: .session(.admin)),
                                                       body: body(["business_name": "Clínica Sorriso", "human_first_seconds": 30, "tone": "formal",
                                                                   "burst_cap_seconds": 300,
                                                                   "hours": ["days": [["weekday": 2, "intervals": [["start": 840, "end": 1080], ["start": 480, "end": 720]]]],
                                                                             "holidays": ["2026-12-25", "2026-11-20", "2026-12-25"]]]))
                #expect(changed.status == .ok, "\(changed.text)")
                let after = try changed.json()
                #expect(after["business_name"] as? String == "Clínica Sorriso" && after["human_first_seconds"] as? Int == 30)
                #expect(after["burst_cap_seconds"] as? Int == 300)
                // A lunch break: Monday keeps both intervals, in order; holidays sorted, without the repeat.
                let hours = after["hours"] as? [String: Any]
                let monday = (hours?["days"] as? [[String: Any]])?.first { $0["weekday"] as? Int == 2 }
                #expect((monday?["intervals"] as? [[String: Int]]) == [["start": 480, "end": 720], ["start": 840, "end": 1080]])
                #expect(hours?["holidays"] as? [String] == ["2026-11-20", "2026-12-25"])
                #expect(after["tone"] as? String == "formal" && after["time_zone"] as? String == "America/Sao_Paulo")
            }
        }
    }

    @Test func aSettingThatCannotWorkIsNamedAndNothingChanges() async throws {
        try await TestDesk.with { t in
            try await t.server.makeApplication().test(.router) { client in
                for (change, field) in [(["time_zone": "Mars/Olympus"], "time_zone"), (["answer_threshold": 0.2], "answer_threshold"),
                                        (["tone": "sarcastic"], "tone"), (["llm": ["enabled": true, "base_url": "file:///etc/passwd", "model": "m"]], "llm.base_url"),
                                        (["hours": ["days": [["weekday": 9, "intervals": []]]]], "hours"),
                                        (["hours": ["days": [["weekday": 2, "intervals": [["start": 480, "end": 720], ["start": 690, "end": 1080]]]]]], "hours"),
                                        (["hours": ["days": [], "holidays": ["2026-02-30"]]], "hours.holidays"),
                                        (["burst_cap_seconds": 7201], "burst_cap_seconds"), (["burst_cap_seconds": -1], "burst_cap_seconds"),
                                        (["human_first_seconds": 300, "burst_cap_seconds": 120], "burst_cap_seconds")] as [([String: Any], String)] {
                    let refused = try await client.execute(uri: "/api/v1/assistant/settings", method: .put,
                                                           headers: t.headers(for: .session(.admin)), body: body(change))
                    #expect(refused.status == .unprocessableContent || refused.status == .badRequest, "\(change): \(refused.text)")
                    #expect(refused.error?.field == field, "\(change): \(refused.text)")
                }
                #expect(try t.desk.attendant.settings() == AssistantSettings())
                // Operators may look at the assistant but not change it.
                let operatorTry = try await client.execute(uri: "/api/v1/assistant/settings", method: .put,
                                                           headers: t.headers(for: .session(.operator)), body: body(["enabled": false]))
                #expect(operatorTry.status == .forbidden)
            }
        }
    }

    @Test func theModelKeyIsKeptSealedAndOnlySaidToBeSet() async throws {
        try await TestDesk.with { t in
            try await t.server.makeApplication().test(.router) { client in
                let key = "sk-test-\(UUID().uuidString)"
                let kept = try await client.execute(uri: "/api/v1/assistant/llm-key", method: .put, headers: t.headers(for: .session(.admin)),
                                                    body: body(["key": key]))
                #expect(kept.status == .noContent, "\(kept.text)")
                let read = try await client.execute(uri: "/api/v1/assistant/settings", method: .get, headers: t.headers(for: .session(.admin)))
                #expect(!read.text.contains(key))
                #expect((try read.json()["llm"] as? [String: Any])?["has_key"] as? Bool == true)
                let audit = try await client.execute(uri: "/api/v1/audit", method: .get, headers: t.headers(for: .session(.admin)))
                #expect(audit.text.contains("secret:assistant.llm_key") && !audit.text.contains(key))
                let removed = try await client.execute(uri: "/api/v1/assistant/llm-key", method: .delete, headers: t.headers(for: .session(.admin)))
                #expect(removed.status == .noContent)
                #expect(!t.desk.attendant.hasLLMKey)
            }
        }
    }

    @Test func tryingAQuestionShowsTheDecisionAndStoresNothing() async throws {
        try await TestDesk.with { t in
            try await t.server.makeApplication().test(.router) { client in
                let tried = try await client.execute(uri: "/api/v1/assistant/try", method: .post, headers: t.headers(for: .session(.operator)),
                                                     body: body(["text": "Bom dia!"]))
                #expect(tried.status == .ok, "\(tried.text)")
                let json = try tried.json()
                #expect(json["decision"] as? String == "smalltalk" && (json["reply"] as? String)?.isEmpty == false)
                #expect((json["insights"] as? [String: Any])?["intent"] as? String == "greeting")
                let empty = try await client.execute(uri: "/api/v1/assistant/try", method: .post, headers: t.headers(for: .session(.operator)),
                                                     body: body(["text": "   "]))
                #expect(empty.error?.field == "text")
                let agent = try await client.execute(uri: "/api/v1/assistant/try", method: .post, headers: t.headers(for: .session(.agent)),
                                                     body: body(["text": "Oi"]))
                #expect(agent.status == .forbidden)
            }
        }
    }

    /// The intent `/assistant/try` reads in `text`.
    func triedIntent(_ text: String, _ client: some TestClientProtocol, _ t: TestDesk) async throws -> String? {
        let tried = try await client.execute(uri: "/api/v1/assistant/try", method: .post, headers: t.headers(for: .session(.operator)),
                                             body: body(["text": text]))
        #expect(tried.status == .ok, "\(tried.text)")
        return (try tried.json()["insights"] as? [String: Any])?["intent"] as? String
    }

    @Test func aPhraseTheBusinessAddsTeachesTheClassifierThatIntent() async throws {
        try await TestDesk.with { t in
            try await t.server.makeApplication().test(.live) { client in
                let message = "Vocês fazem o combo Zé Colmeia?"
                let before = try await triedIntent(message, client, t)
                #expect(before != "booking")
                let taught = try await client.execute(uri: "/api/v1/assistant/settings", method: .put, headers: t.headers(for: .session(.admin)),
                                                      body: body(["intent_examples": ["booking": ["  quero o combo Zé Colmeia ", "combo zé colmeia pra sábado"]]]))
                #expect(taught.status == .ok, "\(taught.text)")
                let kept = try #require(try taught.json()["intent_examples"] as? [String: [String]])
                #expect(kept == ["booking": ["quero o combo Zé Colmeia", "combo zé colmeia pra sábado"]])
                #expect(try await triedIntent(message, client, t) == "booking")
                // The same settings read back; removing the phrases brings the old reading back.
                let read = try await client.execute(uri: "/api/v1/assistant/settings", method: .get, headers: t.headers(for: .session(.manager)))
                #expect(try read.json()["intent_examples"] as? [String: [String]] == kept)
                let removed = try await client.execute(uri: "/api/v1/assistant/settings", method: .put, headers: t.headers(for: .session(.admin)),
                                                       body: body(["intent_examples": [String: Any]()]))
                #expect(try removed.json()["intent_examples"] as? [String: [String]] == [:])
                #expect(try await triedIntent(message, client, t) == before)
            }
        }
    }

    @Test func examplePhrasesThatCannotWorkAreNamed() async throws {
        try await TestDesk.with { t in
            try await t.server.makeApplication().test(.live) { client in
                let long = String(repeating: "a", count: 201)
                let many = (0...30).map { "frase número \($0)" }
                for (examples, field) in [(["flying": ["x"]], "intent_examples"), (["other": ["x"]], "intent_examples"),
                                          (["booking": ["   "]], "intent_examples.booking"), (["pricing": [long]], "intent_examples.pricing"),
                                          (["hours": many], "intent_examples.hours"), (["payment": ["linha\nquebrada"]], "intent_examples.payment")]
                        as [([String: [String]], String)] {
                    let refused = try await client.execute(uri: "/api/v1/assistant/settings", method: .put,
                                                           headers: t.headers(for: .session(.admin)), body: body(["intent_examples": examples]))
                    #expect(refused.status == .unprocessableContent || refused.status == .badRequest, "\(examples): \(refused.text)")
                    #expect(refused.error?.field == field, "\(examples): \(refused.text)")
                }
                // 11 intents × 20 phrases: each list is within its limit, the whole is not.
                let intents = ["greeting", "pricing", "hours", "location", "booking", "reschedule_cancel", "payment", "order_status",
                               "complaint", "human_request", "thanks_bye"]
                let tooMany = Dictionary(uniqueKeysWithValues: intents.map { intent in (intent, (0..<20).map { "\(intent) \($0)" }) })
                let refused = try await client.execute(uri: "/api/v1/assistant/settings", method: .put,
                                                       headers: t.headers(for: .session(.admin)), body: body(["intent_examples": tooMany]))
                #expect(refused.error?.field == "intent_examples", "\(refused.text)")
                let notAList = try await client.execute(uri: "/api/v1/assistant/settings", method: .put,
                                                        headers: t.headers(for: .session(.admin)), body: body(["intent_examples": ["booking": "x"]]))
                #expect(notAList.status == .badRequest || notAList.status == .unprocessableContent, "\(notAList.text)")
                #expect(try t.desk.attendant.settings() == AssistantSettings())
            }
        }
    }
}
