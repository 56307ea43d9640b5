import AtendeCrypto
import Foundation
import Synchronization

/// Google's OAuth 2.0 token endpoint and Calendar API v3 played on a loopback port, built on
/// `FakeProvider`, speaking their documented JSON:
///
/// - `POST /token` (form): `authorization_code` — a code from `authorize(_:)`, once, with its
///   redirect URI, client and PKCE verifier — and `refresh_token`; refusals are RFC 6749 bodies
///   (`{"error":"invalid_grant","error_description":…}`);
/// - `POST /revoke` (form `token`): the refresh token stops working;
/// - `POST /calendar/v3/freeBusy`: busy times set with `setBusy`, plus the calendar's own
///   (not cancelled) events — as Google counts them — merged; an unknown calendar gets
///   `errors: [{"domain":"global","reason":"notFound"}]`;
/// - `POST|PATCH|DELETE /calendar/v3/calendars/{id}/events[/{eventId}]`: a client id must be
///   base32hex, 5–1024 long; inserting an existing id is 409 `duplicate`; deleting marks the event
///   cancelled (a second delete is 410 `deleted`); an unknown id is 404 `notFound`.
///
/// Calendar calls need `Authorization: Bearer` with a live access token, else 401 `authError`.
/// `failNext` scripts refusals in Google's `{"error":{"code","message","errors"}}` shape.
public final class FakeGoogle: Sendable {
    public let provider = FakeProvider()
    public static let clientID = "1234567890-fake.apps.googleusercontent.com"
    public static let clientSecret = "GOCSPX-fake-client-secret"
    private let state = Mutex(Snapshot())

    /// An event as the fake keeps it.
    public struct Event: Sendable, Equatable {
        public var id: String
        public var summary: String
        public var description: String
        public var start: Date
        public var end: Date
        public var timeZone: String
        public var status: String
        public var privateProperties: [String: String]
    }

    struct Grant { let redirectURI: String, challenge: String, clientID: String }
    struct Failure { let match: String, status: Int, body: String, remaining: Int, afterApplying: Bool }

    struct Snapshot {
        var codes: [String: Grant] = [:]
        var refreshTokens: Set<String> = []
        var revoked: Set<String> = []
        var accessTokens: Set<String> = []
        var counter = 0
        var busy: [String: [DateInterval]] = [:]
        var calendars: Set<String> = ["primary"]
        var events: [String: [String: Event]] = [:]
        var failures: [Failure] = []
        var inserts = 0
    }

    public init() {
        provider.answer(routing: { [self] request in self.answer(request) })
    }

    public func run<R: Sendable>(_ body: @escaping @Sendable (String) async throws -> R) async throws -> R {
        try await provider.run(body)
    }

    public var requests: [FakeProvider.Recorded] { provider.requests }

    // MARK: Scripting

    /// What the consent page does when the admin says yes: checks the authorization URL the way
    /// Google would and returns the `code` and `state` it sends back to the redirect URI.
    public func authorize(_ url: String) -> (code: String, state: String, redirectURI: String)? {
        guard let items = URLComponents(string: url)?.queryItems else { return nil }
        func value(_ name: String) -> String? { items.first { $0.name == name }?.value }
        guard value("response_type") == "code", value("access_type") == "offline", value("scope") == "https://www.googleapis.com/auth/calendar",
              value("code_challenge_method") == "S256", let challenge = value("code_challenge"), let redirect = value("redirect_uri"),
              let state = value("state"), let client = value("client_id") else { return nil }
        let code = state_ { s -> String in
            s.counter += 1
            let code = "4/0fake-code-\(s.counter)"
            s.codes[code] = Grant(redirectURI: redirect, challenge: challenge, clientID: client)
            return code
        }
        return (code, state, redirect)
    }

    /// Sets a calendar's busy times (other people's events, as freeBusy reports them).
    public func setBusy(_ intervals: [DateInterval], calendar: String = "primary") {
        state_ { $0.busy[calendar] = intervals; $0.calendars.insert(calendar) }
    }

