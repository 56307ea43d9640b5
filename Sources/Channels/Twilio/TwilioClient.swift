import Foundation

/// Sends SMS/MMS through Twilio's REST API (wire-protocols.md §5.6) and reads what the "Test
/// connection" button and inbound MMS need. The base URL is a setting, so tests and operators point
/// it elsewhere. The Account SID and auth token are passed in per call (Desk unseals the token from
/// the vault); the token goes only into the `Authorization` header and never into an error.
public struct TwilioClient: Sendable {
    public let http: CurlClient
    /// Twilio's API root, without a trailing slash.
    public let apiURL: String

    public init(http: CurlClient, apiURL: String = "https://api.twilio.com") {
        self.http = http
        self.apiURL = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
    }

    /// What Twilio said about a message it took.
    public struct Sent: Sendable, Equatable {
        /// The Message SID (`SM…`/`MM…`), which status callbacks name.
        public let sid: String
        /// Its first status, usually `queued`.
        public let status: String
        /// How many SMS segments it is billed as (`num_segments`; 0 when a Messaging Service has
        /// not chosen the sender yet), when Twilio said.
        public let segments: Int?

        public init(sid: String, status: String, segments: Int?) { (self.sid, self.status, self.segments) = (sid, status, segments) }
    }

    /// Sends `body` (and any `mediaURLs`, as an MMS) from the Twilio number `from` to `to`:
    /// `POST {apiURL}/2010-04-01/Accounts/{accountSID}/Messages.json`, Basic auth of
    /// `accountSID:authToken`, a form of `To`, `From`, `Body`, one `MediaUrl` per file and
    /// `StatusCallback` when given. An empty `Body` is left out when there is media (Twilio needs
    /// one or the other, 21619). A refusal maps through the one table (`TwilioError`); no answer is
    /// retried.
    public func sendSMS(from: String, to: String, body: String, mediaURLs: [String] = [], statusCallback: String?,
                        accountSID: String, authToken: String) async -> Result<Sent, SendFailure> {
        guard Self.isAccountSID(accountSID) else { return .failure(Self.malformedAccountSID) }
        var form: [(name: String, value: String)] = [("To", to), ("From", from)]
        if !body.isEmpty || mediaURLs.isEmpty { form.append(("Body", body)) }
        form += mediaURLs.map { ("MediaUrl", $0) }
        if let statusCallback { form.append(("StatusCallback", statusCallback)) }
        let url = "\(apiURL)/2010-04-01/Accounts/\(accountSID)/Messages.json"
        switch await request("POST", url, accountSID: accountSID, authToken: authToken, form: TwilioForm.encode(form)) {
        case .failure(let failure): return .failure(failure)
        case .success(let response):
            let root = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
            guard let sid = JSON.string(root["sid"]), !sid.isEmpty else {
                // Accepted (2xx) but without a sid: we cannot follow its delivery, and sending
                // again could duplicate it. Fail it so a person looks.
                return .failure(SendFailure(.rejected, .fail, message: "Twilio answered without a message sid"))
            }
            let segments = JSON.int(root["num_segments"]) ?? JSON.string(root["num_segments"]).flatMap { Int($0) }
            return .success(Sent(sid: sid, status: JSON.string(root["status"]) ?? "queued", segments: segments))
        }
    }

    /// A Twilio account as `GET /Accounts/{sid}.json` describes it.
    public struct Account: Sendable, Equatable {
        public let sid: String
        public let friendlyName: String
        /// `active`, `suspended` or `closed`.
        public let status: String
        /// `Trial` or `Full`, when Twilio said.
        public let type: String?

        public init(sid: String, friendlyName: String, status: String, type: String?) {
            (self.sid, self.friendlyName, self.status, self.type) = (sid, friendlyName, status, type)
        }
    }

    /// "Test connection": `GET {apiURL}/2010-04-01/Accounts/{sid}.json` with the credentials.
    /// A wrong token comes back as Twilio's 20003, which pauses the channel.
    public func account(sid: String, authToken: String) async -> Result<Account, SendFailure> {
        guard Self.isAccountSID(sid) else { return .failure(Self.malformedAccountSID) }
        let url = "\(apiURL)/2010-04-01/Accounts/\(sid).json"
        switch await request("GET", url, accountSID: sid, authToken: authToken) {
        case .failure(let failure): return .failure(failure)
        case .success(let response):
            let root = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
            guard let answered = JSON.string(root["sid"]), !answered.isEmpty else {
                return .failure(SendFailure(.rejected, .fail, message: "Twilio answered without an account sid"))
            }
            return .success(Account(sid: answered, friendlyName: JSON.string(root["friendly_name"]) ?? "",
                                    status: JSON.string(root["status"]) ?? "", type: JSON.string(root["type"])))
        }
    }

    /// The `Authorization` header for `accountSID:authToken`.
    static func basicAuthorization(accountSID: String, authToken: String) -> String {
        "Basic " + Data("\(accountSID):\(authToken)".utf8).base64EncodedString()
    }

