import AtendeTesting
import Desk
import Foundation
import Testing
import Web

/// What a live socket delivers: hello, events in seq order, replay after a reconnect, reload
/// when the gap cannot be filled, only the events the role may see, and limits on clients.
@Suite struct LiveStreamTests {
    @Test func aSocketSaysHelloThenDeliversEachEventInSeqOrder() async throws {
        try await LiveServer.with { live in
            let (socket, hello) = try await live.open(.session(.operator))
            let current = try #require((hello["current_seq"] as? NSNumber)?.uint64Value)
            #expect(current == live.t.desk.live.currentSeq)
            #expect(hello["replay"] as? Int == 0)
            #expect(hello["ping_interval_s"] as? Int == 600)  // LiveServer.configuration's period
            for n in 1...3 { live.publish(n) }
            for n in 1...3 {
                let event = try await socket.nextJSON()
                #expect(event.seq == current + UInt64(n))
                #expect(event.type == "test.tick")
                #expect((event["data"] as? [String: String])?["n"] == String(n))
            }
        }
    }

    @Test func aClientThatReconnectsWithItsLastSeqReceivesWhatItMissed() async throws {
        try await LiveServer.with { live in
            let (first, _) = try await live.open(.session(.agent))
            let seen = live.publish(1)
            #expect(try await first.nextJSON().seq == seen)
            first.drop()
            let missed = [live.publish(2), live.publish(3)]
            let (second, hello) = try await live.open(.session(.agent), query: "?since=\(seen)")
            #expect(hello["replay"] as? Int == 2)
            #expect(try await second.nextJSON().seq == missed[0])
            #expect(try await second.nextJSON().seq == missed[1])
            let next = live.publish(4)
            #expect(try await second.nextJSON().seq == next)
        }
    }

    @Test func aClientTooFarBehindOrFromAnEarlierRunIsToldToReload() async throws {
        var desk = DeskConfiguration()
        desk.live = .init(replayCapacity: 8, queueCapacity: 4)
        try await LiveServer.with(desk: desk) { live in
            for n in 1...20 { live.publish(n) }
            for since in [1, live.t.desk.live.currentSeq + 100] {
                let (socket, handshake) = try await RawWebSocket.connect(
                    port: live.port, path: "/api/v1/live?since=\(since)", headers: live.headers(for: .session(.admin)))
                let open = try #require(socket, "\(handshake.status)")
                let reload = try await open.nextJSON()
                #expect(reload.type == "reload")
                #expect((reload["current_seq"] as? NSNumber)?.uint64Value == live.t.desk.live.currentSeq)
                #expect(try await open.closeCode() == 4000)
            }
        }
    }

    @Test func staffChangesReachAdminsAndManagersButNotAgents() async throws {
        try await LiveServer.with { live in
            let (admin, _) = try await live.open(.session(.admin))
            let (agent, _) = try await live.open(.session(.agent))
            let response = try await live.request("PATCH", "/api/v1/staff/\(live.t.staff[.operator]!.id)", as: .session(.admin),
                                                  json: ["name": "Renamed Operator"])
            #expect(response.status == 200)
            let event = try await admin.nextJSON()
            #expect(event.type == "staff.updated")
            #expect((event["data"] as? [String: Any])?["name"] as? String == "Renamed Operator")
            let marker = live.publish(99)
            let first = try await agent.nextJSON()
            #expect(first.seq == marker, "the agent's first event is the marker, not the staff change")
        }
    }

    @Test func aClientSendingTooManyMessagesIsClosedWithPolicyViolation() async throws {
        try await LiveServer.with { live in
            let (socket, _) = try await live.open(.session(.agent))
            for _ in 0...20 { try await socket.send(text: "{}") }
            #expect(try await socket.closeCode() == 1008)
        }
    }

    @Test func aClientMessageOverTheSizeLimitClosesTheSocket() async throws {
        try await LiveServer.with { live in
            let (socket, _) = try await live.open(.session(.agent))
            try await socket.send(text: String(repeating: "x", count: 10_000))
            #expect(try await socket.closeCode() == 1009)
        }
    }

    @Test func aSessionOverItsSocketLimitIsClosedWith4029() async throws {
        var desk = DeskConfiguration()
        desk.live = .init(maxPerCredential: 2)
        try await LiveServer.with(desk: desk) { live in
            let kept = try await (live.open(.session(.agent)).0, live.open(.session(.agent)).0)
            let (third, handshake) = try await RawWebSocket.connect(port: live.port, path: "/api/v1/live",
                                                                   headers: live.headers(for: .session(.agent)))
            let refused = try #require(third, "\(handshake.status)")
            #expect(try await refused.closeCode() == 4029)
            _ = try await live.open(.token(.agent))   // another credential of the same role is not affected
            _ = kept
        }
    }

    @Test func everySubscriptionIsReleasedWhenItsSocketCloses() async throws {
        try await LiveServer.with { live in
            var sockets: [RawWebSocket] = []
            for role in Role.allCases { sockets.append(try await live.open(.session(role)).0) }
            #expect(live.t.desk.live.subscriberCount == 4)
            try await sockets[0].sendClose()
            sockets[1].drop()
            #expect(try await live.eventually { live.t.desk.live.subscriberCount == 2 })
        }
    }
}
