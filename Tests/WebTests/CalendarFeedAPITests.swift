import AtendeTesting
import Desk
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Storage
import Testing
import Web

/// The calendar-feed routes over HTTP: made once with its token, served as text/calendar,
/// revoked to a 404, and the token never in the log.
@Suite struct CalendarFeedAPITests {
    @Test func aStaffMemberMakesTheirFeedFetchesItAndRevokesIt() async throws {
        let log = LogRecorder()
        try await TestDesk.with(logger: log.logger(level: .trace)) { t in
            let agent = t.staff[.agent]!
            try await t.server.makeApplication().test(.router) { client in
                let created = try await client.execute(uri: "/api/v1/calendar-feeds", method: .post,
                                                       headers: t.headers(for: .session(.agent)), body: body([:]))
                #expect(created.status == .created, "\(created.text)")
                let json = try created.json()
                let token = try #require(json["token"] as? String)
                let path = try #require(json["path"] as? String)
                #expect(json["staff_id"] as? String == agent.id.description)
                #expect(json.keys.contains("url") && json["url"] is NSNull, "no public_url: url is null")
                #expect(path == "/calendar/feeds/\(token).ics")

                let feed = try await client.execute(uri: path, method: .get)
                #expect(feed.status == .ok)
                #expect(feed.headers[.contentType] == "text/calendar; charset=utf-8")
                #expect(feed.headers[.cacheControl]?.contains("no-store") == true)
                #expect(feed.text.hasPrefix("BEGIN:VCALENDAR\r\n"))
                #expect(feed.text.contains("X-WR-CALNAME:agent person\r\n"))

                let mine = try await client.execute(uri: "/api/v1/calendar-feeds", method: .get, headers: t.headers(for: .session(.agent)))
                #expect(mine.status == .ok)
                #expect(!mine.text.contains(token), "a listing never shows the token")
                let items = try #require(try mine.json()["items"] as? [[String: Any]])
                #expect(items.map { $0["staff_id"] as? String } == [agent.id.description])

                let revoked = try await client.execute(uri: "/api/v1/calendar-feeds/\(agent.id)", method: .delete,
                                                       headers: t.headers(for: .session(.agent)))
                #expect(revoked.status == .noContent)
                let gone = try await client.execute(uri: path, method: .get)
                #expect(gone.status == .notFound)
                #expect(gone.error?.code == "not_found")

                for line in log.lines { #expect(!line.contains(token), "the token was logged: \(line)") }
            }
        }
    }

    @Test func onlyAdminsAndManagersMakeOrSeeOtherStaffMembersFeeds() async throws {
        try await TestDesk.with { t in
            let agentID = t.staff[.agent]!.id.description
            try await t.server.makeApplication().test(.router) { client in
                let refused = try await client.execute(uri: "/api/v1/calendar-feeds", method: .post,
                                                       headers: t.headers(for: .session(.operator)), body: body(["staff_id": agentID]))
                #expect(refused.status == .forbidden)
                let made = try await client.execute(uri: "/api/v1/calendar-feeds", method: .post,
                                                    headers: t.headers(for: .session(.manager)), body: body(["staff_id": agentID]))
                #expect(made.status == .created)
                let token = try #require(try made.json()["token"] as? String)

                let operatorView = try await client.execute(uri: "/api/v1/calendar-feeds", method: .get, headers: t.headers(for: .session(.operator)))
                #expect((try operatorView.json()["items"] as? [Any])?.isEmpty == true, "an operator has no feed of their own")
                let adminView = try await client.execute(uri: "/api/v1/calendar-feeds", method: .get, headers: t.headers(for: .token(.admin)))
                #expect(adminView.text.contains(agentID))

                // An operator cannot revoke it (and learns nothing: 404); a new feed revokes the old link.
                let notTheirs = try await client.execute(uri: "/api/v1/calendar-feeds/\(agentID)", method: .delete,
                                                         headers: t.headers(for: .session(.operator)))
                #expect(notTheirs.status == .notFound)
                #expect(try await client.execute(uri: "/calendar/feeds/\(token).ics", method: .get).status == .ok)
                let again = try await client.execute(uri: "/api/v1/calendar-feeds", method: .post,
                                                     headers: t.headers(for: .session(.agent)), body: body([:]))
                #expect(again.status == .created)
                #expect(try await client.execute(uri: "/calendar/feeds/\(token).ics", method: .get).status == .notFound)
            }
        }
    }

    @Test func aWrongAppointmentLinkIsNotFound() async throws {
        try await TestDesk.with(seeded: false) { t in
            try await t.server.makeApplication().test(.router) { client in
                for path in ["/calendar/appointments/\(DocumentID())/abcdefabcdefabcdefabcdef.ics", "/calendar/appointments/nonsense/x.ics",
                             "/calendar/feeds/abcdefabcdefabcdefabcdefabcdefabcdefabcdefa.ics"] {
                    let response = try await client.execute(uri: path, method: .get)
                    #expect(response.status == .notFound, "\(path)")
                }
            }
        }
    }
}
