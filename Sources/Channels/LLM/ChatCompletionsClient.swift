import Foundation

/// An OpenAI-compatible chat model (OpenAI, Ollama, llama.cpp's server, vLLM): `POST
/// {baseURL}/chat/completions` (wire-protocols.md §6.2). The base URL includes the `/v1` the
/// providers put there (`http://localhost:11434/v1` for Ollama), so any of them is one setting.
///
/// Bounded: each attempt has its own deadline (10 s by default) and a failure that may pass —
/// no answer, a timeout, 408, 409, 429 other than an exhausted quota, 5xx — is tried once more.
/// The key is sent only in the Authorization header and never appears in an error.
public struct ChatCompletionsClient: Sendable {
    public struct Message: Sendable, Equatable {
        public var role: String
        public var content: String
        public init(role: String, content: String) { (self.role, self.content) = (role, content) }
        public static func system(_ content: String) -> Message { Message(role: "system", content: content) }
        public static func user(_ content: String) -> Message { Message(role: "user", content: content) }
    }

    public let http: CurlClient
    public let baseURL: String
    public let model: String
    /// The deadline of one attempt.
    public var timeout: Duration = .seconds(10)
    /// Attempts after the first, for failures that may pass.
    public var retries = 1
    /// The pause before a retry when the provider does not say how long (`Retry-After`).
    public var retryDelay: Duration = .milliseconds(500)

    public init(http: CurlClient, baseURL: String, model: String) {
        self.http = http
        var base = baseURL.trimmingCharacters(in: .whitespaces)
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.model = model
    }

    /// The model's reply to `messages`.
    /// - Throws: `ChannelError` — `.timeout`/`.unreachable`/`.transport` when no answer came (after
    ///   the retry), `.providerError` when the provider refused (its status and message, never the
    ///   key), `.malformedPayload` when the answer is not a chat completion.
    public func complete(_ messages: [Message], apiKey: String?, temperature: Double = 0.2,
                         maxTokens: Int = 300) async throws(ChannelError) -> String {
        let body: [String: Any] = [
            "model": model,
            "messages": messages.map { ["role": $0.role, "content": $0.content] },
            "temperature": temperature,
            "max_tokens": maxTokens,
            "stream": false,
        ]
        let bytes: [UInt8]
        do { bytes = Array(try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) } catch {
            throw ChannelError(.malformedPayload, "the chat request could not be encoded")
        }
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json"), ("Accept", "application/json")]
        if let apiKey, !apiKey.isEmpty { headers.append(("Authorization", "Bearer \(apiKey)")) }
        let request = OutboundRequest(method: "POST", url: "\(baseURL)/chat/completions", headers: headers, body: bytes, timeout: timeout)

        var attempt = 0
        while true {
            attempt += 1
            let outcome: Result<OutboundResponse, ChannelError>
            do { outcome = .success(try await http.send(request)) } catch { outcome = .failure(error) }
            switch outcome {
            case .success(let response) where (200..<300).contains(response.status):
                return try Self.content(of: response.body)
            case .success(let response):
                let refusal = Self.refusal(response)
                guard attempt <= retries, Self.mayPass(response, refusal: refusal) else { throw refusal }
                try await pause(RetryAfter.seconds(response.header("retry-after")))
            case .failure(let error):
                guard attempt <= retries, [.timeout, .unreachable, .transport].contains(error.code) else { throw error }
                try await pause(nil)
            }
        }
    }

    /// Waits before a retry: the provider's `Retry-After` when it is short, else `retryDelay`.
    private func pause(_ providerSeconds: Double?) async throws(ChannelError) {
        let wait: Duration = if let providerSeconds, providerSeconds <= 5 { .milliseconds(Int(providerSeconds * 1000)) } else { retryDelay }
        do { try await Task.sleep(for: wait) } catch { throw ChannelError(.cancelled, "the chat request was cancelled") }
    }

    /// The first choice's text.
    static func content(of body: [UInt8]) throws(ChannelError) -> String {
        guard let root = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            throw ChannelError(.malformedPayload, "the chat provider's answer is not JSON")
        }
        if let error = root["error"] as? [String: Any] {
            throw ChannelError(.providerError, "the chat provider answered an error: \(Self.text(error["message"]) ?? "no message")")
        }
        guard let choices = root["choices"] as? [[String: Any]], let message = choices.first?["message"] as? [String: Any],
              let content = message["content"] as? String else {
            throw ChannelError(.malformedPayload, "the chat provider's answer has no choices[0].message.content")
        }
        return content
    }

    /// The provider's refusal as an error: its status and its own message, shortened.
    static func refusal(_ response: OutboundResponse) -> ChannelError {
        let root = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        let error = (root?["error"] as? [String: Any]) ?? root
        var said = text(error?["message"]) ?? text(root?["error"]) ?? "no message"
        if said.count > 300 { said = String(said.prefix(299)) + "…" }
        return ChannelError(.providerError, "the chat provider answered HTTP \(response.status): \(said)")
    }

    /// Whether trying again may help: the openai-python rule (408, 409, 429, 5xx; the provider's
    /// `x-should-retry` wins) — but an exhausted quota is a 429 that waiting does not fix.
    static func mayPass(_ response: OutboundResponse, refusal: ChannelError) -> Bool {
        if let said = response.header("x-should-retry") { return said == "true" }
        if refusal.message.contains("insufficient_quota") || String(decoding: response.body, as: UTF8.self).contains("insufficient_quota") {
            return false
        }
        return [408, 409, 429].contains(response.status) || response.status >= 500
    }

    private static func text(_ value: Any?) -> String? { (value as? String).flatMap { $0.isEmpty ? nil : $0 } }
}
