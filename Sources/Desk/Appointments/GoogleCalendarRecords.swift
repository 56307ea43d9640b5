public import Foundation
public import Storage

/// Settings → Calendar → Google Calendar (one document): the OAuth client, which calendar each
/// staff member's appointments go to and whose busy times block their slots, and how the
/// connection stands. The client secret and the refresh token are in the vault
/// (`google.client_secret`, `google.refresh_token`), never here.
public struct GoogleCalendarSetup: Codable, Sendable, Equatable {
    static let key = Key("google_calendar")

    /// The OAuth client id from Google Cloud console (`….apps.googleusercontent.com`).
    public var clientID: String?
    /// Staff id → calendar id. A member not listed uses `primary` (the connected account's own
    /// calendar); an empty id leaves the member out of the sync.
    public var calendars: [String: String] = [:]
    /// When an admin last connected an account (nil: not connected).
    public var connectedAt: Date?
    /// Google refused the refresh token or the client (revoked, expired, client changed): nothing
    /// syncs until an admin connects again.
    public var needsReconnect = false
    /// When busy times were last read from Google.
    public var lastSyncAt: Date?
    /// What last went wrong (with the connection, or reading busy times), cleared by a success.
    public var lastError: String?
    public var lastErrorAt: Date?
    public var updatedAt: Date?

    public init() {}

    /// The calendar `staffID`'s appointments sync with, or nil when they are left out.
    public func calendarID(for staffID: String) -> String? {
        guard let id = calendars[staffID] else { return "primary" }
        return id.isEmpty ? nil : id
    }

    /// Connected, and Google has not refused the grant since.
    public var isActive: Bool { connectedAt != nil && !needsReconnect }
}

/// One staff member's busy times as Google last said, over `[from, to)`.
struct GoogleBusyRecord: Codable, Sendable, Equatable {
    let staffID: String
    let calendarID: String
    var from: Date
    var to: Date
    var busy: [DateInterval]
    var fetchedAt: Date
}

/// Where an appointment stands in Google Calendar: the event Google has (its calendar, id and
/// times, as of which appointment version), or why the last attempt failed for good.
public struct GoogleEventRecord: Codable, Sendable, Equatable {
    public let appointmentID: DocumentID
    /// Where the event is now; nil when there is none (never made, or deleted).
    public var calendarID: String?
    public var eventID: String?
    /// The times Google has, so our own events are not taken for busy time elsewhere.
    public var start: Date?
    public var end: Date?
    /// The appointment version the event shows.
    public var version: Int
    /// The event's status as sent (`confirmed`, or `tentative` while staff have not confirmed).
    public var status: String?
    public var syncedAt: Date?
    /// A final refusal (a 400 or 403 from Google, or retries given up): shown on the appointment;
    /// the next change, "Sync now" or a reconnect tries again.
    public var error: String?

    init(appointmentID: DocumentID, version: Int) { (self.appointmentID, self.version) = (appointmentID, version) }

    /// The `calendar_start` index: our events by calendar and start.
    static func calendarKey(_ calendarID: String, _ start: Date) -> Key { Key(Key(calendarID), Job.timeKey(start)) }
}

/// What an Admin sends to change the Google Calendar settings (nil keeps a value).
public struct GoogleCalendarInput: Sendable {
    public var clientID: String?
    /// Write-only; never returned.
    public var clientSecret: String?
    /// Staff id → calendar id (nil or "": leave the member out; "primary": the account's own).
    /// Members not named keep their calendar.
    public var calendars: [String: String?]?
    public init() {}
}

/// The Google Calendar settings object of the API: never the secret or a token.
public struct GoogleCalendarView: Encodable, Sendable {
    public struct StaffCalendar: Sendable, Equatable {
        public let staffID: String
        public let staffName: String
        public let calendarID: String?
    }

    public let setup: GoogleCalendarSetup
    public let clientSecretSet: Bool
    public let connected: Bool
    public let staff: [StaffCalendar]
    /// What to paste into Google Cloud console's "Authorized redirect URIs" (nil without public_url).
    public let redirectURI: String?

    private enum CodingKeys: String, CodingKey {
        case client_id, client_secret_set, redirect_uri, public_url_missing, status, connected, needs_reconnect, connected_at
        case last_sync_at, last_error, last_error_at, staff, updated_at
    }
    private enum StaffKeys: String, CodingKey { case staff_id, staff_name, calendar_id }

    /// `not_configured` (no client), `disconnected`, `connected`, or `needs_reconnect`.
    public var status: String {
        if setup.needsReconnect { return "needs_reconnect" }
        if connected { return "connected" }
        return setup.clientID != nil && clientSecretSet ? "disconnected" : "not_configured"
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(setup.clientID, forKey: .client_id)
        try c.encode(clientSecretSet, forKey: .client_secret_set)
        try c.encode(redirectURI, forKey: .redirect_uri)
        try c.encode(redirectURI == nil, forKey: .public_url_missing)
        try c.encode(status, forKey: .status)
        try c.encode(connected, forKey: .connected)
        try c.encode(setup.needsReconnect, forKey: .needs_reconnect)
        try c.encode(setup.connectedAt.map(APITime.string), forKey: .connected_at)
        try c.encode(setup.lastSyncAt.map(APITime.string), forKey: .last_sync_at)
        try c.encode(setup.lastError, forKey: .last_error)
        try c.encode(setup.lastErrorAt.map(APITime.string), forKey: .last_error_at)
        var list = c.nestedUnkeyedContainer(forKey: .staff)
        for member in staff {
            var s = list.nestedContainer(keyedBy: StaffKeys.self)
            try s.encode(member.staffID, forKey: .staff_id)
            try s.encode(member.staffName, forKey: .staff_name)
            try s.encode(member.calendarID, forKey: .calendar_id)
        }
        try c.encode(setup.updatedAt.map(APITime.string), forKey: .updated_at)
    }
}

/// The start of a connection: the consent page to send the admin to.
public struct GoogleConnectStart: Sendable, Encodable {
    public let authorizationURL: String
    public let redirectURI: String
    public let expiresAt: Date
    private enum CodingKeys: String, CodingKey { case authorization_url, redirect_uri, expires_at }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(authorizationURL, forKey: .authorization_url)
        try c.encode(redirectURI, forKey: .redirect_uri)
        try c.encode(APITime.string(expiresAt), forKey: .expires_at)
    }
}

/// Where Google's API is; settings like the others (`google_auth_url`, `google_oauth_url`,
/// `google_calendar_url`), and how often busy times are read.
public struct GoogleCalendarSettings: Sendable {
    public var authURL = "https://accounts.google.com"
    public var oauthURL = "https://oauth2.googleapis.com"
    public var calendarURL = "https://www.googleapis.com/calendar/v3"
    public var timeout: Duration = .seconds(15)
    /// Busy times are read again this often (5 minutes).
    public var busyRefreshInterval: TimeInterval = 300
    public init() {}
}
