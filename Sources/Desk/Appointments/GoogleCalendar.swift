import AtendeCrypto
import Foundation
import Channels
import Logging
import Storage
import Synchronization

/// Two-way sync with Google Calendar (issue 12, item 5): an admin connects one Google account
/// (OAuth 2.0 web server flow); each staff member's busy times in their calendar block their
/// slots, and each appointment becomes an event there — inserted, moved and deleted by durable
/// jobs. The refresh token is sealed in the vault; access tokens live in memory only.
///
/// The connection is started from a signed-in browser session: the `state` sent to Google is
/// random, single use, expires in ten minutes and is bound to that session, and a PKCE verifier
/// goes with it, so a code that reaches another browser, or arrives twice, connects nothing.
public final class GoogleCalendar: Sendable {
    static let clientSecretName = "google.client_secret"
    static let refreshTokenName = "google.refresh_token"
    /// Where Google sends the admin back (registered as a public route by Web).
    public static let callbackPath = "/oauth/google/callback"
    /// How long a started connection waits for Google's answer.
    static let stateLifetime: TimeInterval = 600

    let core: DeskCore
    let vault: Vault?
    let client: GoogleClient
    let settings: GoogleCalendarSettings
    /// Where the admin's browser reaches this server, without a trailing slash.
    public let publicURL: String?
    /// The current access token and when it stops working (memory only).
    let accessToken = Mutex<(value: String, expiresAt: Date)?>(nil)
    /// Connections started and not finished, by the digest of their `state`.
    private let pending = Mutex<[String: PendingConnect]>([:])

    struct PendingConnect: Sendable {
        let sessionDigest: String
        let verifier: String
        let expiresAt: Date
    }

