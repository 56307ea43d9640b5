import AtendeTesting
import Desk
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import ServiceLifecycle
import Testing
import Web

/// A real server on a loopback port for live-socket tests, run in its own ServiceGroup (not
/// HummingbirdTesting's live mode, whose teardown sometimes never returned after short tests),
/// with raw WebSocket connections and plain HTTP requests made as any caller.
struct LiveServer: Sendable {
    let t: TestDesk
    let port: Int

    /// A short close grace so close behaviour shows within a test. Pings every 10 minutes unless
    /// a test asks for a period: a raw client answers pings only while its test reads it, and a
    /// busy 2-core CI machine has stalled a test past the server's 30 s default ("Ping timeout").
    static func configuration(ping: Duration = .seconds(600), revalidate: Duration = .seconds(30)) -> WebConfiguration {
        var configuration = WebConfiguration(port: 0)
        configuration.live.pingInterval = ping
        configuration.live.revalidateInterval = revalidate
        configuration.live.closeGrace = .seconds(1)
        configuration.live.maxClientMessages = 20
        return configuration
    }

    static func with<R: Sendable>(configuration: WebConfiguration = LiveServer.configuration(), desk: DeskConfiguration = DeskConfiguration(),
                                  logger: Logger = .quiet, _ body: @escaping @Sendable (LiveServer) async throws -> R) async throws -> R {
        try await TestDesk.with(configuration: configuration, desk: desk, logger: logger) { t in
            let (ports, listening) = AsyncStream.makeStream(of: Int.self)
            let app = t.server.makeApplication { port in listening.yield(port) }
            let group = ServiceGroup(configuration: .init(services: [app], logger: .quiet))
            return try await withThrowingTaskGroup(of: R?.self) { tasks in
                tasks.addTask { try await group.run(); return nil }
                defer { tasks.cancelAll() }
                var iterator = ports.makeAsyncIterator()
                let port = try #require(await iterator.next())
                do {
                    let result = try await body(LiveServer(t: t, port: port))
                    await group.triggerGracefulShutdown()
                    try await tasks.waitForAll()
                    return result
                } catch {
                    await group.triggerGracefulShutdown()
                    throw error
                }
            }
        }
    }

    /// The upgrade request's headers that make `caller` who they are.
    func headers(for caller: Caller, origin: String? = nil) -> [(String, String)] {
        var headers: [(String, String)] = []
        switch caller {
        case .guest: break
        case .session(let role): headers.append(("Cookie", "atende_sid=\(t.sessions[role]!)"))
        case .token(let role): headers.append(("Authorization", "Bearer \(t.tokens[role]!.secret)"))
        }
        if let origin { headers.append(("Origin", origin)) }
        return headers
    }

    /// This server's own origin, as a browser on the dashboard sends it.
    var ownOrigin: String { "http://127.0.0.1:\(port)" }

    /// An API request as `caller` (with the CSRF header a browser client sends): status and JSON.
    func request(_ method: String, _ path: String, as caller: Caller, json: [String: Any]? = nil,
                 headers extra: [(String, String)] = []) async throws -> (status: Int, json: [String: Any]) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        for (name, value) in headers(for: caller) + extra { request.addValue(value, forHTTPHeaderField: name) }
        request.addValue("1", forHTTPHeaderField: "X-Atende-CSRF")
        if let json {
            request.addValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
        }
        // No cookie store: each request carries exactly the caller's credentials.
        let (data, response) = try await cookieFreeSession.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let object = data.isEmpty ? [:] : (try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:])
        return (status, object)
    }

    /// A plain GET of `path`, as `caller` when given: status and body text.
    func text(_ path: String, as caller: Caller? = nil) async throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        for (name, value) in caller.map({ headers(for: $0) }) ?? [] { request.addValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await cookieFreeSession.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// Opens a live socket as `caller` and reads its hello; fails unless the upgrade succeeds.
    func open(_ caller: Caller, query: String = "", receiveBuffer: Int32? = nil) async throws -> (RawWebSocket, hello: [String: Any]) {
        let (socket, handshake) = try await RawWebSocket.connect(port: port, path: "/api/v1/live\(query)",
                                                                headers: headers(for: caller, origin: ownOrigin),
                                                                receiveBuffer: receiveBuffer)
        let open = try #require(socket, "upgrade refused: \(handshake.status) \(handshake.body)")
        let hello = try await open.nextJSON()
        #expect(hello["type"] as? String == "hello")
        return (open, hello)
    }

    /// Publishes a test event everyone may see and returns its seq.
    @discardableResult
    func publish(_ n: Int, padding: Int = 0) -> UInt64 {
        t.desk.live.publish("test.tick", ["n": String(n), "pad": String(repeating: "x", count: padding)])
    }

    /// Waits until `condition` holds, checking every 20 ms for at most `seconds` (a hang
    /// detector: the suite's start-up herd on a 2-core Zen 1 VM outlasted 5 s).
    func eventually(_ seconds: Double = 30, _ condition: () -> Bool) async throws -> Bool {
        try await poll(every: .milliseconds(20), for: .seconds(seconds)) { condition() ? true : nil } ?? false
    }
}

extension [String: Any] {
    var seq: UInt64? { (self["seq"] as? NSNumber)?.uint64Value }
    var type: String? { self["type"] as? String }
    /// The `code` of an `{"error":{…}}` body.
    var errorCode: String? { (self["error"] as? [String: Any])?["code"] as? String }
}
