import Desk
import Foundation
import HTTPTypes
import Hummingbird

/// Settings → Calendar → Google Calendar: the OAuth client, each staff member's calendar, and the
/// connection. Connecting needs an admin's browser session (the `state` is bound to it), and
/// Google sends the browser back to the public callback, which answers with a redirect to the
/// dashboard page saying how it went (`?google=connected`, or `?google=error&reason=…`).
struct GoogleCalendarController {
    let google: GoogleCalendar
    /// The dashboard page the callback returns the admin to.
    static let returnPath = "/settings/availability"

    func addRoutes(to routes: RouteRegistrar) {
        routes.add(APIRoutes.getGoogleCalendar) { _, _ in try jsonResponse(try google.view()) }
        routes.add(APIRoutes.updateGoogleCalendar) { request, context in
            let body = try await request.decodeJSON(as: GoogleCalendarBody.self, context: context)
            return try jsonResponse(try await google.update(body.input, by: context.requester))
        }
        routes.add(APIRoutes.connectGoogleCalendar) { _, context in
            guard case .staff(_, let session) = context.principal else { throw APIError.sessionRequired }   // the route says so too
            return try jsonResponse(try google.connect(session: session))
        }
        routes.add(APIRoutes.disconnectGoogleCalendar) { _, context in
            try jsonResponse(try await google.disconnect(by: context.requester))
        }
        routes.add(APIRoutes.syncGoogleCalendar) { _, _ in try jsonResponse(try await google.syncNow()) }

        routes.addPublic(APIRoutes.googleCalendarCallback) { request, context in
            let query = request.uri.queryParameters
            // Only an admin's own browser session finishes a connection; anything else is told
            // on the page, never with Google's code in a log or a URL of ours.
            guard case .staff(_, let session) = context.principal, APIRoutes.connectGoogleCalendar.allows(context.principal) else {
                return Self.back(error: "session_required")
            }
            do {
                try await google.complete(code: query["code"].map(String.init), state: query["state"].map(String.init),
                                          error: query["error"].map(String.init), session: session,
                                          by: context.principal!.requester(ip: context.clientIP))
                return Self.back(error: nil)
            } catch let error as DeskError {
                context.logger.notice("Google Calendar not connected", metadata: ["atende.reason": "\(error.code)", "atende.error": "\(error.message)"])
                return Self.back(error: error.code.rawValue)
            }
        }
    }

    /// 303 to the dashboard page, with how it went in the query.
    static func back(error: String?) -> Response {
        let query = error.map { "google=error&reason=\($0)" } ?? "google=connected"
        return Response(status: .seeOther, headers: [.location: "\(returnPath)?\(query)", .cacheControl: "no-store"])
    }
}

/// The body of PUT /api/v1/calendar/google: every field optional; `client_secret` is write-only;
/// `calendars` maps staff ids to calendar ids (null or "" leaves a member out).
struct GoogleCalendarBody: Decodable {
    let client_id: String?
    let client_secret: String?
    let calendars: [String: String?]?

    var input: GoogleCalendarInput {
        var input = GoogleCalendarInput()
        input.clientID = client_id
        input.clientSecret = client_secret
        input.calendars = calendars
        return input
    }
}