    public func addCalendar(_ id: String) { state_ { _ = $0.calendars.insert(id) } }

    /// Every event of `calendar` (cancelled ones included).
    public func events(in calendar: String = "primary") -> [Event] {
        state_ { Array(($0.events[calendar] ?? [:]).values).sorted { $0.start < $1.start } }
    }

    /// How many inserts were answered 200 (a 409 is not one).
    public var insertsAccepted: Int { state_ { $0.inserts } }

    /// Access tokens given so far stop working (as when they expire): the next call is a 401.
    public func expireAccessTokens() { state_ { $0.accessTokens = [] } }

    /// The refresh tokens given so far stop working (revoked in the Google account).
    public func revokeRefreshTokens() { state_ { $0.revoked.formUnion($0.refreshTokens) } }

    public var liveRefreshTokens: Set<String> { state_ { $0.refreshTokens.subtracting($0.revoked) } }

    /// The next `count` requests whose method and path contain `match` (like `"POST /calendar/v3/calendars"`)
    /// get `status` with a Calendar API error body of `reason`. With `afterApplying`, the request
    /// takes effect first (Google made the event, then the answer was lost: a 503 from a proxy).
    public func failNext(_ match: String, status: Int, reason: String, message: String = "Refused by the fake", count: Int = 1,
                         afterApplying: Bool = false) {
        let body = Self.json(["error": ["code": status, "message": message,
                                        "errors": [["domain": status == 403 ? "usageLimits" : "global", "reason": reason, "message": message]]]])
        state_ { $0.failures.append(Failure(match: match, status: status, body: body, remaining: count, afterApplying: afterApplying)) }
    }

    private func state_<R>(_ body: (inout Snapshot) -> R) -> R { state.withLock { body(&$0) } }

    // MARK: Answers

    func answer(_ request: FakeProvider.Recorded) -> FakeProvider.Answer {
        let line = "\(request.method) \(request.path)"
        let failure = state_ { s -> Failure? in
            guard let index = s.failures.firstIndex(where: { line.contains($0.match) }) else { return nil }
            let failure = s.failures[index]
            if failure.remaining > 1 {
                s.failures[index] = Failure(match: failure.match, status: failure.status, body: failure.body, remaining: failure.remaining - 1,
                                            afterApplying: failure.afterApplying)
            } else {
                s.failures.remove(at: index)
            }
            return failure
        }
        if let failure {
            if failure.afterApplying { _ = respond(request) }
            return .json(failure.body, status: failure.status)
        }
        return respond(request)
    }

