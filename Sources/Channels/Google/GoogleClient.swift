import Foundation

/// Google's OAuth 2.0 endpoints and the part of the Calendar API v3 the calendar sync needs:
/// `freeBusy`, and events inserted, patched and deleted. Three base URLs, each a setting, so tests
/// and operators point them elsewhere: the consent page's host (`authURL`), the token endpoint's
/// (`oauthURL`), and the Calendar API root (`calendarURL`). Tokens are passed in per call and go
/// only into a form body or the `Authorization` header, never into an error.
public struct GoogleClient: Sendable {
    public let http: CurlClient
    /// Where the consent page is (`{authURL}/o/oauth2/v2/auth`).
    public let authURL: String
    /// Where `/token` and `/revoke` are.
    public let oauthURL: String
    /// The Calendar API root, `…/calendar/v3`.
    public let calendarURL: String

    /// Read and write the calendars (events and free/busy): the one scope asked for.
    public static let scope = "https://www.googleapis.com/auth/calendar"

    public init(http: CurlClient, authURL: String = "https://accounts.google.com", oauthURL: String = "https://oauth2.googleapis.com",
                calendarURL: String = "https://www.googleapis.com/calendar/v3") {
        func trimmed(_ url: String) -> String { url.hasSuffix("/") ? String(url.dropLast()) : url }
        (self.http, self.authURL, self.oauthURL, self.calendarURL) = (http, trimmed(authURL), trimmed(oauthURL), trimmed(calendarURL))
    }

    // MARK: OAuth 2.0 (web server flow)

    /// The consent page to send the admin to: an authorization code for `redirectURI`, offline
    /// access (a refresh token), consent asked every time (so the refresh token is issued again
    /// on a reconnect), `state` against CSRF and a PKCE challenge (S256) against a stolen code.
    public func authorizationURL(clientID: String, redirectURI: String, state: String, codeChallenge: String) -> String {
        // Every byte but the unreserved ones percent-encoded, as a form is: a value can never
        // close its parameter or start another.
        let query = TwilioForm.encode([
            ("client_id", clientID), ("redirect_uri", redirectURI), ("response_type", "code"), ("scope", Self.scope),
            ("access_type", "offline"), ("prompt", "consent"), ("include_granted_scopes", "true"), ("state", state),
            ("code_challenge", codeChallenge), ("code_challenge_method", "S256"),
        ].map { (name: $0.0, value: $0.1) })
        return authURL + "/o/oauth2/v2/auth?" + String(decoding: query, as: UTF8.self)
    }

    /// What the token endpoint gave: an access token for `expiresIn` seconds, and — for a code
    /// exchange with offline access — the refresh token.
    public struct Tokens: Sendable, Equatable {
        public let accessToken: String
        public let expiresIn: Int
        public let refreshToken: String?
        public let scope: String?
        public init(accessToken: String, expiresIn: Int, refreshToken: String?, scope: String?) {
            (self.accessToken, self.expiresIn, self.refreshToken, self.scope) = (accessToken, expiresIn, refreshToken, scope)
        }
    }

    /// Exchanges an authorization code (`grant_type=authorization_code`).
    public func exchange(code: String, clientID: String, clientSecret: String, redirectURI: String,
                         codeVerifier: String) async -> Result<Tokens, GoogleFailure> {
        await token([("grant_type", "authorization_code"), ("code", code), ("client_id", clientID), ("client_secret", clientSecret),
                     ("redirect_uri", redirectURI), ("code_verifier", codeVerifier)])
    }

    /// A new access token for a refresh token (`grant_type=refresh_token`).
    public func refresh(refreshToken: String, clientID: String, clientSecret: String) async -> Result<Tokens, GoogleFailure> {
        await token([("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", clientID),
                     ("client_secret", clientSecret)])
    }

    /// Revokes a token (and with a refresh token, the grant): `POST {oauthURL}/revoke`.
    public func revoke(token: String) async -> Result<Void, GoogleFailure> {
        let response: OutboundResponse
        do {
            response = try await http.send(OutboundRequest(method: "POST", url: oauthURL + "/revoke",
                                                           headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                                           body: TwilioForm.encode([(name: "token", value: token)])))
        } catch {
            return .failure(.transport(error))
        }
        guard (200..<300).contains(response.status) else {
            return .failure(.oauth(status: response.status, body: response.body, retryAfter: response.header("retry-after")))
        }
        return .success(())
    }

    private func token(_ form: [(String, String)]) async -> Result<Tokens, GoogleFailure> {
        let response: OutboundResponse
        do {
            response = try await http.send(OutboundRequest(method: "POST", url: oauthURL + "/token",
                                                           headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
                                                           body: TwilioForm.encode(form.map { (name: $0.0, value: $0.1) })))
        } catch {
            return .failure(.transport(error))
        }
        guard (200..<300).contains(response.status) else {
            return .failure(.oauth(status: response.status, body: response.body, retryAfter: response.header("retry-after")))
        }
        let root = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        guard let access = root["access_token"] as? String, !access.isEmpty else {
            return .failure(GoogleFailure(.fail, status: response.status, message: "the token endpoint answered without an access_token"))
        }
        return .success(Tokens(accessToken: access, expiresIn: JSON.int(root["expires_in"]) ?? 3600,
                               refreshToken: (root["refresh_token"] as? String).flatMap { $0.isEmpty ? nil : $0 },
                               scope: root["scope"] as? String))
    }

    // MARK: Calendar API v3

