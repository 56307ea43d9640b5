import AtendeTesting
import Desk
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import Web

/// Google Calendar over real HTTP on loopback, against a `FakeGoogle` on loopback: the settings never show the
/// secret, the connect flow goes through the browser's own session and back through the public
/// callback, and the refresh token never reaches a response or the log.
@Suite struct GoogleCalendarAPITests {
    @Test func anAdminSavesTheClientConnectsThroughTheCallbackAndSeesTheStatus() async throws {
        let google = FakeGoogle()
        let log = LogRecorder()
        try await google.run { url in
            var configuration = DeskConfiguration()
            configuration.google.authURL = url
            configuration.google.oauthURL = url
            configuration.google.calendarURL = url + "/calendar/v3"
            configuration.google.timeout = .seconds(30)
            configuration.whatsapp.publicURL = "https://atende.example.com"
            try await TestDesk.with(desk: configuration, logger: log.logger(level: .trace)) { t in
                try await t.server.makeApplication().test(.live) { client in
                    let admin = t.headers(for: .session(.admin))
                    // Before a client is saved, connecting names what is missing.
                    let early = try await client.execute(uri: "/api/v1/calendar/google/connect", method: .get, headers: admin)
                    #expect(early.status == .conflict && early.error?.field == "client_id", "\(early.text)")
                    let invalid = try await client.execute(uri: "/api/v1/calendar/google", method: .put, headers: admin,
                                                           body: body(["client_secret": "has spaces in it"]))
                    #expect(invalid.status == .unprocessableContent && invalid.error?.field == "client_secret")

                    let saved = try await client.execute(uri: "/api/v1/calendar/google", method: .put, headers: admin,
                                                         body: body(["client_id": FakeGoogle.clientID, "client_secret": FakeGoogle.clientSecret]))
                    #expect(saved.status == .ok, "\(saved.text)")
                    let settings = try saved.json()
                    #expect(settings["client_secret_set"] as? Bool == true && settings["status"] as? String == "disconnected")
                    #expect(settings["redirect_uri"] as? String == "https://atende.example.com/oauth/google/callback")
                    #expect(!saved.text.contains(FakeGoogle.clientSecret))

                    // A manager may read the settings but not connect; an API token cannot connect.
                    let manager = try await client.execute(uri: "/api/v1/calendar/google/connect", method: .get, headers: t.headers(for: .session(.manager)))
                    #expect(manager.status == .forbidden)
                    let token = try await client.execute(uri: "/api/v1/calendar/google/connect", method: .get, headers: t.headers(for: .token(.admin)))
                    #expect(token.status == .forbidden && token.error?.code == "session_required")

                    let connect = try await client.execute(uri: "/api/v1/calendar/google/connect", method: .get, headers: admin)
                    #expect(connect.status == .ok, "\(connect.text)")
                    let authorization = try #require(try connect.json()["authorization_url"] as? String)
                    #expect(authorization.hasPrefix(url + "/o/oauth2/v2/auth?"))
                    for part in ["response_type=code", "access_type=offline", "prompt=consent", "code_challenge_method=S256",
                                 "scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fcalendar",
                                 "redirect_uri=https%3A%2F%2Fatende.example.com%2Foauth%2Fgoogle%2Fcallback"] {
                        #expect(authorization.contains(part), "\(part) in \(authorization)")
                    }
                    let consent = try #require(google.authorize(authorization))
                    let callback = "/oauth/google/callback?state=\(consent.state)&code=\(consent.code)&scope=https://www.googleapis.com/auth/calendar"

                    // Without the admin's session the callback connects nothing.
                    let stranger = try await client.execute(uri: callback, method: .get)
                    #expect(stranger.status == .seeOther)
                    #expect(stranger.headers[.location] == "/settings/availability?google=error&reason=session_required")

                    let back = try await client.execute(uri: callback, method: .get, headers: [.cookie: "atende_sid=\(t.sessions[.admin]!)"])
                    #expect(back.status == .seeOther)
                    #expect(back.headers[.location] == "/settings/availability?google=connected")
                    // The same answer again: the state was single use.
                    let again = try await client.execute(uri: callback, method: .get, headers: [.cookie: "atende_sid=\(t.sessions[.admin]!)"])
                    #expect(again.headers[.location] == "/settings/availability?google=error&reason=forbidden")

                    try await t.desk.jobs.runDue()
                    let status = try await client.execute(uri: "/api/v1/calendar/google", method: .get, headers: t.headers(for: .session(.manager)))
                    #expect(status.status == .ok)
                    let json = try status.json()
                    #expect(json["status"] as? String == "connected" && json["connected"] as? Bool == true)
                    #expect(json["last_sync_at"] is String && json["last_error"] is NSNull)
                    let staff = try #require(json["staff"] as? [[String: Any]])
                    #expect(staff.count == Role.allCases.count && staff.allSatisfy { $0["calendar_id"] as? String == "primary" })

                    // Leave the agent out of the sync, map the manager to a shared calendar.
                    let mapped = try await client.execute(uri: "/api/v1/calendar/google", method: .put, headers: admin, body: body(["calendars": [
                        t.staff[.agent]!.id.description: NSNull(), t.staff[.manager]!.id.description: "team@group.calendar.google.com"]]))
                    let calendars = Dictionary(uniqueKeysWithValues: try #require(try mapped.json()["staff"] as? [[String: Any]]).map {
                        ($0["staff_id"] as! String, $0["calendar_id"] as? String)
                    })
                    #expect(calendars[t.staff[.agent]!.id.description] == .some(nil))
                    #expect(calendars[t.staff[.manager]!.id.description] == "team@group.calendar.google.com")

                    let refresh = try #require(google.liveRefreshTokens.first)
                    let disconnected = try await client.execute(uri: "/api/v1/calendar/google/disconnect", method: .post, headers: admin)
                    let after = try disconnected.json()["status"] as? String
                    #expect(disconnected.status == .ok && after == "disconnected")
                    #expect(google.liveRefreshTokens.isEmpty, "the grant was revoked")
                    for line in log.lines {
                        #expect(!line.contains(refresh) && !line.contains(FakeGoogle.clientSecret) && !line.contains(consent.code),
                                "a secret was logged: \(line)")
                    }
                }
            }
        }
    }
}
