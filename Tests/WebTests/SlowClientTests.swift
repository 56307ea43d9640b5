import AtendeTesting
import Foundation
import Testing
import Web

/// Finding 3: slow requests are cut at a deadline, connections are capped per address and
/// overall, and `/healthz` still answers when the caps are full. A real server on a loopback
/// port, clients on raw sockets bound to 127.0.0.2… (not the trusted proxy 127.0.0.1).
@Suite(.serialized) struct SlowClientTests {
    static func configuration(requestTimeout: Duration = .seconds(1), maxConnections: Int = 512, perAddress: Int = 64) -> WebConfiguration {
        var configuration = LiveServer.configuration()
        configuration.requestTimeout = requestTimeout
        configuration.maxConnections = maxConnections
        configuration.maxConnectionsPerAddress = perAddress
        return configuration
    }

    static let loginHead = ["Content-Type": "application/json", "X-Atende-CSRF": "1"]

    @Test(arguments: ["Content-Length: 100000", "Transfer-Encoding: chunked"])
    func aSlowBodyIsAnswered408AtTheRequestDeadline(_ framing: String) async throws {
        try await LiveServer.with(configuration: Self.configuration()) { server in
            let started = Date()
            var clients: [RawHTTPConnection] = []
            for _ in 0..<8 {
                let client = try await RawHTTPConnection.connect(port: server.port, from: "127.0.0.2", timeout: 4)
                let chunked = framing.hasPrefix("Transfer")
                await client.send("POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Atende-CSRF: 1\r\n\(framing)\r\n\r\n"
                                  + (chunked ? "1\r\n{\r\n" : "{"))
                clients.append(client)
            }
            // One byte every 200 ms: never idle, never done.
            for _ in 0..<3 {
                try await Task.sleep(for: .milliseconds(200))
                for client in clients { await client.send(framing.hasPrefix("Transfer") ? "1\r\n \r\n" : " ") }
            }
            var answered = 0
            for client in clients {
                let response = try await client.readResponse()
                if response?.status == 408, response?.errorCode == "request_timeout" { answered += 1 }
                #expect(await client.isClosedByServer())
            }
            let elapsed = Date().timeIntervalSince(started)
            print("FIGURE slow body (\(framing)): \(answered)/8 answered 408 and closed after \(String(format: "%.1f", elapsed)) s (deadline 1 s)")
            #expect(answered == 8)
            #expect(elapsed < 25)    // 1 s deadline; room for a loaded 2-core CI box (10.2 s seen with the whole suite running)
        }
    }

    @Test func slowHeadersOfALaterKeepAliveRequestAreCutToo() async throws {
        try await LiveServer.with(configuration: Self.configuration()) { server in
            let client = try await RawHTTPConnection.connect(port: server.port, from: "127.0.0.2", timeout: 4)
            await client.send(rawRequestHead("GET", "/healthz"))
            #expect(try await client.readResponse()?.status == 200)
            await client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n")
            for _ in 0..<8 {           // a header line every 200 ms, never the blank line
                try await Task.sleep(for: .milliseconds(200))
                guard await client.send("X-Slow: 1\r\n") else { break }
            }
            let response = try await client.readResponse()
            #expect(response?.status == 408)
        }
    }

    @Test func aSlowBodyAfterAnEarlyAnswerIsClosedWithoutASecondAnswer() async throws {
        try await LiveServer.with(configuration: Self.configuration()) { server in
            let client = try await RawHTTPConnection.connect(port: server.port, from: "127.0.0.2", timeout: 4)
            // No CSRF header: refused 403 before the body is read; the body keeps trickling.
            await client.send("POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{")
            #expect(try await client.readResponse()?.status == 403)
            for _ in 0..<8 {
                try await Task.sleep(for: .milliseconds(200))
                guard await client.send(" ") else { break }
            }
            #expect(try await client.readResponse() == nil)      // closed, no stray 408
        }
    }

    @Test func aKeepAliveConnectionIdleBetweenRequestsOutlivesTheDeadline() async throws {
        try await LiveServer.with(configuration: Self.configuration()) { server in
            let client = try await RawHTTPConnection.connect(port: server.port, from: "127.0.0.2", timeout: 4)
            await client.send(rawRequestHead("GET", "/healthz"))
            #expect(try await client.readResponse()?.status == 200)
            try await Task.sleep(for: .milliseconds(2500))       // idle, well past the 1 s deadline
            await client.send(rawRequestHead("GET", "/healthz"))
            #expect(try await client.readResponse()?.status == 200)
        }
    }

    @Test func aLiveSocketOutlivesTheRequestDeadline() async throws {
        try await LiveServer.with(configuration: Self.configuration()) { server in
            let (socket, _) = try await server.open(.session(.agent))
            try await Task.sleep(for: .milliseconds(2500))
            server.publish(1)
            let event = try await socket.nextJSON()
            #expect(event.type == "test.tick")
        }
    }

    @Test func theCapsHoldAndHealthzStillAnswersWhenTheyAreFull() async throws {
        try await LiveServer.with(configuration: Self.configuration(requestTimeout: .seconds(20), maxConnections: 32, perAddress: 8)) { server in
            let head = "POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Atende-CSRF: 1\r\nContent-Length: 100000\r\n\r\n{"
            // Ten slow bodies from one address: the cap is 8.
            var held: [RawHTTPConnection] = [], refused: [RawHTTPConnection.Response] = []
            for _ in 0..<10 {
                let client = try await RawHTTPConnection.connect(port: server.port, from: "127.0.0.2", timeout: 0.5)
                await client.send(head)
                if let response = try? await client.readResponse() { refused.append(response) } else { held.append(client) }
            }
            print("FIGURE per-address cap 8: \(refused.count)/10 refused (\(refused.map(\.status)))")
            #expect(held.count == 8 && refused.count == 2)
            #expect(refused.allSatisfy { $0.status == 429 && $0.errorCode == "too_many_connections" })
            // Three more addresses fill the 32 slots.
            for address in ["127.0.0.3", "127.0.0.4", "127.0.0.5"] {
                for _ in 0..<8 {
                    let client = try await RawHTTPConnection.connect(port: server.port, from: address, timeout: 5)
                    await client.send(head)
                    held.append(client)
                }
            }
            try await Task.sleep(for: .milliseconds(300))
            // The proxy (127.0.0.1) still gets through: the oldest slow request makes room.
            let started = Date()
            let health = try await RawHTTPConnection.connect(port: server.port, timeout: 3)
            await health.send(rawRequestHead("GET", "/healthz"))
            let answer = try await health.readResponse()
            let elapsed = Date().timeIntervalSince(started)
            print("FIGURE /healthz with 32/32 slots held by slow bodies: \(answer?.status ?? 0) in \(String(format: "%.3f", elapsed)) s")
            #expect(answer?.status == 200)
            #expect(elapsed < 1)
            #expect(await held[0].isClosedByServer())          // the first slow body was evicted
            for client in held { client.close() }
        }
    }
}
