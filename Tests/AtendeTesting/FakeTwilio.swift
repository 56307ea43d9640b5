import AtendeCrypto
import Foundation
import Synchronization

/// Twilio's REST API played on a loopback port (wire-protocols.md §5.6), built on `FakeProvider`:
///
/// - `POST /2010-04-01/Accounts/{sid}/Messages.json` answers 201 with a Message resource whose
///   `sid` is `SM` and 32 hex digits, new for each send, `status` `queued`, `num_segments` `"1"`;
/// - `GET /2010-04-01/Accounts/{sid}.json` answers the account;
/// - media registered with `serveMedia` is served at its path, and `redirect` answers a path with
///   a redirect (as Twilio's media URLs redirect to its storage host);
/// - anything else is Twilio's 20404.
///
/// When made with an `authToken`, a request without the matching Basic credentials gets Twilio's
/// 20003 (HTTP 401). `failSends` makes the next sends (or all) fail with a Twilio error body.
public final class FakeTwilio: Sendable {
    public let provider = FakeProvider()
    private let state: State

    public init(authToken: String? = nil) {
        state = State(authToken: authToken)
        provider.answer(routing: { [state] request in state.answer(request) })
    }

    /// Runs the fake on a free loopback port for the length of `body`, which gets its base URL
    /// (the `apiURL` of a `TwilioClient`).
    public func run<R: Sendable>(_ body: @escaping @Sendable (String) async throws -> R) async throws -> R {
        try await provider.run(body)
    }

    /// Every request received, in order.
    public var requests: [FakeProvider.Recorded] { provider.requests }

    /// The form of each send that was answered 201, decoded (the first value of a repeated name).
    public var sentMessages: [[String: String]] { state.locked { $0.sent } }

    /// The SIDs given to those sends, in order.
    public var sentSIDs: [String] { state.locked { $0.sids } }

    /// Fails the next `count` sends (every one when nil) with Twilio error `code` and HTTP `status`,
    /// the body as §5.6 shows it.
    public func failSends(code: Int, status: Int, message: String? = nil, count: Int? = 1, retryAfter: String? = nil) {
        state.locked {
            $0.failure = Failure(code: code, status: status, message: message ?? "Twilio error \(code)", remaining: count, retryAfter: retryAfter)
        }
    }

    /// Serves `bytes` as `contentType` at `path` (GET).
    public func serveMedia(at path: String, bytes: [UInt8], contentType: String) {
        state.locked { $0.media[path] = (bytes, contentType) }
    }

    /// Answers GET `path` with `status` and `Location: location` (a path or a full URL).
    public func redirect(from path: String, to location: String, status: Int = 307) {
        state.locked { $0.redirects[path] = (location, status) }
    }

    struct Failure {
        var code: Int, status: Int, message: String, remaining: Int?, retryAfter: String?
    }

    struct Snapshot {
        var sent: [[String: String]] = []
        var sids: [String] = []
        var failure: Failure?
        var media: [String: (bytes: [UInt8], contentType: String)] = [:]
        var redirects: [String: (location: String, status: Int)] = [:]
        var counter = 0
    }

    final class State: Sendable {
        let authToken: String?
        private let snapshot = Mutex(Snapshot())
        init(authToken: String?) { self.authToken = authToken }

        func locked<R>(_ body: (inout Snapshot) -> R) -> R { snapshot.withLock { body(&$0) } }

