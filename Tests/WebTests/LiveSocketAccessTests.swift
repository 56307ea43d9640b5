import AtendeTesting
import Desk
import Foundation
import Testing
import Web

/// Who may open a live socket, what closes it, and how it treats clients that stop answering
/// or reading.
@Suite struct LiveSocketAccessTests {
    @Test func aBrowserOnThisServerOrATokenClientMayConnect() async throws {
        try await LiveServer.with { live in
            _ = try await live.open(.session(.agent))          // Origin: this server
            let (socket, handshake) = try await RawWebSocket.connect(port: live.port, path: "/api/v1/live",
                                                                    headers: live.headers(for: .token(.operator)))
            #expect(handshake.status == 101)
            #expect(try await socket?.nextJSON().type == "hello")
        }
    }

    @Test(arguments: [
        ("a page on another site", Caller.session(.admin), "https://evil.example", ""),
        ("a guest", Caller.guest, nil, ""),
        ("a malformed since", Caller.session(.admin), nil, "?since=abc"),
    ] as [(String, Caller, String?, String)])
    func anUpgradeIsRefused(_ who: String, _ caller: Caller, _ origin: String?, _ query: String) async throws {
        try await LiveServer.with { live in
            let (socket, handshake) = try await RawWebSocket.connect(port: live.port, path: "/api/v1/live\(query)",
                                                                    headers: live.headers(for: caller, origin: origin))
            #expect(socket == nil, "\(who) must not get a socket")
            #expect(handshake.status == 400)
            #expect(live.t.desk.live.subscriberCount == 0)
        }
    }

    @Test func aBearerTokenThatIsNotLiveIsRefused() async throws {
        try await LiveServer.with { live in
            let (socket, handshake) = try await RawWebSocket.connect(port: live.port, path: "/api/v1/live",
                                                                    headers: [("Authorization", "Bearer atd_not-a-token")])
            #expect(socket == nil)
            #expect(handshake.status == 400)
        }
    }

    @Test func thePlainGETExplainsEachRefusalAsJSON() async throws {
        try await LiveServer.with { live in
            let cases: [(Caller, String, [(String, String)], Int, String)] = [
                (.guest, "", [], 401, "unauthenticated"),
                (.token(.agent), "", [], 426, "upgrade_required"),
                (.session(.agent), "?since=abc", [], 422, "invalid_field"),
                (.session(.agent), "", [("Origin", "https://evil.example")], 403, "origin_rejected"),
            ]
            for (caller, query, extra, status, code) in cases {
                let response = try await live.request("GET", "/api/v1/live\(query)", as: caller, headers: extra)
                #expect(response.status == status, "\(caller) \(query)")
                #expect(response.json.errorCode == code)
            }
        }
    }

    @Test func disablingAnAccountClosesItsSocketWith4003() async throws {
        try await LiveServer.with { live in
            let (socket, _) = try await live.open(.session(.operator))
            let response = try await live.request("PATCH", "/api/v1/staff/\(live.t.staff[.operator]!.id)", as: .session(.admin), json: ["disabled": true])
            #expect(response.status == 200)
            #expect(try await socket.closeCode() == 4003)
            // The close is counted for operators, with the other live figures.
            let (status, metrics) = try await live.text("/metrics", as: .token(.admin))
            #expect(status == 200)
            for name in [#"atende_live_closes_total{reason="account_disabled"}"#, "atende_live_sockets", "atende_live_events_sent_total"] {
                #expect(metrics.contains(name), "\(name) missing from /metrics")
            }
        }
    }

    @Test func changingARoleClosesTheSocketWith4002() async throws {
        try await LiveServer.with { live in
            let (socket, _) = try await live.open(.session(.operator))
            let response = try await live.request("PATCH", "/api/v1/staff/\(live.t.staff[.operator]!.id)", as: .session(.admin), json: ["role": "agent"])
            #expect(response.status == 200)
            #expect(try await socket.closeCode() == 4002)
        }
    }

    @Test func loggingOutClosesThatSessionsSocketWith4001() async throws {
        try await LiveServer.with { live in
            let (socket, _) = try await live.open(.session(.agent))
            let (tokenSocket, _) = try await live.open(.token(.agent))
            let response = try await live.request("DELETE", "/api/v1/session", as: .session(.agent))
            #expect(response.status == 204)
            #expect(try await socket.closeCode() == 4001)
            let marker = live.publish(1)
            #expect(try await tokenSocket.nextJSON().seq == marker, "the agent token's socket stays open")
        }
    }

