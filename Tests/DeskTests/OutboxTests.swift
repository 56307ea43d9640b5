import AtendeTesting
import Channels
import Desk
import Foundation
import Storage
import Testing

/// The one dispatcher against a fake Graph API on loopback: every answer Meta can give.
@Suite struct OutboxTests {
    /// A conversation with the customer's message of now, and a staff reply queued in it.
    func queuedReply(_ f: InboxFixture, _ text: String = "Olá! Como posso ajudar?") async throws -> Message {
        try await f.ingest(f.messages([f.text("wamid.IN", "Oi")]))
        return try await f.desk.outbox.send(.text(text), in: try f.onlyConversation().conversation.id, by: f.owner)
    }

    func reload(_ f: InboxFixture, _ message: Message) throws -> Message { try f.desk.inbox.message(message.id, for: f.owner) }

    @Test func anAcceptedSendRecordsTheProviderIdAndTheExactRequest() async throws {
        let graph = FakeProvider()
        graph.answer(graphAccepted("wamid.OUT"))
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                let queued = try await queuedReply(f)
                #expect(queued.delivery?.state == .queued)
                #expect(try await f.desk.jobs.runDue() == 1)
                let sent = try reload(f, queued)
                #expect(sent.providerID == "wamid.OUT" && sent.delivery?.state == .sent)
                let request = try #require(graph.requests.first)
                #expect(request.path == "/v22.0/\(InboxFixture.phoneNumberID)/messages")
                #expect(request.headers["authorization"] == "Bearer \(InboxFixture.token)")
                #expect(request.text == #"{"messaging_product":"whatsapp","recipient_type":"individual","text":{"body":"Olá! Como posso ajudar?","preview_url":false},"to":"+34600111222","type":"text"}"#)
                // Idempotent: running again sends nothing more.
                #expect(try await f.desk.jobs.runDue() == 0)
                #expect(graph.requests.count == 1)
            }
        }
    }

    @Test func windowClosedFailsAtOnceWithItsReasonAndIsNotRetried() async throws {
        let graph = FakeProvider()
        graph.answer(graphError(131047))
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                let queued = try await queuedReply(f)
                try await f.desk.jobs.runDue()
                f.clock.advance(by: 3600)
                try await f.desk.jobs.runDue()
                let failed = try reload(f, queued)
                #expect(failed.delivery?.state == .failed && failed.delivery?.failureCode == 131047)
                #expect(failed.delivery?.failureReason?.hasPrefix("customer_window_closed") == true)
                #expect(graph.requests.count == 1)
                #expect(try f.desk.jobs.statistics() == JobStatistics())
                // The API names the kind apart from the words, for the dashboard to explain.
                let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(MessageView(failed))) as? [String: Any]
                let error = try #require(json?["error"] as? [String: Any])
                #expect(error["kind"] as? String == "customer_window_closed" && error["code"] as? Int == 131047)
            }
        }
    }

    @Test func rateLimitsWaitWhatTheProviderAsksThenSucceed() async throws {
        let graph = FakeProvider()
        graph.answer(graphError(130429, headers: ["Retry-After": "7"]), graphAccepted("wamid.LATE"))
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                let queued = try await queuedReply(f)
                try await f.desk.jobs.runDue()
                #expect(try reload(f, queued).delivery?.state == .queued)
                f.clock.advance(by: 6)
                #expect(try await f.desk.jobs.runDue() == 0)      // not before the 7 s asked
                f.clock.advance(by: 1.5)
                #expect(try await f.desk.jobs.runDue() == 1)
                #expect(try reload(f, queued).providerID == "wamid.LATE")
                #expect(graph.requests.count == 2)
            }
        }
    }

    @Test func serverErrorsAreRetriedWithBackoffUpToTheLimitThenFail() async throws {
        let graph = FakeProvider()
        graph.answer(.init(status: 503, body: "upstream down"))
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                let queued = try await queuedReply(f)
                for _ in 0..<20 {
                    try await f.desk.jobs.runDue()
                    f.clock.advance(by: 301)                       // past the longest backoff
                }
                let failed = try reload(f, queued)
                #expect(failed.delivery?.state == .failed)
                #expect(failed.delivery?.failureReason?.hasPrefix("provider_unavailable") == true)
                #expect(graph.requests.count == f.desk.jobs.policy.maxAttempts)
            }
        }
    }

    @Test func aProviderThatNeverAnswersIsRetried() async throws {
        let graph = FakeProvider()
        // The timeout also bounds the retry's answer: 8 s, so a starved 2-core box running the
        // whole suite still gets the second answer in time (3 s was seen to be too short in CI).
        graph.answer(.init(status: 200, body: "{}", delay: .seconds(20)), graphAccepted("wamid.AFTER"))
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url, { $0.whatsapp.timeout = .seconds(8) }) { f in
                let queued = try await queuedReply(f)
                try await f.desk.jobs.runDue()                     // times out after 8 s
                #expect(try reload(f, queued).delivery?.state == .queued)
                f.clock.advance(by: 301)
                try await f.desk.jobs.runDue()
                #expect(try reload(f, queued).providerID == "wamid.AFTER")
            }
        }
    }

    @Test func aRefusedTokenPausesTheNumberAlertsAdminsAndStopsFurtherSends() async throws {
        let graph = FakeProvider()
        graph.answer(graphError(190, status: 401))
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                guard case .subscribed(let subscription) = f.desk.live.subscribe(staffID: f.owner.staffID!.description, role: "admin") else {
                    Issue.record("no live subscription"); return
                }
                let queued = try await queuedReply(f)
                try await f.desk.jobs.runDue()
                let failed = try reload(f, queued)
                #expect(failed.delivery?.state == .failed && failed.delivery?.failureCode == 190)
                let channel = try f.desk.channels.get(f.channel.id)
                #expect(channel.status == .paused)
                // Stored as its parts: our reason, Meta's code and Meta's words, and said plainly.
                #expect(channel.pausedReason == PauseReason(reason: "channel_not_authorised", providerCode: 190,
                                                            providerMessage: "error 190: details of 190"))
                #expect(channel.pausedReason?.summary == "Meta refused the access token (190): it is invalid, expired or was revoked.")
                #expect(channel.pausedReason?.action == "Paste a new access token in Settings → Channels; sending resumes when it is saved.")
                let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(f.desk.channels.view(channel))) as? [String: Any]
                let paused = try #require(json?["paused"] as? [String: Any])
                #expect(paused["code"] as? String == "channel_not_authorised" && paused["provider_code"] as? Int == 190)
                #expect(paused["provider_message"] as? String == "error 190: details of 190")
                #expect(paused["summary"] as? String == channel.pausedReason?.summary && paused["action"] as? String == channel.pausedReason?.action)
                #expect(json?["paused_reason"] as? String == "channel_not_authorised: error 190: details of 190")
                f.desk.live.publish("test.end", [String: String]())
                var events: [String] = []
                while case .event(let event)? = await subscription.next(), event.type != "test.end" { events.append(event.type) }
                #expect(events.contains("channel.updated"))
                await expectDeskError(.channelPaused) {
                    _ = try await f.desk.outbox.send(.text("again"), in: failed.conversationID, by: f.owner)
                }
                // A new token resumes it.
                _ = try await f.desk.channels.update(f.channel.id, ChannelInput(secrets: [.accessToken: "EAAG-new"]), resume: false, by: f.owner)
                #expect(try f.desk.channels.get(f.channel.id).status == .active)
            }
        }
    }

    @Test func otherClientErrorsFailOnceWithTheProvidersWords() async throws {
        let graph = FakeProvider()
        graph.answer(graphError(100))
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                let queued = try await queuedReply(f)
                try await f.desk.jobs.runDue()
                let failed = try reload(f, queued)
                #expect(failed.delivery?.state == .failed && failed.delivery?.failureReason?.contains("details of 100") == true)
                #expect(graph.requests.count == 1)
                // Staff press Retry: queued again and sent.
                graph.answer(graphAccepted("wamid.RETRIED"))
                #expect(try await f.desk.outbox.retry(queued.id, by: f.owner).delivery?.state == .queued)
                try await f.desk.jobs.runDue()
                #expect(try reload(f, queued).providerID == "wamid.RETRIED")
                await expectDeskError(.notRetriable) { _ = try await f.desk.outbox.retry(queued.id, by: f.owner) }
            }
        }
    }

    @Test func outsideTheWindowFreeTextIsRefusedNamingTheApprovedTemplates() async throws {
        let graph = FakeProvider()
        graph.answer(.json(#"{"data":[{"id":"77","name":"follow_up","language":"pt_BR","category":"UTILITY","status":"APPROVED","components":[{"type":"BODY","text":"Olá {{1}}, podemos ajudar?"}]},{"id":"78","name":"promo","language":"pt_BR","category":"MARKETING","status":"REJECTED","components":[]}]}"#),
                     graphAccepted("wamid.TPL"))
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                try await f.ingest(f.messages([f.text("wamid.OLD", "Oi")]))
                let id = try f.onlyConversation().conversation.id
                #expect(try await f.desk.templates.sync(by: f.owner).stored == 2)
                f.clock.advance(by: 24 * 3600 + 1)
                let refusal = await expectDeskError(.customerWindowClosed) { _ = try await f.desk.outbox.send(.text("still there?"), in: id, by: f.owner) }
                #expect(refusal?.options == ["follow_up (pt_BR)"])
                await expectDeskError(.invalidField) {
                    _ = try await f.desk.outbox.send(.template(TemplateUse(name: "promo", language: "pt_BR", parameters: [])), in: id, by: f.owner)
                }
                let sent = try await f.desk.outbox.send(.template(TemplateUse(name: "follow_up", language: "pt_BR", parameters: ["Ana"])),
                                                        in: id, by: f.owner)
                #expect(sent.content.text == "Olá Ana, podemos ajudar?")
                try await f.desk.jobs.runDue()
                let request = try #require(graph.requests.last)
                #expect(request.text == #"{"messaging_product":"whatsapp","recipient_type":"individual","template":{"components":[{"parameters":[{"text":"Ana","type":"text"}],"type":"body"}],"language":{"code":"pt_BR"},"name":"follow_up"},"to":"+34600111222","type":"template"}"#)
            }
        }
    }

    @Test func statusesInAnyOrderAndBeforeTheSendIsRecordedEndAtTheFurthest() async throws {
        let graph = FakeProvider()
        graph.answer(graphAccepted("wamid.S"))
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                let queued = try await queuedReply(f)
                // Meta's receipt overtakes our record of the send.
                try await f.ingest(f.status("wamid.S", "delivered"))
                try await f.desk.jobs.runDue()
                #expect(try reload(f, queued).delivery?.state == .delivered)
                for order in [["read", "sent", "delivered"], ["sent", "read", "failed"], ["failed", "delivered", "read"]] {
                    for status in order { try await f.ingest(f.status("wamid.S", status)) }
                    #expect(try reload(f, queued).delivery?.state == .read)
                }
            }
        }
    }

    @Test func aFailedStatusKeepsTheProvidersCodeAndReason() async throws {
        let graph = FakeProvider()
        graph.answer(graphAccepted("wamid.F"))
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                let queued = try await queuedReply(f)
                try await f.desk.jobs.runDue()
                try await f.ingest(f.status("wamid.F", "failed", errorCode: 131047))
                let failed = try reload(f, queued)
                #expect(failed.delivery?.state == .failed && failed.delivery?.failureCode == 131047)
                #expect(failed.delivery?.failureReason?.contains("24 hours") == true)
                // A failure a status webhook reported gets its kind from the code.
                let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(MessageView(failed))) as? [String: Any]
                #expect((json?["error"] as? [String: Any])?["kind"] as? String == "customer_window_closed")
            }
        }
    }

    @Test func theNumbersThroughputSpreadsABurstOverTime() async throws {
        let graph = FakeProvider()
        graph.answer(graphAccepted("wamid.B0"), graphAccepted("wamid.B1"), graphAccepted("wamid.B2"), graphAccepted("wamid.B3"),
                     graphAccepted("wamid.B4"))
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url, { $0.outbox.ratePerNumber = 2 }) { f in
                try await f.ingest(f.messages([f.text("wamid.IN", "Oi")]))
                let id = try f.onlyConversation().conversation.id
                for n in 0..<5 { _ = try await f.desk.outbox.send(.text("line \(n)"), in: id, by: f.owner) }
                try await f.desk.jobs.runDue()
                #expect(graph.requests.count == 2)
                f.clock.advance(by: 1)
                try await f.desk.jobs.runDue()
                #expect(graph.requests.count == 4)
                f.clock.advance(by: 1)
                try await f.desk.jobs.runDue()
                #expect(graph.requests.count == 5)
            }
        }
    }

    @Test func eachQueuedSendWaitsOnceForItsOwnSlotNotEveryTimeOneFreesUp() async throws {
        let graph = FakeProvider()
        graph.answer(computing: { graphAccepted("wamid.Q\($0)") })
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url, { $0.outbox.ratePerNumber = 2 }) { f in
                try await f.ingest(f.messages([f.text("wamid.IN", "Oi")]))
                let id = try f.onlyConversation().conversation.id
                for n in 0..<8 { _ = try await f.desk.outbox.send(.text("line \(n)"), in: id, by: f.owner) }
                // Two go at once (the burst); six are each given a slot, 0.5 s apart.
                var runs = try await f.desk.jobs.runDue()
                #expect(graph.requests.count == 2 && runs == 8)
                for step in 1...6 {
                    f.clock.advance(by: 0.5)
                    runs += try await f.desk.jobs.runDue()
                    #expect(graph.requests.count == 2 + step)
                }
                // Every waiting job ran twice (its slot, then its send), not once per freed slot.
                #expect(runs == 8 + 6)
                #expect(try f.thread(f.onlyConversation()).filter { $0.direction == .outbound }.allSatisfy { $0.delivery?.state == .sent })
            }
        }
    }

    @Test func aSendWaitingForItsSlotKeepsTheAttemptsItHasMade() async throws {
        let graph = FakeProvider()
        graph.answer(FakeProvider.Answer(status: 503), graphAccepted("wamid.B"), graphAccepted("wamid.A"))
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url, { $0.outbox.ratePerNumber = 1 }) { f in
                try await f.ingest(f.messages([f.text("wamid.IN", "Oi")]))
                let id = try f.onlyConversation().conversation.id
                let a = try await f.desk.outbox.send(.text("first"), in: id, by: f.owner)
                _ = try await f.desk.outbox.send(.text("second"), in: id, by: f.owner)
                // A is refused (503: retried within a second); B waits for the next slot.
                try await f.desk.jobs.runDue()
                #expect(try f.desk.jobs.job("send.\(a.id)")?.attempts == 1)
                // A comes back while B holds the slot: A waits for the one after, still one attempt down.
                f.clock.advance(by: 1)
                try await f.desk.jobs.runDue()
                let waiting = try #require(try f.desk.jobs.job("send.\(a.id)"))
                #expect(waiting.attempts == 1 && waiting.state == .pending)
                #expect(waiting.lastError?.contains("503") == true, "\(waiting.lastError ?? "")")
                #expect(graph.requests.count == 2)
                f.clock.advance(by: 1)
                try await f.desk.jobs.runDue()
                #expect(try f.desk.jobs.job("send.\(a.id)") == nil)
                #expect(graph.requests.count == 3)
            }
        }
    }
}
