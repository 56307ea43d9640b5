import Desk
import Foundation
import Hummingbird
import Storage

/// Calendars people already use (issue 12): each staff member's read-only feed behind a secret,
/// revocable link, and the one-appointment `.ics` file the booking confirmation links to. The
/// `.ics` routes are public — the secret in the path is the credential — so a wrong or revoked
/// secret is a plain 404 that says nothing about which part was wrong. The paths hold secrets:
/// `LoggedPath` redacts them wherever a request path is logged.
struct CalendarFeedsController {
    let appointments: Appointments

    func addRoutes(to routes: RouteRegistrar) {
        routes.add(APIRoutes.listCalendarFeeds) { _, context in
            try jsonResponse(ListView(items: try appointments.feeds(for: context.requester).map(CalendarFeedView.init), next_cursor: nil))
        }
        routes.add(APIRoutes.createCalendarFeed) { request, context in
            struct Body: Decodable { let staff_id: String? }
            let body = try await request.decodeJSON(as: Body.self, context: context)
            // Left out: the caller's own feed (a token made on the command line has no one to act for).
            guard let staffID = body.staff_id ?? context.requester.ownerID?.description else {
                throw DeskError.invalid("staff_id", "Name the staff member whose feed to make.")
            }
            let created = try await appointments.createFeed(for: staffID, by: context.requester)
            return try jsonResponse(NewCalendarFeedView(created), status: .created)
        }
        routes.add(APIRoutes.revokeCalendarFeed) { _, context in
            try await appointments.revokeFeed(of: context.parameters.get("id") ?? "", by: context.requester)
            return Response(status: .noContent)
        }

        routes.addPublic(APIRoutes.calendarFeed) { _, context in
            let token = context.parameters.get("token") ?? ""
            guard let calendar = try appointments.feedCalendar(token: token) else { throw Self.notFound }
            return Self.ics(calendar, filename: "atende.ics")
        }
        routes.addPublic(APIRoutes.appointmentCalendar) { _, context in
            guard let id = context.parameters.get("id").flatMap(DocumentID.init(string:)),
                  let calendar = try appointments.appointmentCalendar(id, token: context.parameters.get("token") ?? "") else {
                throw Self.notFound
            }
            return Self.ics(calendar, filename: "appointment.ics")
        }
    }

    static let notFound = APIError(status: .notFound, code: "not_found", message: "No calendar is at this link (it may have been revoked).")

    /// `text/calendar`, never stored by a shared cache (the link is a secret; a calendar app
    /// fetches it again on its own schedule).
    static func ics(_ calendar: String, filename: String) -> Response {
        Response(status: .ok,
                 headers: [.contentType: "text/calendar; charset=utf-8", .cacheControl: "private, no-store",
                           .contentDisposition: "inline; filename=\"\(filename)\""],
                 body: .init(byteBuffer: ByteBuffer(string: calendar)))
    }
}

/// A request path as logs may show it: the secret of a calendar link replaced by `…`.
enum LoggedPath {
    static func redacting(_ path: String) -> String {
        guard path.hasPrefix("/calendar/"), let slash = path.lastIndex(of: "/") else { return path }
        return path[...slash] + "…"
    }
}

struct CalendarFeedView: Encodable {
    let staff_id: String, staff_name: String, created_at: String
    init(_ feed: CalendarFeed) {
        (staff_id, staff_name, created_at) = (feed.staffID, feed.staffName, rfc3339(feed.createdAt))
    }
}

/// The token and link, shown once. `url` is null until `public_url` is set; `path` is always there.
struct NewCalendarFeedView: Encodable {
    let staff_id: String, staff_name: String, created_at: String, token: String, path: String, url: String?
    init(_ new: NewCalendarFeed) {
        (staff_id, staff_name, created_at) = (new.feed.staffID, new.feed.staffName, rfc3339(new.feed.createdAt))
        (token, path, url) = (new.token, new.path, new.url)
    }
    enum CodingKeys: String, CodingKey { case staff_id, staff_name, created_at, token, path, url }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(staff_id, forKey: .staff_id); try c.encode(staff_name, forKey: .staff_name)
        try c.encode(created_at, forKey: .created_at); try c.encode(token, forKey: .token)
        try c.encode(path, forKey: .path); try c.encode(url, forKey: .url)   // null, not absent
    }
}
