import Channels
import Foundation
import Testing

/// Google's two error shapes in the one table: the Calendar API's `{"error":{"code","message",
/// "errors":[{"reason"}]}}` and the token endpoint's RFC 6749 `{"error","error_description"}`.
@Suite struct GoogleFailureTests {
    static func calendarBody(_ status: Int, _ reason: String, _ message: String = "m") -> [UInt8] {
        Array(#"{"error":{"code":\#(status),"message":"\#(message)","errors":[{"domain":"global","reason":"\#(reason)","message":"\#(message)"}]}}"#.utf8)
    }

    @Test(arguments: [
        (401, "authError", GoogleFailure.Action.refreshToken),
        (403, "rateLimitExceeded", .retry), (403, "userRateLimitExceeded", .retry),
        (403, "requiredAccessLevel", .fail), (403, "forbiddenForNonOrganizer", .fail),
        (429, "rateLimitExceeded", .retry), (500, "backendError", .retry), (503, "backendError", .retry),
        (400, "invalid", .fail), (404, "notFound", .fail), (409, "duplicate", .fail), (410, "deleted", .fail),
    ])
    func aCalendarRefusalGoesToItsPlaceInTheTable(status: Int, reason: String, action: GoogleFailure.Action) {
        let failure = GoogleFailure.calendar(status: status, body: Self.calendarBody(status, reason, "Google said no"), retryAfter: nil)
        #expect(failure.action == action && failure.reason == reason && failure.status == status && failure.message == "Google said no")
    }

    @Test func aRetryHonoursRetryAfterAndABodylessAnswerStillClassifies() {
        let limited = GoogleFailure.calendar(status: 429, body: Array("".utf8), retryAfter: "30")
        #expect(limited.action == .retry && limited.retryAfter == 30 && limited.reason == nil)
        let proxy = GoogleFailure.calendar(status: 502, body: Array("<html>Bad Gateway</html>".utf8), retryAfter: nil)
        #expect(proxy.action == .retry && proxy.message.contains("502"))
    }

    @Test(arguments: [
        (400, "invalid_grant", GoogleFailure.Action.reconnect), (401, "invalid_client", .reconnect), (400, "unauthorized_client", .reconnect),
        (400, "invalid_request", .fail), (503, "temporarily_unavailable", .retry), (500, "server_error", .retry),
    ])
    func aTokenEndpointRefusalGoesToItsPlaceInTheTable(status: Int, code: String, action: GoogleFailure.Action) {
        let body = Array(#"{"error":"\#(code)","error_description":"Token has been expired or revoked."}"#.utf8)
        let failure = GoogleFailure.oauth(status: status, body: body, retryAfter: nil)
        #expect(failure.action == action && failure.reason == code && failure.message == "Token has been expired or revoked.")
    }

    @Test func theConsentPageURLAsksForOfflineCalendarAccessWithPKCEAndEncodesEveryValue() throws {
        let client = GoogleClient(http: CurlClient(), authURL: "https://accounts.example.com/")
        let url = client.authorizationURL(clientID: "id&x=1", redirectURI: "https://atende.example.com/oauth/google/callback",
                                          state: "st4te", codeChallenge: "ch4llenge")
        #expect(url.hasPrefix("https://accounts.example.com/o/oauth2/v2/auth?"))
        let items = try #require(URLComponents(string: url)?.queryItems)
        let query = Dictionary(items.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { a, _ in a })
        #expect(query["client_id"] == "id&x=1" && query["x"] == nil)
        #expect(query["redirect_uri"] == "https://atende.example.com/oauth/google/callback")
        #expect(query["response_type"] == "code" && query["access_type"] == "offline" && query["prompt"] == "consent")
        #expect(query["scope"] == "https://www.googleapis.com/auth/calendar" && query["state"] == "st4te")
        #expect(query["code_challenge"] == "ch4llenge" && query["code_challenge_method"] == "S256")
    }
}