        func answer(_ request: FakeProvider.Recorded) -> FakeProvider.Answer {
            let parts = request.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            if request.method == "GET", let redirect = locked({ $0.redirects[request.path] }) {
                return FakeProvider.Answer(status: redirect.status, headers: ["Location": redirect.location])
            }
            if request.method == "GET", let media = locked({ $0.media[request.path] }) {
                return FakeProvider.Answer(status: 200, headers: ["Content-Type": media.contentType], bytes: media.bytes)
            }
            guard parts.count >= 3, parts[0] == "2010-04-01", parts[1] == "Accounts" else { return notFound(request) }
            if request.method == "GET", parts.count == 3, parts[2].hasSuffix(".json") {
                let sid = String(parts[2].dropLast(5))
                if let refused = unauthorised(request, sid: sid) { return refused }
                return .json(Self.json([
                    "sid": sid, "owner_account_sid": sid, "friendly_name": "Atende test account", "status": "active",
                    "type": "Full", "date_created": "Thu, 01 Jan 2026 00:00:00 +0000", "uri": "/2010-04-01/Accounts/\(sid).json",
                ]))
            }
            guard request.method == "POST", parts.count == 4, parts[3] == "Messages.json" else { return notFound(request) }
            let sid = parts[2]
            if let refused = unauthorised(request, sid: sid) { return refused }
            let failure = locked { state -> Failure? in
                guard let failure = state.failure else { return nil }
                if let remaining = failure.remaining {
                    state.failure = remaining > 1 ? Failure(code: failure.code, status: failure.status, message: failure.message,
                                                            remaining: remaining - 1, retryAfter: failure.retryAfter) : nil
                }
                return failure
            }
            if let failure {
                return .json(Self.error(failure.code, failure.message, status: failure.status), status: failure.status,
                             headers: failure.retryAfter.map { ["Retry-After": $0] } ?? [:])
            }
            let form = FormDecoding.pairs(request.body)
            let messageSID = locked { state -> String in
                state.counter += 1
                let hex = String(state.counter, radix: 16)
                let id = "SM" + String(repeating: "0", count: 32 - hex.count) + hex
                state.sids.append(id)
                var fields: [String: String] = [:]
                for (name, value) in form where fields[name] == nil { fields[name] = value }
                state.sent.append(fields)
                return id
            }
            let first = { (name: String) -> Any in form.first { $0.name == name }?.value ?? NSNull() }
            return .json(Self.json([
                "sid": messageSID, "account_sid": sid, "to": first("To"), "from": first("From"), "body": first("Body"),
                "status": "queued", "num_segments": "1", "num_media": String(form.filter { $0.name == "MediaUrl" }.count),
                "direction": "outbound-api", "api_version": "2010-04-01", "price": NSNull(), "price_unit": "USD",
                "error_code": NSNull(), "error_message": NSNull(), "messaging_service_sid": NSNull(),
                "date_created": "Thu, 01 Jan 2026 00:00:00 +0000", "date_sent": NSNull(), "date_updated": "Thu, 01 Jan 2026 00:00:00 +0000",
                "uri": "/2010-04-01/Accounts/\(sid)/Messages/\(messageSID).json",
            ]), status: 201)
        }

        /// Twilio's 20003 when this fake checks credentials and the request's are not `sid:token`.
        private func unauthorised(_ request: FakeProvider.Recorded, sid: String) -> FakeProvider.Answer? {
            guard let authToken else { return nil }
            let expected = "Basic " + Data("\(sid):\(authToken)".utf8).base64EncodedString()
            guard request.headers["authorization"] != expected else { return nil }
            return .json(Self.error(20003, "Authenticate", status: 401), status: 401)
        }

        private func notFound(_ request: FakeProvider.Recorded) -> FakeProvider.Answer {
            .json(Self.error(20404, "The requested resource \(request.path) was not found", status: 404), status: 404)
        }

        static func error(_ code: Int, _ message: String, status: Int) -> String {
            json(["code": code, "message": message, "more_info": "https://www.twilio.com/docs/errors/\(code)", "status": status])
        }

        static func json(_ object: [String: Any]) -> String {
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        }
    }
}

/// Signs a webhook as Twilio would (wire-protocols.md §5.4), written apart from
/// `Channels.TwilioSignature` so that a test of one checks the other.
public enum TwilioWebhookSigner {
    /// The form body Twilio would POST to `url` with `parameters`, and its `X-Twilio-Signature`.
    public static func signed(url: String, parameters: [(name: String, value: String)], authToken: String) -> (body: [UInt8], signature: String) {
        // Each name's distinct values; names, then values, in byte order; appended with no separator.
        var seen = Set<[String]>()
        let sorted = parameters.filter { seen.insert([$0.name, $0.value]).inserted }.sorted {
            $0.name == $1.name ? Array($0.value.utf8).lexicographicallyPrecedes(Array($1.value.utf8))
                : Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8))
        }
        let text = sorted.reduce(url) { $0 + $1.name + $1.value }
        let mac: [UInt8]
        do { mac = try HMAC.sha1(key: Array(authToken.utf8), message: Array(text.utf8)) } catch { fatalError("HMAC-SHA1 failed: \(error)") }
        return (FormDecoding.encode(parameters), Data(mac).base64EncodedString())
    }
}

/// A form body read and written apart from `Channels.TwilioForm`, for the fakes.
enum FormDecoding {
    static func pairs(_ body: [UInt8]) -> [(name: String, value: String)] {
        String(decoding: body, as: UTF8.self).split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    static func encode(_ parameters: [(name: String, value: String)]) -> [UInt8] {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._~")
        let text = parameters.map { name, value in
            (name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name) + "=" + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)
        }.joined(separator: "&")
        return Array(text.utf8)
    }
}