    /// Sends one request with Basic auth and, for a form, its content type; a 2xx answer is
    /// returned whole, any other maps through `TwilioError`, and no answer at all is retried.
    func request(_ method: String, _ url: String, accountSID: String, authToken: String,
                 form: [UInt8]? = nil) async -> Result<OutboundResponse, SendFailure> {
        var headers: [(name: String, value: String)] = [
            ("Authorization", Self.basicAuthorization(accountSID: accountSID, authToken: authToken)),
            ("Accept", "application/json"),
        ]
        if form != nil { headers.append(("Content-Type", "application/x-www-form-urlencoded")) }
        let response: OutboundResponse
        do {
            response = try await http.send(OutboundRequest(method: method, url: url, headers: headers, body: form))
        } catch {
            return .failure(Self.failure(error))
        }
        guard (200..<300).contains(response.status) else { return .failure(Self.refusal(response)) }
        return .success(response)
    }

    /// A non-2xx answer through the one table.
    static func refusal(_ response: OutboundResponse) -> SendFailure {
        TwilioError.classify(status: response.status, body: response.body, retryAfter: response.header("retry-after"))
    }

    /// A transport error as a failure: an answer too large will be as large next time; anything
    /// else (no connection, a timeout, shutting down) is tried again later.
    static func failure(_ error: ChannelError) -> SendFailure {
        error.code == .responseTooLarge
            ? SendFailure(.rejected, .fail, message: error.message)
            : SendFailure(.providerUnavailable, .retry, message: error.message)
    }

    /// `AC` and 32 hex digits: anything else would put another path into the URL (or reach
    /// another account's resource) and is refused before a request is made.
    public static func isAccountSID(_ sid: String) -> Bool {
        sid.utf8.count == 34 && sid.hasPrefix("AC") && sid.utf8.dropFirst(2).allSatisfy { TwilioForm.hexValue($0) != nil }
    }

    static let malformedAccountSID = SendFailure(.rejected, .fail, message: "the Twilio Account SID must be AC followed by 32 hex digits")
}

extension TwilioClient {
    /// Downloads an inbound MMS file (`MediaUrlN` of the webhook, §5.1): the bytes and their
    /// `Content-Type`.
    ///
    /// Twilio answers the media URL with a redirect (302/307) to its storage host. CurlClient
    /// follows none, so this follows exactly one, by hand: only to https (or http when the media
    /// URL itself was http, as on a loopback test), and without the `Authorization` header when the
    /// redirect leaves the original scheme, host and port — a storage URL is signed on its own, and
    /// our credentials must not reach another host. The credentials are sent only to `apiURL`'s
    /// host in the first place. A file over `maxBytes` fails without being retried.
    public func media(url: String, accountSID: String, authToken: String,
                      maxBytes: Int) async -> Result<(bytes: [UInt8], contentType: String?), SendFailure> {
        guard Self.isAccountSID(accountSID) else { return .failure(Self.malformedAccountSID) }
        guard let first = Origin(url), let api = Origin(apiURL + "/") else {
            return .failure(SendFailure(.rejected, .fail, message: "the media URL is not an http(s) URL"))
        }
        let authorization = Self.basicAuthorization(accountSID: accountSID, authToken: authToken)
        var target = url, origin = first
        for hop in 0..<2 {
            var headers: [(name: String, value: String)] = []
            if origin == api { headers.append(("Authorization", authorization)) }
            let response: OutboundResponse
            do {
                response = try await http.send(OutboundRequest(method: "GET", url: target, headers: headers))
            } catch {
                return .failure(Self.failure(error))
            }
            switch response.status {
            case 200..<300:
                guard response.body.count <= maxBytes else {
                    return .failure(SendFailure(.rejected, .fail, message: "the media file is \(response.body.count) bytes, more than the \(maxBytes) allowed"))
                }
                return .success((response.body, response.header("content-type")))
            case 301, 302, 303, 307, 308:
                guard hop == 0 else {
                    return .failure(SendFailure(.rejected, .fail, providerCode: response.status, message: "the media URL redirected more than once"))
                }
                guard let location = response.header("location"),
                      let next = URL(string: location, relativeTo: URL(string: target))?.absoluteString,
                      let nextOrigin = Origin(next),
                      nextOrigin.scheme == "https" || first.scheme == "http" else {
                    return .failure(SendFailure(.rejected, .fail, providerCode: response.status,
                                                message: "the media URL redirected to a missing or non-https location"))
                }
                (target, origin) = (next, nextOrigin)
            default:
                return .failure(Self.refusal(response))
            }
        }
        return .failure(SendFailure(.rejected, .fail, message: "the media URL redirected more than once"))
    }

    /// Scheme, host and port of a URL (lower-cased, the default port filled in): where a request
    /// goes, to decide where credentials may be sent.
    struct Origin: Equatable {
        let scheme: String, host: String, port: Int

        init?(_ url: String) {
            guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
                  scheme == "http" || scheme == "https", let host = components.host?.lowercased(), !host.isEmpty else { return nil }
            (self.scheme, self.host, self.port) = (scheme, host, components.port ?? (scheme == "https" ? 443 : 80))
        }
    }
}
