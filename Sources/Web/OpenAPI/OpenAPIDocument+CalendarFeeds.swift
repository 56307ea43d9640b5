import Desk

extension OpenAPIDocument {
    nonisolated(unsafe) static let calendarToken: JSON = [
        "name": "token", "in": "path", "required": true, "description": "The link's secret (without .ics).",
        "schema": ["type": "string", "maxLength": 128]]
    nonisolated(unsafe) static let ics: (String, String, JSON?, String) = ("200", "iCalendar (RFC 5545)", S.string, "text/calendar")

    /// Calendar feeds and the one-appointment `.ics` file.
    nonisolated(unsafe) static let calendarFeedOperations: [String: Operation] = [
        APIRoutes.listCalendarFeeds.operationID: Operation(
            summary: "Calendar feeds (never their tokens): every staff member's for Admins and Managers, only your own for the others.",
            responses: [json("CalendarFeedList")]),
        APIRoutes.createCalendarFeed.operationID: Operation(
            summary: "Make a staff member's calendar feed (staff_id; left out: your own) and return its token and link — the only time they are shown. Subscribe to url in Google or Apple Calendar. A new feed replaces the member's old one, whose link stops working. Your own feed, or anyone's with the dashboard in full (Admins, Managers): 403 forbidden otherwise; 404 not_found for an unknown or disabled member; url is null until public_url is set (path is always given).",
            request: "CalendarFeedCreateRequest", responses: [json("NewCalendarFeed", "201", "Created")]),
        APIRoutes.revokeCalendarFeed.operationID: Operation(
            summary: "Revoke a staff member's calendar feed (id: the staff member's id): its link answers 404 from now on. 404 not_found when there is none, or it is someone else's and you are not an Admin or Manager.",
            responses: [("204", "Revoked", nil, "")]),
        APIRoutes.calendarFeed.operationID: Operation(
            summary: "A staff member's calendar feed (iCalendar, UTC times): one VEVENT per appointment that holds their time from 30 days ago to the booking horizon; pending ones are TENTATIVE, cancelled ones are left out. The secret in the path is the credential: 404 not_found when it is wrong, replaced or revoked, or the member is disabled.",
            responses: [ics], parameters: [calendarToken]),
        APIRoutes.appointmentCalendar.operationID: Operation(
            summary: "One appointment as an iCalendar file (the \"add to calendar\" link of the booking confirmation; token is the appointment's own secret). A cancelled appointment says STATUS:CANCELLED. 404 not_found when the id or token is wrong.",
            responses: [ics], parameters: [calendarToken]),
    ]
}

extension OpenAPISchemas {
    nonisolated(unsafe) static let calendarFeeds: JSON = [
        "CalendarFeed": object(["staff_id": string, "staff_name": string, "created_at": dateTime]),
        "CalendarFeedList": list(of: "CalendarFeed"),
        "CalendarFeedCreateRequest": object(["staff_id": string], required: []),
        "NewCalendarFeed": object(["staff_id": string, "staff_name": string, "created_at": dateTime, "token": string,
                                   "path": string, "url": nullableString]),
    ]
}
