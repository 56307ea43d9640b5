import AtendeTesting
import Channels
import Foundation
import Testing

/// The OpenAI-compatible chat client against a fake provider on loopback: the request as
/// §6.2 writes it, one retry for what may pass, none for what will not, and the key never in an error.
@Suite struct ChatCompletionsClientTests {
    static let completion = #"{"id":"chatcmpl-1","object":"chat.completion","created":1767261600,"model":"m","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"Abrimos às 9h."}}],"usage":{"prompt_tokens":5,"completion_tokens":4,"total_tokens":9}}"#

    func client(_ base: String, timeout: Duration = .seconds(10)) -> ChatCompletionsClient {
        var client = ChatCompletionsClient(http: CurlClient(), baseURL: "\(base)/v1/", model: "llama3.2")
        client.timeout = timeout
        client.retryDelay = .milliseconds(10)
        return client
    }

    @Test func theRequestIsAChatCompletionWithTheKeyInTheHeaderOnly() async throws {
        let provider = FakeProvider()
        provider.answer(.json(Self.completion))
        try await provider.run { base in
            let reply = try await client(base).complete([.system("Answer from the context."), .user("Que horas abrem?")], apiKey: "sk-abc")
            #expect(reply == "Abrimos às 9h.")
            let request = try #require(provider.requests.first)
            #expect(request.method == "POST" && request.path == "/v1/chat/completions")
            #expect(request.headers["authorization"] == "Bearer sk-abc")
            let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
            #expect(body["model"] as? String == "llama3.2" && body["stream"] as? Bool == false)
            let messages = try #require(body["messages"] as? [[String: String]])
            #expect(messages == [["role": "system", "content": "Answer from the context."], ["role": "user", "content": "Que horas abrem?"]])
        }
    }

    @Test func aServerErrorIsTriedOnceMoreAndThenSucceeds() async throws {
        let provider = FakeProvider()
        provider.answer(.json(#"{"error":{"message":"overloaded","type":"server_error"}}"#, status: 503), .json(Self.completion))
        try await provider.run { base in
            let reply = try await client(base).complete([.user("Oi")], apiKey: nil)
            #expect(reply == "Abrimos às 9h.")
            #expect(provider.requests.count == 2)
            #expect(provider.requests[0].headers["authorization"] == nil)
        }
    }

    @Test func anExhaustedQuotaIsNotRetriedAndTheErrorKeepsTheKeyOut() async throws {
        let provider = FakeProvider()
        provider.answer(.json(#"{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}"#, status: 429))
        try await provider.run { base in
            do {
                _ = try await client(base).complete([.user("Oi")], apiKey: "sk-secret-key")
                Issue.record("an exhausted quota answered")
            } catch let error as ChannelError {
                #expect(error.code == .providerError && error.message.contains("429") && !error.description.contains("sk-secret-key"))
            }
            #expect(provider.requests.count == 1)
        }
    }

    /// Two attempts of one second each, both timed out: the client waited at least twice its
    /// timeout. (Under load the provider may not have read the first request before the client gave
    /// up, so the provider's own count is only a lower bound.)
    @Test func aSlowModelTimesOutTwiceAndSaysSo() async throws {
        let provider = FakeProvider()
        provider.answer(FakeProvider.Answer(status: 200, body: Self.completion, delay: .seconds(4)))
        try await provider.run { base in
            let clock = ContinuousClock()
            let started = clock.now
            do {
                _ = try await client(base, timeout: .seconds(1)).complete([.user("Oi")], apiKey: nil)
                Issue.record("a model slower than the timeout answered")
            } catch let error as ChannelError {
                #expect(error.code == .timeout)
            }
            #expect(clock.now - started >= .seconds(2))
            #expect((1...2).contains(provider.requests.count))
        }
    }

    @Test func anAnswerThatIsNotACompletionIsMalformed() async throws {
        let provider = FakeProvider()
        provider.answer(.json(#"{"choices":[]}"#))
        try await provider.run { base in
            do {
                _ = try await client(base).complete([.user("Oi")], apiKey: nil)
                Issue.record("an empty completion answered")
            } catch let error as ChannelError {
                #expect(error.code == .malformedPayload)
            }
        }
    }
}