    /// One calendar's answer to `freeBusy`: its busy times, or why Google could not say
    /// (`notFound`: no such calendar, or not shared with the connected account).
    public struct FreeBusy: Sendable, Equatable {
        public var busy: [DateInterval]
        public var errors: [String]
        public init(busy: [DateInterval], errors: [String]) { (self.busy, self.errors) = (busy, errors) }
    }

    /// `POST {calendarURL}/freeBusy` for `calendarIDs` over `[from, to)`.
    public func freeBusy(calendarIDs: [String], from: Date, to: Date, accessToken: String) async -> Result<[String: FreeBusy], GoogleFailure> {
        let body: [String: Any] = ["timeMin": Self.rfc3339(from), "timeMax": Self.rfc3339(to), "items": calendarIDs.map { ["id": $0] }]
        switch await calendar("POST", "/freeBusy", json: body, accessToken: accessToken) {
        case .failure(let failure): return .failure(failure)
        case .success(let response):
            let root = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
            let calendars = root["calendars"] as? [String: Any] ?? [:]
            var result: [String: FreeBusy] = [:]
            for id in calendarIDs {
                guard let entry = calendars[id] as? [String: Any] else {
                    result[id] = FreeBusy(busy: [], errors: ["missing"])
                    continue
                }
                let busy = JSON.objects(entry["busy"]).compactMap { item -> DateInterval? in
                    guard let start = Self.date(item["start"] as? String), let end = Self.date(item["end"] as? String), start < end else { return nil }
                    return DateInterval(start: start, end: end)
                }
                let errors = JSON.objects(entry["errors"]).map { ($0["reason"] as? String) ?? "error" }
                result[id] = FreeBusy(busy: busy, errors: errors)
            }
            return .success(result)
        }
    }

    /// An event as the sync writes it: a timed event in `timeZone`, with our own id (base32hex,
    /// so inserting it twice is a 409, not a second event) and private extended properties.
    public struct Event: Sendable, Equatable {
        public var id: String
        public var summary: String
        public var description: String
        public var start: Date
        public var end: Date
        public var timeZone: String
        /// `confirmed` or `tentative`.
        public var status: String
        public var privateProperties: [String: String]
        public init(id: String, summary: String, description: String, start: Date, end: Date, timeZone: String,
                    status: String = "confirmed", privateProperties: [String: String] = [:]) {
            (self.id, self.summary, self.description, self.start, self.end) = (id, summary, description, start, end)
            (self.timeZone, self.status, self.privateProperties) = (timeZone, status, privateProperties)
        }

        var json: [String: Any] {
            ["summary": summary, "description": description, "status": status,
             "start": ["dateTime": GoogleClient.rfc3339(start), "timeZone": timeZone],
             "end": ["dateTime": GoogleClient.rfc3339(end), "timeZone": timeZone],
             "extendedProperties": ["private": privateProperties]]
        }
    }

    /// `POST {calendarURL}/calendars/{calendarId}/events` with the event's own id.
    public func insert(_ event: Event, calendarID: String, accessToken: String) async -> Result<Void, GoogleFailure> {
        var body = event.json
        body["id"] = event.id
        return await calendar("POST", "/calendars/\(Self.segment(calendarID))/events", json: body, accessToken: accessToken).map { _ in () }
    }

    /// `PATCH …/events/{eventId}`: new times, words and status.
    public func patch(_ event: Event, calendarID: String, accessToken: String) async -> Result<Void, GoogleFailure> {
        await calendar("PATCH", "/calendars/\(Self.segment(calendarID))/events/\(Self.segment(event.id))", json: event.json,
                       accessToken: accessToken).map { _ in () }
    }

    /// `DELETE …/events/{eventId}` (Google answers 204; 404 or 410 when it is gone already).
    public func delete(eventID: String, calendarID: String, accessToken: String) async -> Result<Void, GoogleFailure> {
        await calendar("DELETE", "/calendars/\(Self.segment(calendarID))/events/\(Self.segment(eventID))", json: nil,
                       accessToken: accessToken).map { _ in () }
    }

    private func calendar(_ method: String, _ path: String, json: [String: Any]?, accessToken: String) async -> Result<OutboundResponse, GoogleFailure> {
        var headers: [(name: String, value: String)] = [("Authorization", "Bearer \(accessToken)"), ("Accept", "application/json")]
        var body: [UInt8]?
        if let json {
            headers.append(("Content-Type", "application/json"))
            body = Array((try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])) ?? Data("{}".utf8))
        }
        let response: OutboundResponse
        do {
            response = try await http.send(OutboundRequest(method: method, url: calendarURL + path, headers: headers, body: body))
        } catch {
            return .failure(.transport(error))
        }
        guard (200..<300).contains(response.status) else {
            return .failure(.calendar(status: response.status, body: response.body, retryAfter: response.header("retry-after")))
        }
        return .success(response)
    }

    // MARK: Wire details

    /// A path segment: every byte but the unreserved ones percent-encoded (calendar ids are
    /// e-mail addresses, and group calendars' ids hold `#`).
    static func segment(_ text: String) -> String { String(decoding: TwilioForm.encode([(name: text, value: "")]).dropLast(), as: UTF8.self) }

    /// RFC 3339 in UTC, as Google writes it.
    public static func rfc3339(_ date: Date) -> String { date.formatted(.iso8601) }

    /// RFC 3339 with `Z` or an offset, with or without fractional seconds.
    public static func date(_ text: String?) -> Date? {
        guard let text else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
