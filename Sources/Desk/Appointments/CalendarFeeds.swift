public import Foundation
public import Storage

/// A staff member's calendar feed (issue 12, "calendars people already use"): a secret link that
/// Google or Apple Calendar subscribes to, showing that member's appointments. One per member,
/// stored under the member's id with only the SHA-256 digest of its token, as sessions and API
/// tokens are: a copy of the store does not open anyone's feed. A new feed replaces (so revokes)
/// the old one.
struct CalendarFeedRecord: Codable, Sendable {
    let staffID: String
    let digest: String
    let createdAt: Date
    /// The audit actor id of whoever made it.
    let createdBy: String?
}

/// A feed as listed: whose it is and since when (never the token).
public struct CalendarFeed: Sendable, Equatable {
    public let staffID: String
    public let staffName: String
    public let createdAt: Date
}

/// A feed just made: the only moment its token exists outside the subscriber's hands.
public struct NewCalendarFeed: Sendable {
    public let feed: CalendarFeed
    public let token: String
    /// The path of the feed on this server (`/calendar/feeds/{token}.ics`).
    public let path: String
    /// The full link to subscribe to, when `public_url` is set.
    public let url: String?
}

extension Appointments {
    /// Where feeds are served; the token is the last part (request logs redact it).
    public static let feedPathPrefix = "/calendar/feeds/"

    /// The feeds `requester` may see: every feed for those with the dashboard in full (Admins and
    /// Managers), otherwise only their own.
    public func feeds(for requester: Requester) throws -> [CalendarFeed] {
        try core.store.read { txn in
            var feeds: [CalendarFeed] = []
            try Collections.calendarFeeds.forEach(in: txn) { record in
                if Self.may(requester, manageFeedOf: record.staffID),
                   let id = StaffID(record.staffID), let member = try Collections.staff.get(Key(id.raw), in: txn) {
                    feeds.append(CalendarFeed(staffID: record.staffID, staffName: member.name, createdAt: record.createdAt))
                }
                return true
            }
            return feeds.sorted { $0.staffName.localizedCaseInsensitiveCompare($1.staffName) == .orderedAscending }
        }
    }

    /// Makes `staffID`'s feed and returns its token, once; an existing feed of theirs stops working.
    /// - Throws: `.forbidden` unless it is the requester's own feed or they have the dashboard in
    ///   full; `.notFound` for an unknown or disabled staff member.
    public func createFeed(for staffID: String, by requester: Requester) async throws -> NewCalendarFeed {
        guard Self.may(requester, manageFeedOf: staffID) else {
            throw DeskError(.forbidden, "Only an admin or a manager can make another staff member's calendar feed.", field: "staff_id")
        }
        let token = Secrets.randomToken(bytes: 32)
        let record = CalendarFeedRecord(staffID: staffID, digest: Secrets.digest(token), createdAt: core.now, createdBy: requester.actor?.id)
        let audit = core.auditRecord(.calendarFeedCreated, object: "staff:\(staffID)", by: requester)
        let name = try await core.store.write { txn -> String in
            guard let id = StaffID(staffID), let member = try Collections.staff.get(Key(id.raw), in: txn), !member.disabled else {
                throw DeskError(.notFound, "No active staff member has this id.", field: "staff_id")
            }
            let old = try Collections.calendarFeeds.get(Key(staffID), in: txn)
            try Collections.calendarFeeds.put(record, replacing: old, in: txn)
            try self.core.audit(audit, in: txn)
            return member.name
        }
        let path = Self.feedPathPrefix + token + ".ics"
        return NewCalendarFeed(feed: CalendarFeed(staffID: staffID, staffName: name, createdAt: record.createdAt),
                               token: token, path: path, url: publicURL.map { $0 + path })
    }

    /// Revokes `staffID`'s feed: its link answers 404 from now on. - Throws: `.notFound`, also for
    /// someone else's feed the requester may not manage (whether it exists is not theirs to learn).
    public func revokeFeed(of staffID: String, by requester: Requester) async throws {
        guard Self.may(requester, manageFeedOf: staffID) else { throw DeskError(.notFound, "This staff member has no calendar feed.") }
        let audit = core.auditRecord(.calendarFeedRevoked, object: "staff:\(staffID)", by: requester)
        try await core.store.write { txn in
            guard try Collections.calendarFeeds.delete(Key(staffID), in: txn) else {
                throw DeskError(.notFound, "This staff member has no calendar feed.")
            }
            try self.core.audit(audit, in: txn)
        }
    }

    /// The feed's calendar, or nil when `token` opens none (never made, replaced, revoked, or its
    /// staff member disabled or gone). The token is found by its digest, never compared as text,
    /// so how long the lookup takes says nothing about how much of a guess was right.
    public func feedCalendar(token: String) throws -> String? {
        guard (16...128).contains(token.utf8.count) else { return nil }
        let digest = Secrets.digest(token)
        let now = core.now
        return try core.store.read { txn -> String? in
            guard let record = try Collections.calendarFeeds.get(unique: "digest", Key(digest), in: txn),
                  let id = StaffID(record.staffID), let member = try Collections.staff.get(Key(id.raw), in: txn), !member.disabled else {
                return nil
            }
            return try Self.feed(of: member.id.description, named: member.name, now: now, in: txn)
        }
    }

    /// One appointment as an `.ics` file (the link in the customer's confirmation), or nil when
    /// the id or the token is wrong. The token is compared in constant time.
    public func appointmentCalendar(_ id: DocumentID, token: String) throws -> String? {
        let now = core.now
        return try core.store.read { txn -> String? in
            guard let appointment = try Collections.appointments.get(Key(id), in: txn),
                  Self.constantTimeEqual(Array(appointment.icsToken.utf8), Array(token.utf8)) else { return nil }
            return try Self.file(for: appointment, now: now, in: txn)
        }
    }

    /// Everyone manages their own feed; those with the dashboard in full (Admins, Managers, the
    /// command line) manage anyone's. An API token acts for its owner.
    static func may(_ requester: Requester, manageFeedOf staffID: String) -> Bool {
        requester.role.permissions.allows(.dashboard, .full) || requester.ownerID?.description == staffID
    }

    /// Whether `a` and `b` are equal, in a time that depends only on their lengths.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