    private func respond(_ request: FakeProvider.Recorded) -> FakeProvider.Answer {
        switch (request.method, request.path) {
        case ("POST", "/token"): return token(FormDecoding.pairs(request.body))
        case ("POST", "/revoke"):
            let token = FormDecoding.pairs(request.body).first { $0.name == "token" }?.value ?? ""
            state_ { _ = $0.revoked.insert(token) }
            return .json("{}")
        default: break
        }
        guard request.path.hasPrefix("/calendar/v3/") else { return Self.calendarError(404, "notFound", "Not Found") }
        let bearer = request.headers["authorization"].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
        guard let bearer, state_({ $0.accessTokens.contains(bearer) }) else {
            return Self.calendarError(401, "authError", "Invalid Credentials")
        }
        let parts = request.path.dropFirst("/calendar/v3/".count).split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        let body = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any] ?? [:]
        if request.method == "POST", parts == ["freeBusy"] { return freeBusy(body) }
        guard parts.count >= 3, parts[0] == "calendars", parts[2] == "events", state_({ $0.calendars.contains(parts[1]) }) else {
            return Self.calendarError(404, "notFound", "Not Found")
        }
        let calendar = parts[1]
        switch (request.method, parts.count) {
        case ("POST", 3): return insert(body, calendar: calendar)
        case ("PATCH", 4): return patch(body, id: parts[3], calendar: calendar)
        case ("DELETE", 4): return delete(id: parts[3], calendar: calendar)
        default: return Self.calendarError(404, "notFound", "Not Found")
        }
    }

    private func token(_ form: [(name: String, value: String)]) -> FakeProvider.Answer {
        func value(_ name: String) -> String? { form.first { $0.name == name }?.value }
        guard value("client_id") == Self.clientID, value("client_secret") == Self.clientSecret else {
            return Self.oauthError(401, "invalid_client", "The OAuth client was not found.")
        }
        switch value("grant_type") {
        case "authorization_code":
            guard let code = value("code"), let grant = state_({ $0.codes.removeValue(forKey: code) }),
                  grant.redirectURI == value("redirect_uri"), grant.clientID == value("client_id") else {
                return Self.oauthError(400, "invalid_grant", "Malformed auth code.")
            }
            let verifier = value("code_verifier") ?? ""
            let challenge = (try? SHA256.hash(Array(verifier.utf8))).map(Self.base64url) ?? ""
            guard challenge == grant.challenge else { return Self.oauthError(400, "invalid_grant", "Invalid code verifier.") }
            let (access, refresh) = state_ { s -> (String, String) in
                s.counter += 1
                let access = "ya29.fake-access-\(s.counter)", refresh = "1//fake-refresh-\(s.counter)"
                s.accessTokens.insert(access)
                s.refreshTokens.insert(refresh)
                return (access, refresh)
            }
            return .json(Self.json(["access_token": access, "expires_in": 3599, "refresh_token": refresh,
                                    "scope": "https://www.googleapis.com/auth/calendar", "token_type": "Bearer"]))
        case "refresh_token":
            guard let refresh = value("refresh_token"), state_({ $0.refreshTokens.contains(refresh) && !$0.revoked.contains(refresh) }) else {
                return Self.oauthError(400, "invalid_grant", "Token has been expired or revoked.")
            }
            let access = state_ { s -> String in
                s.counter += 1
                let access = "ya29.fake-access-\(s.counter)"
                s.accessTokens.insert(access)
                return access
            }
            return .json(Self.json(["access_token": access, "expires_in": 3599, "scope": "https://www.googleapis.com/auth/calendar",
                                    "token_type": "Bearer"]))
        default:
            return Self.oauthError(400, "unsupported_grant_type", "Invalid grant_type.")
        }
    }

    private func freeBusy(_ body: [String: Any]) -> FakeProvider.Answer {
        guard let from = Self.date(body["timeMin"]), let to = Self.date(body["timeMax"]), from < to else {
            return Self.calendarError(400, "timeRangeEmpty", "The specified time range is empty.")
        }
        let ids = ((body["items"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
        var calendars: [String: Any] = [:]
        state_ { s in
            for id in ids {
                guard s.calendars.contains(id) else {
                    calendars[id] = ["busy": [], "errors": [["domain": "global", "reason": "notFound"]]]
                    continue
                }
                let own = (s.events[id] ?? [:]).values.filter { $0.status != "cancelled" }.map { DateInterval(start: $0.start, end: $0.end) }
                let merged = Self.merge((s.busy[id] ?? []) + own).compactMap { interval -> [String: String]? in
                    let start = max(interval.start, from), end = min(interval.end, to)
                    guard start < end else { return nil }
                    return ["start": start.formatted(.iso8601), "end": end.formatted(.iso8601)]
                }
                calendars[id] = ["busy": merged]
            }
        }
        return .json(Self.json(["kind": "calendar#freeBusy", "timeMin": from.formatted(.iso8601), "timeMax": to.formatted(.iso8601),
                                "calendars": calendars]))
    }

    private func insert(_ body: [String: Any], calendar: String) -> FakeProvider.Answer {
        guard let id = body["id"] as? String, (5...1024).contains(id.count),
              id.allSatisfy({ ("a"..."v").contains($0) || ("0"..."9").contains($0) }) else {
            return Self.calendarError(400, "invalid", "Invalid resource id value.")
        }
        guard let event = Self.event(body, id: id, base: nil) else { return Self.calendarError(400, "required", "Missing end time.") }
        let inserted = state_ { s -> Bool in
            if s.events[calendar]?[id] != nil { return false }
            s.events[calendar, default: [:]][id] = event
            s.inserts += 1
            return true
        }
        guard inserted else { return Self.calendarError(409, "duplicate", "The requested identifier already exists.") }
        return .json(Self.json(Self.resource(event)))
    }

    private func patch(_ body: [String: Any], id: String, calendar: String) -> FakeProvider.Answer {
        let patched = state_ { s -> Event? in
            guard let existing = s.events[calendar]?[id], let event = Self.event(body, id: id, base: existing) else { return nil }
            s.events[calendar]?[id] = event
            return event
        }
        guard let patched else { return Self.calendarError(404, "notFound", "Not Found") }
        return .json(Self.json(Self.resource(patched)))
    }

    private func delete(id: String, calendar: String) -> FakeProvider.Answer {
        let outcome = state_ { s -> Int in
            guard var event = s.events[calendar]?[id] else { return 404 }
            if event.status == "cancelled" { return 410 }
            event.status = "cancelled"
            s.events[calendar]?[id] = event
            return 204
        }
        switch outcome {
        case 204: return FakeProvider.Answer(status: 204)
        case 410: return Self.calendarError(410, "deleted", "Resource has been deleted")
        default: return Self.calendarError(404, "notFound", "Not Found")
        }
    }

    // MARK: Wire helpers

    static func event(_ body: [String: Any], id: String, base: Event?) -> Event? {
        let start = (body["start"] as? [String: Any]).flatMap { date($0["dateTime"]) } ?? base?.start
        let end = (body["end"] as? [String: Any]).flatMap { date($0["dateTime"]) } ?? base?.end
        guard let start, let end else { return nil }
        let properties = ((body["extendedProperties"] as? [String: Any])?["private"] as? [String: String]) ?? base?.privateProperties ?? [:]
        return Event(id: id, summary: body["summary"] as? String ?? base?.summary ?? "", description: body["description"] as? String ?? base?.description ?? "",
                     start: start, end: end, timeZone: (body["start"] as? [String: Any])?["timeZone"] as? String ?? base?.timeZone ?? "UTC",
                     status: body["status"] as? String ?? base?.status ?? "confirmed", privateProperties: properties)
    }

    static func resource(_ event: Event) -> [String: Any] {
        ["kind": "calendar#event", "id": event.id, "status": event.status, "summary": event.summary, "description": event.description,
         "start": ["dateTime": event.start.formatted(.iso8601), "timeZone": event.timeZone],
         "end": ["dateTime": event.end.formatted(.iso8601), "timeZone": event.timeZone],
         "extendedProperties": ["private": event.privateProperties]]
    }

    static func merge(_ intervals: [DateInterval]) -> [DateInterval] {
        var merged: [DateInterval] = []
        for interval in intervals.sorted(by: { $0.start < $1.start }) {
            if let last = merged.last, interval.start <= last.end {
                merged[merged.count - 1] = DateInterval(start: last.start, end: max(last.end, interval.end))
            } else {
                merged.append(interval)
            }
        }
        return merged
    }

    static func date(_ value: Any?) -> Date? {
        guard let text = value as? String else { return nil }
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text)
    }

    static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func calendarError(_ status: Int, _ reason: String, _ message: String) -> FakeProvider.Answer {
        var error: [String: Any] = ["code": status, "message": message, "errors": [["domain": "global", "reason": reason, "message": message]]]
        if status == 401 {
            error["errors"] = [["domain": "global", "reason": reason, "message": message, "locationType": "header", "location": "Authorization"]]
            error["status"] = "UNAUTHENTICATED"
        }
        return .json(json(["error": error]), status: status)
    }

    static func oauthError(_ status: Int, _ code: String, _ description: String) -> FakeProvider.Answer {
        .json(json(["error": code, "error_description": description]), status: status)
    }

    static func json(_ object: [String: Any]) -> String {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