    @Test func revokingATokenClosesItsSocketWith4001() async throws {
        try await LiveServer.with { live in
            let (socket, _) = try await live.open(.token(.operator))
            let response = try await live.request("DELETE", "/api/v1/tokens/\(live.t.tokens[.operator]!.token.id)", as: .session(.admin))
            #expect(response.status == 204)
            #expect(try await socket.closeCode() == 4001)
        }
    }

    @Test func aSessionThatExpiresWhileConnectedClosesItsSocket() async throws {
        try await LiveServer.with(configuration: LiveServer.configuration(revalidate: .milliseconds(100))) { live in
            let (socket, _) = try await live.open(.session(.agent))
            live.t.clock.advance(by: live.t.desk.configuration.sessionIdleTimeout + 1)
            #expect(try await socket.closeCode() == 4001)
        }
    }

    @Test func aClientThatStopsAnsweringPingsIsDropped() async throws {
        // A client that misses one ping is dropped at the next, so the interval is what a starved
        // reader must keep up with: 1 s, then 4 s, were outlasted by the answering client on a
        // loaded 2-core CI box while its pong waited for a free Swift concurrency thread. The
        // test client now answers on its own queue the moment it reads a ping; 6 s is margin for
        // the reading task's start.
        try await LiveServer.with(configuration: LiveServer.configuration(ping: .seconds(6))) { live in
            let (silent, _) = try await live.open(.session(.agent))
            let (answering, _) = try await live.open(.session(.manager))
            // Read (and so answer the pings of) the answering client all along, not only after the
            // silent one is dropped: on a loaded machine that wait can outlast its ping timeout too.
            let firstEvent = Task { try await answering.nextJSON().seq }
            var pings = 0
            var ended = false
            while let frame = try await silent.nextFrame() {
                if case .ping = frame { pings += 1 }
                if case .close = frame { ended = true; break }
            }
            #expect(pings >= 1)
            #expect(ended || live.t.desk.live.subscriberCount <= 1)
            // The one that answers has been through the same pings and is still served.
            let marker = live.publish(1)
            #expect(try await firstEvent.value == marker)
            #expect(try await live.eventually { live.t.desk.live.subscriberCount == 1 })
        }
    }

    @Test func aConnectionThatSendsNoRequestIsClosedAfterTheFirstRequestTimeout() async throws {
        var configuration = LiveServer.configuration()
        // Wide enough that a handshake is decided well within it even when the whole suite runs
        // in parallel on a 2-core CI box (a 2 s deadline once closed a client that had written
        // its request: the event loop, starved, saw the timer before the bytes; 6 s did the same
        // during the suite's start-up herd on a Zen 1 VM).
        configuration.firstRequestTimeout = .seconds(15)
        let deadline = configuration.firstRequestTimeout
        try await LiveServer.with(configuration: configuration) { live in
            let idle = try await RawWebSocket.openIdle(port: live.port, timeout: 30)
            #expect(try await idle.endsWithoutData())
            // A connection that did send its request is not affected by the deadline.
            let (socket, _) = try await live.open(.session(.agent))
            try await Task.sleep(for: deadline + .milliseconds(500))
            let marker = live.publish(1)
            #expect(try await socket.nextJSON().seq == marker)
        }
    }

    @Test func aClientThatStopsReadingIsCutWithoutSlowingTheOthers() async throws {
        var desk = DeskConfiguration()
        desk.live = .init(replayCapacity: 256, queueCapacity: 64)
        // The fast client stays unread while the test drains the slow one: LiveServer's default
        // 10-minute ping period keeps the server from cutting it for "Ping timeout" meanwhile.
        try await LiveServer.with(desk: desk) { live in
            let (slow, _) = try await live.open(.session(.agent), receiveBuffer: 4096)
            let (fast, _) = try await live.open(.session(.operator))
            var expected: UInt64 = live.t.desk.live.currentSeq + 1
            var batches = 0
            // 4 KiB events in batches the fast reader keeps up with, until the slow one is cut.
            while live.t.desk.live.subscriberCount == 2, batches < 2000 {
                for n in 0..<16 { live.publish(n, padding: 4096) }
                for _ in 0..<16 {
                    let event = try await fast.nextJSON()
                    #expect(event.seq == expected)
                    expected += 1
                }
                batches += 1
            }
            #expect(live.t.desk.live.subscriberCount == 1, "the slow client was cut after \(batches) batches")
            // The slow client finds what fitted in the buffers, then the end of the connection.
            var slowEvents = 0
            while let frame = try await slow.nextMessage() {
                if case .text = frame { slowEvents += 1 }
                if case .close(let code, _) = frame { #expect(code == 4008); break }
            }
            #expect(slowEvents < batches * 16)
            let marker = live.publish(1)
            #expect(try await fast.nextJSON().seq == marker)
        }
    }
}