    init(core: DeskCore, vault: Vault?, client: GoogleClient, settings: GoogleCalendarSettings, publicURL: String?) {
        (self.core, self.vault, self.client, self.settings) = (core, vault, client, settings)
        self.publicURL = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    /// The redirect URI to register in Google Cloud console, or nil without `public_url`.
    public var redirectURI: String? { publicURL.map { $0 + Self.callbackPath } }

    // MARK: Settings

    public func setup() throws -> GoogleCalendarSetup {
        try core.store.read { txn in try Self.setup(in: txn) }
    }

    static func setup(in txn: borrowing some TransactionReading & ~Copyable) throws -> GoogleCalendarSetup {
        try Collections.googleCalendarSetup.get(GoogleCalendarSetup.key, in: txn) ?? GoogleCalendarSetup()
    }

    /// The settings object of the API: what is set (never the secret), the connection, and each
    /// enabled staff member's calendar.
    public func view() throws -> GoogleCalendarView {
        let names = (try? vault?.names()) ?? []
        return try core.store.read { txn in
            let setup = try Self.setup(in: txn)
            var staff: [GoogleCalendarView.StaffCalendar] = []
            try Collections.staff.forEach(in: txn) { record in
                if !record.disabled {
                    staff.append(.init(staffID: record.id.description, staffName: record.name, calendarID: setup.calendarID(for: record.id.description)))
                }
                return true
            }
            staff.sort { $0.staffName.localizedCaseInsensitiveCompare($1.staffName) == .orderedAscending }
            return GoogleCalendarView(setup: setup, clientSecretSet: names.contains(Self.clientSecretName),
                                      connected: setup.connectedAt != nil && names.contains(Self.refreshTokenName), staff: staff,
                                      redirectURI: redirectURI)
        }
    }

    /// Changes the client and the calendar of each named staff member. A new client id needs a
    /// new connection (Google binds the refresh token to its client), so it disconnects.
    public func update(_ input: GoogleCalendarInput, by requester: Requester) async throws -> GoogleCalendarView {
        guard let vault else { throw DeskError(.storeUnavailable, "The vault is not open; Google Calendar cannot be connected.") }
        if let id = input.clientID {
            guard (8...256).contains(id.utf8.count), id.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
                throw DeskError.invalid("client_id", "The client id is the one Google Cloud console shows (….apps.googleusercontent.com), without spaces.")
            }
        }
        if let secret = input.clientSecret {
            guard (8...256).contains(secret.utf8.count), secret.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
                throw DeskError.invalid("client_secret", "The client secret is the one Google Cloud console shows, without spaces.")
            }
        }
        if let calendars = input.calendars {
            guard calendars.count <= 200 else { throw DeskError.invalid("calendars", "At most 200 staff members.") }
            for case let id? in calendars.values where id.utf8.count > 254 || id.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) {
                throw DeskError.invalid("calendars", "A calendar id is at most 254 characters without spaces, like primary or name@group.calendar.google.com.")
            }
        }
        // The secret first: a setting saved without it would say "not configured" anyway.
        if let secret = input.clientSecret { try await vault.set(Self.clientSecretName, value: secret) }
        let at = core.now
        let audit = core.auditRecord(.googleCalendarUpdated, object: "google_calendar", by: requester)
        let clientChanged = try await core.store.write { txn -> Bool in
            var setup = try Self.setup(in: txn)
            let changed = input.clientID.map { $0 != setup.clientID } ?? false
            if let id = input.clientID { setup.clientID = id }
            if let calendars = input.calendars {
                for (staffID, calendar) in calendars {
                    guard let id = StaffID(staffID), try Collections.staff.get(Key(id.raw), in: txn) != nil else {
                        throw DeskError.invalid("calendars", "\(staffID.prefix(40)) is not a staff member.")
                    }
                    setup.calendars[staffID] = calendar ?? ""
                }
            }
            if changed { (setup.connectedAt, setup.needsReconnect) = (nil, false) }
            setup.updatedAt = at
            try Collections.googleCalendarSetup.put(setup, in: txn)
            try self.core.audit(audit, in: txn)
            if setup.isActive, input.calendars != nil { try self.scheduleResync(setup: setup, now: at, in: txn) }
            return changed
        }

        if clientChanged {
            _ = try await vault.delete(Self.refreshTokenName)
            accessToken.withLock { $0 = nil }
        }
        core.jobs.wake()
        return try view()
    }

    // MARK: Connecting

    /// Starts a connection from `session`: the consent page to send the admin to.
    /// - Throws: `.notConfigured` naming `public_url`, `client_id` or `client_secret` when one is missing.
    public func connect(session: SessionHandle) throws -> GoogleConnectStart {
        guard let redirectURI else {
            throw DeskError(.notConfigured, "Set public_url first: Google sends the admin back to this server's public address.", field: "public_url")
        }
        guard let clientID = try setup().clientID else { throw DeskError(.notConfigured, "Save the OAuth client id first.", field: "client_id") }
        guard (try? vault?.names().contains(Self.clientSecretName)) == true else {
            throw DeskError(.notConfigured, "Save the OAuth client secret first.", field: "client_secret")
        }
        let state = Secrets.randomToken(bytes: 24), verifier = Secrets.randomToken(bytes: 32)
        let expiresAt = core.now.addingTimeInterval(Self.stateLifetime)
        let now = core.now
        pending.withLock { pending in
            pending = pending.filter { $0.value.expiresAt > now }
            // A handful at most: an admin clicking Connect again and again does not grow memory.
            while pending.count >= 16, let oldest = pending.min(by: { $0.value.expiresAt < $1.value.expiresAt })?.key { pending[oldest] = nil }
            pending[Secrets.digest(state)] = PendingConnect(sessionDigest: session.digest, verifier: verifier, expiresAt: expiresAt)
        }
        let challenge: String
        do { challenge = Secrets.base64url(try SHA256.hash(Array(verifier.utf8))) } catch { preconditionFailure("SHA-256 failed: \(error)") }
        return GoogleConnectStart(authorizationURL: client.authorizationURL(clientID: clientID, redirectURI: redirectURI, state: state,
                                                                           codeChallenge: challenge),
                                  redirectURI: redirectURI, expiresAt: expiresAt)
    }

    /// Finishes a connection when Google sends the admin back: checks `state` (once, unexpired,
    /// from the same session), exchanges `code` for tokens, seals the refresh token, and starts
    /// syncing — busy times now, and every upcoming appointment's event.
    /// - Throws: `.forbidden` for a missing, used, expired or foreign state; `.providerRefused`
    ///   when Google refuses the code or gives no refresh token; `.invalidField` naming `error`
    ///   when the admin declined on Google's page.
    public func complete(code: String?, state: String?, error: String?, session: SessionHandle?, by requester: Requester) async throws {
        guard let vault else { throw DeskError(.storeUnavailable, "The vault is not open; Google Calendar cannot be connected.") }
        let now = core.now
        let started = state.flatMap { state in pending.withLock { $0.removeValue(forKey: Secrets.digest(state)) } }
        guard let started, started.expiresAt > now, let session, started.sessionDigest == session.digest else {
            throw DeskError(.forbidden, "This answer from Google does not match a connection started in this session in the last 10 minutes. Start again.", field: "state")
        }
        if let error { throw DeskError.invalid("error", "Google did not grant access (\(error.prefix(60))).") }
        guard let code, !code.isEmpty, code.utf8.count <= 2048 else { throw DeskError.invalid("code", "Google sent no authorization code.") }
        guard let clientID = try setup().clientID, let redirectURI, (try? vault.names().contains(Self.clientSecretName)) == true else {
            throw DeskError(.notConfigured, "Save the OAuth client id and secret first.", field: "client_id")
        }
        let secret = try vault.revealString(Self.clientSecretName)
        let tokens: GoogleClient.Tokens
        switch await client.exchange(code: code, clientID: clientID, clientSecret: secret, redirectURI: redirectURI, codeVerifier: started.verifier) {
        case .failure(let failure): throw DeskError(.providerRefused, "Google refused the authorization code: \(failure.message)")
        case .success(let answer): tokens = answer
        }
        guard let refresh = tokens.refreshToken else {
            throw DeskError(.providerRefused, "Google gave no refresh token; remove Atende's access in your Google account and connect again.")
        }
        try await vault.set(Self.refreshTokenName, value: refresh)
        accessToken.withLock { $0 = (tokens.accessToken, now.addingTimeInterval(Double(tokens.expiresIn) - 60)) }
        let audit = core.auditRecord(.googleCalendarConnected, object: "google_calendar", by: requester)
        let busyJob = try core.jobs.make(Self.busyJob, id: Self.busyJob.rawValue)
        try await core.store.write { txn in
            var setup = try Self.setup(in: txn)
            (setup.connectedAt, setup.needsReconnect, setup.lastError, setup.lastErrorAt, setup.updatedAt) = (now, false, nil, nil, now)
            try Collections.googleCalendarSetup.put(setup, in: txn)
            try self.core.audit(audit, in: txn)
            try self.core.jobs.schedule(busyJob, in: txn)
            try self.scheduleResync(setup: setup, now: now, in: txn)
        }
        core.jobs.wake()
        core.logger.notice("Google Calendar connected")
    }

    /// Disconnects: revokes the grant at Google (best effort), forgets the refresh token and the
    /// busy times. Events already in Google stay there; a reconnect to the same account updates them.
    public func disconnect(by requester: Requester) async throws -> GoogleCalendarView {
        guard let vault else { throw DeskError(.storeUnavailable, "The vault is not open.") }
        if (try? vault.names().contains(Self.refreshTokenName)) == true, let token = try? vault.revealString(Self.refreshTokenName) {
            if case .failure(let failure) = await client.revoke(token: token) {
                core.logger.notice("Google did not revoke the token; it is forgotten here anyway", metadata: ["atende.reason": "\(failure)"])
            }
        }
        _ = try await vault.delete(Self.refreshTokenName)
        accessToken.withLock { $0 = nil }
        let at = core.now
        let audit = core.auditRecord(.googleCalendarDisconnected, object: "google_calendar", by: requester)
        try await core.store.write { txn in
            var setup = try Self.setup(in: txn)
            (setup.connectedAt, setup.needsReconnect, setup.updatedAt) = (nil, false, at)
            try Collections.googleCalendarSetup.put(setup, in: txn)
            var staffIDs: [String] = []
            try Collections.googleBusy.forEach(in: txn) { staffIDs.append($0.staffID); return true }
            for id in staffIDs { _ = try Collections.googleBusy.delete(Key(id), in: txn) }
            try self.core.audit(audit, in: txn)
        }
        return try view()
    }

    /// "Sync now": reads busy times at once and sends every upcoming appointment not in Google yet.
    public func syncNow() async throws -> GoogleCalendarView {
        let at = core.now
        let busyJob = try core.jobs.make(Self.busyJob, id: Self.busyJob.rawValue)
        try await core.store.write { txn in
            let setup = try Self.setup(in: txn)
            guard setup.isActive else { throw DeskError(.notConfigured, "Connect Google Calendar first.", field: "status") }
            try self.core.jobs.schedule(busyJob, in: txn)
            try self.scheduleResync(setup: setup, now: at, in: txn)
        }
        core.jobs.wake()
        return try view()
    }

    // MARK: Tokens

    /// A working access token: the one in memory, or a new one from the refresh token.
    func currentToken(refresh: Bool = false) async -> Result<String, GoogleFailure> {
        let now = core.now
        if !refresh, let cached = accessToken.withLock({ $0 }), cached.expiresAt > now { return .success(cached.value) }
        guard let vault, let clientID = try? setup().clientID,
              let names = try? vault.names(), names.contains(Self.refreshTokenName), names.contains(Self.clientSecretName),
              let refreshToken = try? vault.revealString(Self.refreshTokenName), let secret = try? vault.revealString(Self.clientSecretName) else {
            return .failure(GoogleFailure(.reconnect, status: 0, message: "Google Calendar is not connected"))
        }
        switch await client.refresh(refreshToken: refreshToken, clientID: clientID, clientSecret: secret) {
        case .success(let tokens):
            accessToken.withLock { $0 = (tokens.accessToken, now.addingTimeInterval(Double(tokens.expiresIn) - 60)) }
            return .success(tokens.accessToken)
        case .failure(let failure):
            if failure.action == .reconnect { await markNeedsReconnect(failure) }
            return .failure(failure)
        }
    }

    /// Runs `call` with an access token; a 401 gets a new token and one more try.
    func authorized<T>(_ call: (String) async -> Result<T, GoogleFailure>) async -> Result<T, GoogleFailure> {
        let token: String
        switch await currentToken() {
        case .failure(let failure): return .failure(failure)
        case .success(let value): token = value
        }
        let first = await call(token)
        guard case .failure(let failure) = first, failure.action == .refreshToken else { return first }
        accessToken.withLock { $0 = nil }
        switch await currentToken(refresh: true) {
        case .failure(let failure): return .failure(failure)
        case .success(let fresh):
            let second = await call(fresh)
            if case .failure(var again) = second, again.action == .refreshToken {
                again.action = .retry
                return .failure(again)
            }
            return second
        }
    }

    /// Google refused the grant: say so in the settings, and stop syncing until a reconnect.
    func markNeedsReconnect(_ failure: GoogleFailure) async {
        accessToken.withLock { $0 = nil }
        let at = core.now
        core.logger.warning("Google Calendar needs reconnecting", metadata: ["atende.reason": "\(failure)"])
        let message = failure.reason == "invalid_grant"
            ? "Google no longer accepts the connection (\(failure.message)). Connect again."
            : "Google refused the OAuth client (\(failure.reason ?? "error"): \(failure.message)). Check the client id and secret, then connect again."
        do {
            try await core.store.write { txn in
                var setup = try Self.setup(in: txn)
                guard setup.connectedAt != nil else { return }
                (setup.needsReconnect, setup.lastError, setup.lastErrorAt) = (true, message, at)
                try Collections.googleCalendarSetup.put(setup, in: txn)
            }
        } catch {
            core.logger.error("could not record that Google Calendar needs reconnecting", metadata: ["atende.error": "\(error)"])
        }
    }
}

extension AuditAction {
    public static let googleCalendarUpdated = AuditAction("google_calendar.updated")
    public static let googleCalendarConnected = AuditAction("google_calendar.connected")
    public static let googleCalendarDisconnected = AuditAction("google_calendar.disconnected")
}
