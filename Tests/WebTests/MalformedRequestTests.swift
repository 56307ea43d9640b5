import AtendeTesting
import Foundation
import Logging
import Testing
import Web

/// Findings 6, 7, 9 and 10 over real sockets: what a client gets for a request the HTTP parser
/// refuses or a body over the limit, what such clients make us log, and request ids.
@Suite(.serialized) struct MalformedRequestTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let bytes: [UInt8]
        let status: Int
        let code: String
    }

    static let cases: [Case] = [
        Case(testDescription: "a header block over 80 KiB is 431",
             bytes: Array(("GET /healthz HTTP/1.1\r\nHost: x\r\n" + (0..<90).map { "X-Pad-\($0): \(String(repeating: "v", count: 1000))\r\n" }.joined() + "\r\n").utf8),
             status: 431, code: "headers_too_large"),
        Case(testDescription: "1,100 headers are 431",
             bytes: Array(("GET /healthz HTTP/1.1\r\nHost: x\r\n" + (0..<1100).map { "X-H\($0): v\r\n" }.joined() + "\r\n").utf8),
             status: 431, code: "headers_too_large"),
        Case(testDescription: "a URL over 80 KiB is 414",
             bytes: Array(("GET /" + String(repeating: "a", count: 82 * 1024) + " HTTP/1.1\r\nHost: x\r\n\r\n").utf8),
             status: 414, code: "uri_too_long"),
        Case(testDescription: "Content-Length with Transfer-Encoding is 400",
             bytes: Array("POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n".utf8),
             status: 400, code: "malformed_request"),
        Case(testDescription: "two different Content-Lengths are 400",
             bytes: Array("POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!".utf8),
             status: 400, code: "malformed_request"),
        Case(testDescription: "bare LF line ends are 400",
             bytes: Array("GET /healthz HTTP/1.1\nHost: x\n\n".utf8), status: 400, code: "malformed_request"),
        Case(testDescription: "an HTTP/0.9 request is 400",
             bytes: Array("GET /healthz\r\n\r\n".utf8), status: 400, code: "malformed_request"),
    ]

    @Test(arguments: cases)
    func aMalformedRequestGetsAStatusThenTheConnectionCloses(_ c: Case) async throws {
        try await LiveServer.with { server in
            let client = try await RawHTTPConnection.connect(port: server.port, timeout: 3)
            await client.send(c.bytes)
            let response = try await client.readResponse()
            print("FIGURE malformed, \(c.testDescription): \(response.map { "\($0.status) \($0.errorCode ?? "-")" } ?? "closed with nothing")")
            #expect(response?.status == c.status)
            #expect(response?.errorCode == c.code)
            #expect(response?.headers["connection"] == "close")
            #expect(await client.isClosedByServer())
        }
    }

    @Test func aMalformedSecondRequestOnAKeepAliveConnectionGetsAStatusToo() async throws {
        try await LiveServer.with { server in
            let client = try await RawHTTPConnection.connect(port: server.port, timeout: 3)
            await client.send(rawRequestHead("GET", "/healthz"))
            #expect(try await client.readResponse()?.status == 200)
            await client.send("POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!")
            let response = try await client.readResponse()
            #expect(response?.status == 400 && response?.errorCode == "malformed_request")
        }
    }

    @Test func aChunkedBodyOverOneMebibyteIs413() async throws {
        try await LiveServer.with { server in
            let client = try await RawHTTPConnection.connect(port: server.port, timeout: 5)
            await client.send("POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Atende-CSRF: 1\r\nTransfer-Encoding: chunked\r\n\r\n")
            let chunk = "10000\r\n" + String(repeating: "a", count: 0x10000) + "\r\n"
            for _ in 0..<17 { guard await client.send(chunk) else { break } }      // 1.06 MiB
            await client.send("0\r\n\r\n")
            let response = try await client.readResponse()
            print("FIGURE chunked body of 1.06 MiB: \(response?.status ?? 0) \(response?.errorCode ?? "-")")
            #expect(response?.status == 413)
            #expect(response?.errorCode == "body_too_large")
        }
    }

    @Test func requestIDsAreRandomNotACounter() async throws {
        // A logger that keeps metadata: a no-op one drops `hb.request.id`, and ids would come
        // from the fallback instead of the server's own.
        try await LiveServer.with(logger: LogRecorder().logger()) { server in
            var ids: [String] = []
            for _ in 0..<5 {
                let client = try await RawHTTPConnection.connect(port: server.port, timeout: 3)
                await client.send(rawRequestHead("GET", "/api/v1/nothing-here"))
                ids.append(try #require(try await client.readResponse()?.requestID))
            }
            print("FIGURE request ids: \(ids.joined(separator: " "))")
            #expect(Set(ids).count == ids.count)
            #expect(ids.allSatisfy { $0.count == 16 && $0.allSatisfy(\.isHexDigit) })
            // A counter shows as consecutive values (or a shared prefix with a changing tail).
            let values = ids.compactMap { UInt64($0, radix: 16) }
            #expect(zip(values, values.dropFirst()).allSatisfy { $1 &- $0 > 1_000_000 && $0 &- $1 > 1_000_000 })
        }
    }

    @Test func clientsThatHangUpOrStallLogNothingAtErrorLevel() async throws {
        let recorder = LogRecorder()
        var configuration = LiveServer.configuration()
        // The first-request guard is wider than the request deadline, so the half-sent head is
        // answered 408 by the deadline even on a starved CI box, never cut by the guard first.
        configuration.firstRequestTimeout = .seconds(4)
        configuration.requestTimeout = .milliseconds(500)
        try await LiveServer.with(configuration: configuration, logger: recorder.logger()) { server in
            // Hangs up mid-body.
            let hangUp = try await RawHTTPConnection.connect(port: server.port, from: "127.0.0.2")
            await hangUp.send("POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Atende-CSRF: 1\r\nContent-Length: 100\r\n\r\n{\"email\": \"a")
            try await Task.sleep(for: .milliseconds(200))
            hangUp.close()
            // Never sends a request: the first-request guard cuts it.
            let silent = try await RawHTTPConnection.connect(port: server.port, from: "127.0.0.2", timeout: 20)
            #expect(await silent.isClosedByServer())
            // Sends half a request head: the deadline cuts it.
            let stalled = try await RawHTTPConnection.connect(port: server.port, from: "127.0.0.2", timeout: 20)
            await stalled.send("GET /healthz HTTP/1.1\r\n")
            #expect(try await stalled.readResponse()?.status == 408)
            // Sends garbage.
            let garbage = try await RawHTTPConnection.connect(port: server.port, from: "127.0.0.2", timeout: 3)
            await garbage.send("\u{1}\u{2} nonsense\r\n\r\n")
            _ = try? await garbage.readResponse()
            try await Task.sleep(for: .milliseconds(500))
        }
        let errors = recorder.records(atLeast: .error)
        print("FIGURE error-level records from client misbehaviour: \(errors.count) \(errors.map(\.message))")
        #expect(errors.isEmpty, "\(errors.map { "\($0.message) \($0.metadata)" })")
    }
}
