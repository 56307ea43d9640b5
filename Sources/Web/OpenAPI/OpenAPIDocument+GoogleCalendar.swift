import Desk

extension OpenAPIDocument {
    /// Settings → Calendar → Google Calendar.
    nonisolated(unsafe) static let googleCalendarOperations: [String: Operation] = [
        APIRoutes.getGoogleCalendar.operationID: Operation(
            summary: "The Google Calendar settings: the OAuth client (the secret only as client_secret_set), the redirect URI to paste into Google Cloud console (null, with public_url_missing true, until public_url is set), the connection's status (not_configured, disconnected, connected, needs_reconnect) with the last sync time and last error, and each enabled staff member's calendar (null: left out of the sync).",
            responses: [json("GoogleCalendarSettings")]),
        APIRoutes.updateGoogleCalendar.operationID: Operation(
            summary: "Change the OAuth client and the staff members' calendars; fields left out stay. client_secret is write-only (sealed in the vault). calendars maps staff ids to calendar ids (primary: the connected account's own; null or \"\": leave the member out); members not named keep theirs. A new client_id disconnects (Google binds the refresh token to its client). 422 invalid_field names the field.",
            request: "GoogleCalendarSettingsRequest", responses: [json("GoogleCalendarSettings")]),
        APIRoutes.connectGoogleCalendar.operationID: Operation(
            summary: "Start connecting: the Google consent page to send the browser to (response_type=code, access_type=offline, prompt=consent, the calendar scope, PKCE S256). Its state is single use, expires in 10 minutes and works only in the browser session that asked (403 session_required for an API token). 409 not_configured naming public_url, client_id or client_secret when one is missing.",
            responses: [json("GoogleCalendarConnect")]),
        APIRoutes.googleCalendarCallback.operationID: Operation(
            summary: "Where Google sends the admin's browser back (the redirect URI). Checks state against the browser session, exchanges code for tokens, seals the refresh token in the vault, then reads busy times and sends every upcoming appointment. Always answers 303 to /settings/availability with google=connected, or google=error&reason=<code> (forbidden: unknown, used, expired or foreign state; invalid_field: access denied on Google's page; provider_refused: Google refused the code or gave no refresh token; session_required: not signed in as an admin).",
            responses: [("303", "To the dashboard, saying how it went", nil, "")],
            parameters: [["name": "code", "in": "query", "required": false, "schema": S.string],
                         ["name": "state", "in": "query", "required": false, "schema": S.string],
                         ["name": "error", "in": "query", "required": false, "schema": S.string]]),
        APIRoutes.disconnectGoogleCalendar.operationID: Operation(
            summary: "Disconnect: revoke the grant at Google (best effort), forget the refresh token and the busy times. Events already in Google stay there.",
            responses: [json("GoogleCalendarSettings")]),
        APIRoutes.syncGoogleCalendar.operationID: Operation(
            summary: "Sync now: read busy times at once and send every upcoming appointment whose event is missing, out of date or failed. 409 not_configured when not connected.",
            responses: [json("GoogleCalendarSettings")]),
    ]
}

extension OpenAPISchemas {
    nonisolated(unsafe) static let googleCalendar: JSON = [
        "GoogleCalendarSettings": object([
            "client_id": nullableString, "client_secret_set": ["type": "boolean"], "redirect_uri": nullableString,
            "public_url_missing": ["type": "boolean"],
            "status": ["type": "string", "enum": ["not_configured", "disconnected", "connected", "needs_reconnect"]],
            "connected": ["type": "boolean"], "needs_reconnect": ["type": "boolean"], "connected_at": nullableDateTime,
            "last_sync_at": nullableDateTime, "last_error": nullableString, "last_error_at": nullableDateTime,
            "staff": ["type": "array", "items": object(["staff_id": string, "staff_name": string, "calendar_id": nullableString])],
            "updated_at": nullableDateTime,
        ]),
        "GoogleCalendarSettingsRequest": object([
            "client_id": string, "client_secret": ["type": "string", "writeOnly": true],
            "calendars": ["type": "object", "additionalProperties": nullableString],
        ], required: []),
        "GoogleCalendarConnect": object(["authorization_url": string, "redirect_uri": string, "expires_at": dateTime]),
        "GoogleCalendarEvent": object(["calendar_id": nullableString, "event_id": nullableString, "synced_at": nullableDateTime,
                                       "error": nullableString]),
    ]
}
