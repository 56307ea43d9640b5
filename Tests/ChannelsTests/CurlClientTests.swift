import AtendeTesting
import Channels
import Foundation
import Testing

@Suite struct CurlClientTests {
    @Test func aPostCarriesItsHeadersAndBodyAndTheAnswerComesBackWhole() async throws {
        let provider = FakeProvider()
        provider.answer(.json(#"{"messages":[{"id":"wamid.1"}]}"#, headers: ["X-Request-Id": "r1"]))
        let client = CurlClient()
        try await provider.run { base in
            let body = Array(#"{"to":"5511912345678","text":{"body":"café \u0000 ok"}}"#.utf8) + [0, 1, 2]
            let response = try await client.send(OutboundRequest(method: "POST", url: "\(base)/v21.0/106540352242922/messages",
                                                                 headers: [("Authorization", "Bearer EAAG-secret"), ("Content-Type", "application/json")],
                                                                 body: body))
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == #"{"messages":[{"id":"wamid.1"}]}"#)
            #expect(response.header("x-request-id") == "r1")
            let seen = try #require(provider.requests.first)
            #expect(seen.method == "POST" && seen.path == "/v21.0/106540352242922/messages")
            #expect(seen.headers["authorization"] == "Bearer EAAG-secret")
            #expect(seen.body == body)                                   // byte for byte, NULs included
            #expect(seen.headers["expect"] == nil)
        }
    }

    @Test func anErrorStatusIsAnAnswerNotAThrow() async throws {
        let provider = FakeProvider()
        provider.answer(.json(#"{"error":{"code":130429,"message":"(#130429) Rate limit hit"}}"#, status: 429, headers: ["Retry-After": "7"]))
        try await provider.run { base in
            let response = try await CurlClient().send(OutboundRequest(url: "\(base)/x"))
            #expect(response.status == 429)
            #expect(response.header("Retry-After") == "7")
            #expect(GraphError.classify(status: response.status, body: response.body, retryAfter: response.header("retry-after")).retryAfter == 7)
        }
    }

    @Test func aProviderThatHangsIsCutAtTheDeadlineWithAClearError() async throws {
        let provider = FakeProvider()
        // The provider would answer at 15 s; the bound proves the 300 ms deadline cut it, with
        // room for a busy machine (a shared 2-core CI box took 2 s).
        provider.answer(FakeProvider.Answer(delay: .seconds(15)))
        try await provider.run { base in
            let started = ContinuousClock.now
            do {
                _ = try await CurlClient().send(OutboundRequest(url: "\(base)/slow?access_token=SECRET", timeout: .milliseconds(300)))
                Issue.record("no timeout")
            } catch let error as ChannelError {
                #expect(error.code == .timeout)
                #expect(!error.message.contains("SECRET"))               // queries never reach messages
            }
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }

    @Test func aClosedPortIsUnreachable() async throws {
        let port = try freeLoopbackPort()
        do {
            _ = try await CurlClient().send(OutboundRequest(url: "http://127.0.0.1:\(port)/"))
            Issue.record("a closed port answered")
        } catch {
            #expect(error.code == .unreachable)
        }
    }

    @Test func anAnswerOverTheLimitIsRefused() async throws {
        let provider = FakeProvider()
        provider.answer(FakeProvider.Answer(body: String(repeating: "x", count: 70_000)))
        var configuration = CurlClient.Configuration()
        configuration.maxResponseBytes = 64 * 1024
        let client = CurlClient(configuration: configuration)
        try await provider.run { base in
            do {
                _ = try await client.send(OutboundRequest(url: "\(base)/big"))
                Issue.record("no error")
            } catch let error as ChannelError {
                #expect(error.code == .responseTooLarge)
            }
        }
    }

    @Test func onlyHTTPAndHTTPSAreSpoken() async {
        for url in ["file:///etc/passwd", "gopher://127.0.0.1/", "not a url"] {
            do { _ = try await CurlClient().send(OutboundRequest(url: url)); Issue.record("\(url) was fetched") } catch {
                #expect(error.code == .transport)
            }
        }
    }

    @Test func requestsInARowReuseTheirConnection() async throws {
        let provider = FakeProvider()
        let client = CurlClient()
        try await provider.run { base in
            for _ in 0..<3 { _ = try await client.send(OutboundRequest(url: "\(base)/ping")) }
            #expect(Set(provider.requests.map(\.clientPort)).count == 1, "\(provider.requests.map(\.clientPort))")
        }
    }

    @Test func aCancelledSendEndsPromptly() async throws {
        let provider = FakeProvider()
        provider.answer(FakeProvider.Answer(delay: .seconds(15)))
        try await provider.run { base in
            let started = ContinuousClock.now
            let task = Task { try await CurlClient().send(OutboundRequest(url: "\(base)/hang", timeout: .seconds(30))) }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            let result = await task.result
            guard case .failure(let error as ChannelError) = result else { Issue.record("\(result)"); return }
            #expect(error.code == .cancelled)
            #expect(ContinuousClock.now - started < .seconds(10))     // the provider would answer at 15 s
        }
    }
}
