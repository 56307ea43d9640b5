public import Assistant
public import Foundation
import Logging
public import Storage

/// The built-in calendar (seeds 001 §3 and 003): services, who works when, the booking rules, and
/// the appointments themselves — booked by staff, by the API or by the assistant in a chat, with
/// reminders that go as durable jobs. A booking checks its slot again inside its write
/// transaction, so two customers asking for the last slot at the same instant get one booking and
/// one `slot_taken` with the next free times.
public final class Appointments: Sendable {
    static let reminderJob: JobKind = "appointment.reminder"

    let core: DeskCore
    let inbox: Inbox
    let outbox: Outbox
    /// Where customers reach this server (the `.ics` links), without a trailing slash.
    let publicURL: String?

    init(core: DeskCore, inbox: Inbox, outbox: Outbox, publicURL: String?) {
        (self.core, self.inbox, self.outbox) = (core, inbox, outbox)
        self.publicURL = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    func registerJobs() {
        core.jobs.register(Self.reminderJob) { [unowned self] job in try await self.sendReminder(job) }
        core.jobs.register(Self.lapseJob) { [unowned self] job in try await self.lapse(job) }
    }

    // MARK: Settings

    public func setup() throws -> CalendarSetup {
        try core.store.read { txn in try Self.setup(in: txn) }
    }

    static func setup(in txn: borrowing some TransactionReading & ~Copyable) throws -> CalendarSetup {
        try Collections.calendarSetup.get(CalendarSetup.key, in: txn) ?? CalendarSetup()
    }

    /// Replaces the rules, holidays and reminders. - Throws: `.invalidField` naming the first bad one.
    public func update(_ setup: CalendarSetup, by requester: Requester) async throws -> CalendarSetup {
        try setup.validate()
        let audit = core.auditRecord(.calendarUpdated, object: "settings:calendar", by: requester)
        try await core.store.write { txn in
            try Collections.calendarSetup.put(setup, in: txn)
            try self.core.audit(audit, in: txn)
        }
        return setup
    }

    // MARK: Services

    /// Every service, active first, then by name.
    public func services() throws -> [BookableService] {
        try core.store.read { txn in try Self.services(in: txn) }
    }

    static func services(in txn: borrowing some TransactionReading & ~Copyable) throws -> [BookableService] {
        try Collections.services.page(limit: 500, in: txn).items.sorted {
            $0.active != $1.active ? $0.active : $0.name.localizedCaseInsensitiveCompare($1.name) == .orderedAscending
        }
    }

    public func createService(_ input: ServiceInput, by requester: Requester) async throws -> BookableService {
        let at = core.now
        let id = core.newID()
        let service = try input.service(id: id, at: at)
        let audit = core.auditRecord(.serviceCreated, object: "service:\(id)", by: requester)
        try await core.store.write { txn in
            guard try Collections.services.count(in: txn) < 500 else { throw DeskError.invalid("name", "At most 500 services.") }
            try Self.checkStaff(service.staffIDs, in: txn)
            try Collections.services.insert(service, in: txn)
            try self.core.audit(audit, in: txn)
        }
        return service
    }

    public func updateService(_ id: DocumentID, _ input: ServiceInput, by requester: Requester) async throws -> BookableService {
        let at = core.now
        let audit = core.auditRecord(.serviceUpdated, object: "service:\(id)", by: requester)
        return try await core.store.write { txn in
            guard let existing = try Collections.services.get(Key(id), in: txn) else { throw DeskError(.notFound, "No service has this id.") }
            let service = try input.applied(to: existing, at: at)
            try Self.checkStaff(service.staffIDs, in: txn)
            try Collections.services.put(service, in: txn)
            try self.core.audit(audit, in: txn)
            return service
        }
    }

    /// Deletes a service; its appointments keep its name, length and price.
    public func deleteService(_ id: DocumentID, by requester: Requester) async throws {
        let audit = core.auditRecord(.serviceDeleted, object: "service:\(id)", by: requester)
        try await core.store.write { txn in
            guard try Collections.services.delete(Key(id), in: txn) else { throw DeskError(.notFound, "No service has this id.") }
            try self.core.audit(audit, in: txn)
        }
    }

    static func checkStaff(_ ids: [String], in txn: borrowing some TransactionReading & ~Copyable) throws {
        for id in ids {
            guard let staffID = StaffID(id), let record = try Collections.staff.get(Key(staffID.raw), in: txn), !record.disabled else {
                throw DeskError.invalid("staff_ids", "\(id.prefix(40)) is not an enabled staff member.")
            }
        }
    }

    // MARK: Availability

    /// The availability of every enabled staff member (an empty week for those not set yet).
    public func availability() throws -> [AvailabilityView] {
        try core.store.read { txn in
            var views: [AvailabilityView] = []
            try Collections.staff.forEach(in: txn) { record in
                guard !record.disabled else { return true }
                let stored = try Collections.staffAvailability.get(Key(record.id.description), in: txn)
                views.append(AvailabilityView(staffName: record.name, availability: stored ?? StaffAvailability(
                    staffID: record.id.description, hours: BusinessHours(days: []), timeOff: [], updatedAt: record.createdAt)))
                return true
            }
            return views
        }
    }

    /// Replaces one staff member's week and time off.
    public func setAvailability(_ staffID: String, hours: BusinessHours, timeOff: [StaffAvailability.TimeOff],
                                by requester: Requester) async throws -> AvailabilityView {
        do { try hours.validate() } catch { throw DeskError.invalid("hours", "The hours are not a week: \(error.message).") }
        guard timeOff.count <= 200 else { throw DeskError.invalid("time_off", "At most 200 periods of time off.") }
        for period in timeOff where !(period.start < period.end) || (period.note?.count ?? 0) > 200 {
            throw DeskError.invalid("time_off", "Time off runs forward (start before end), with a note of at most 200 characters.")
        }
        let availability = StaffAvailability(staffID: staffID, hours: hours, timeOff: timeOff.sorted { $0.start < $1.start }, updatedAt: core.now)
        let audit = core.auditRecord(.availabilityUpdated, object: "staff:\(staffID)", by: requester)
        let name = try await core.store.write { txn -> String in
            guard let id = StaffID(staffID), let record = try Collections.staff.get(Key(id.raw), in: txn) else {
                throw DeskError(.notFound, "No staff member has this id.")
            }
            try Collections.staffAvailability.put(availability, in: txn)
            try self.core.audit(audit, in: txn)
            return record.name
        }
        return AvailabilityView(staffName: name, availability: availability)
    }

    // MARK: Free slots

    /// Free slots for `serviceID` in `[from, to)` (staff `staffID` only, when given), earliest first.
    public func slots(service serviceID: DocumentID, staff staffID: String? = nil, from: Date, to: Date, limit: Int = 50) throws -> [Slot] {
        guard (1...500).contains(limit) else { throw DeskError.invalid("limit", "The limit must be between 1 and 500.") }
        guard from < to, to.timeIntervalSince(from) <= 366 * 86_400 else {
            throw DeskError.invalid("to", "The range runs forward (from before to) and spans at most a year.")
        }
        let now = core.now
        return try core.store.read { txn in
            guard let service = try Collections.services.get(Key(serviceID), in: txn), service.active else {
                throw DeskError(.notFound, "No active service has this id.")
            }
            if let staffID, !service.staffIDs.contains(staffID) {
                throw DeskError.invalid("staff_id", "This staff member does not perform \(service.name).")
            }
            // A week at a time, so a page of the nearest slots reads the bookings of the days it
            // covers, not of the whole range.
            var found: [Slot] = []
            var start = max(from, now)
            while start < to, found.count < limit {
                let end = min(to, start.addingTimeInterval(7 * 86_400))
                let query = try Self.query(for: service, staff: staffID.map { [$0] } ?? service.staffIDs, now: now,
                                           window: DateInterval(start: start, end: end), excluding: nil, in: txn)
                found += SlotSearch.free(query, from: start, to: end, limit: limit - found.count)
                start = end
            }
            return found
        }
    }

    /// The slot search's view of the store: each staff member's week, time off and booked time
    /// around `window`, the business holidays and rules, in the business time zone.
    static func query(for service: BookableService, staff: [String], now: Date, window: DateInterval, excluding: DocumentID?,
                      in txn: borrowing some TransactionReading & ~Copyable) throws -> SlotQuery {
        let setup = try setup(in: txn)
        let zone = try AssistantSettingsKey.settings(in: txn).zone
        let google = try GoogleCalendar.setup(in: txn)
        var schedules: [StaffSchedule] = []
        for staffID in staff {
            guard let id = StaffID(staffID), let record = try Collections.staff.get(Key(id.raw), in: txn), !record.disabled,
                  let availability = try Collections.staffAvailability.get(Key(staffID), in: txn) else { continue }
            // An appointment is at most 12 h long with 4 h of buffer: one starting a day before
            // the window cannot reach into it.
            var busy: [DateInterval] = []
            try Collections.appointments.forEach(index: "staff_start", from: Appointment.staffKey(staffID, window.start.addingTimeInterval(-86_400)),
                                                 in: txn) { appointment in
                guard appointment.staffID == staffID, appointment.start < window.end.addingTimeInterval(86_400) else { return false }
                if appointment.id != excluding { busy.append(appointment.held) }
                return true
            }
            busy += try GoogleCalendar.busy(for: staffID, around: window, setup: google, in: txn)   // their Google Calendar, when synced
            schedules.append(StaffSchedule(staffID: staffID, hours: availability.hours,
                                           timeOff: availability.timeOff.map { DateInterval(start: $0.start, end: $0.end) }, busy: busy))
        }
        return SlotQuery(duration: service.durationMinutes, bufferAfter: service.bufferAfterMinutes, staff: schedules,
                         holidays: Set(setup.holidays), zone: zone, now: now, minimumNotice: Double(setup.minimumNoticeMinutes) * 60,
                         maximumDaysAhead: setup.maximumDaysAhead, granularity: setup.granularityMinutes)
    }

    // MARK: Reading appointments

    /// Appointments starting in `[from, to)`, by start time; Agents see those of conversations
    /// assigned to them (and those they perform).
    public func list(from: Date, to: Date, staff staffID: String? = nil, status: AppointmentStatus? = nil,
                     for requester: Requester) throws -> [AppointmentView] {
        guard from < to, to.timeIntervalSince(from) <= 366 * 86_400 else {
            throw DeskError.invalid("to", "The range runs forward (from before to) and spans at most a year.")
        }
        return try core.store.read { txn in
            var views: [AppointmentView] = []
            try Collections.appointments.forEach(index: "start", from: Job.timeKey(from), in: txn) { appointment in
                guard appointment.start < to, views.count < 2000 else { return false }
                if staffID.map({ $0 == appointment.staffID }) ?? true, status.map({ $0 == appointment.status }) ?? true,
                   try Self.may(requester, see: appointment, in: txn) {
                    views.append(try Self.view(appointment, in: txn))
                }
                return true
            }
            return views
        }
    }

    public func appointment(_ id: DocumentID, for requester: Requester) throws -> AppointmentView {
        try core.store.read { txn in try Self.view(try Self.visible(id, for: requester, in: txn), in: txn) }
    }

    /// The contact's appointments, newest first (the contact's history in the inbox).
    public func appointments(ofContact contactID: DocumentID, for requester: Requester) throws -> [AppointmentView] {
        try core.store.read { txn in
            try Collections.appointments.page(index: "contact", equals: Key(contactID), limit: 200, reverse: true, in: txn).items
                .filter { try Self.may(requester, see: $0, in: txn) }
                .map { try Self.view($0, in: txn) }
        }
    }

    static func visible(_ id: DocumentID, for requester: Requester, in txn: borrowing some TransactionReading & ~Copyable) throws -> Appointment {
        guard let appointment = try Collections.appointments.get(Key(id), in: txn), try may(requester, see: appointment, in: txn) else {
            throw DeskError(.notFound, "No appointment has this id.")
        }
        return appointment
    }

    /// Everyone who sees every conversation sees every appointment; an Agent sees those of the
    /// conversations assigned to them and those they perform.
    static func may(_ requester: Requester, see appointment: Appointment, in txn: borrowing some TransactionReading & ~Copyable) throws -> Bool {
        switch requester.role.permissions.chats {
        case .full, .view: return true
        case .none: return false
        case .assigned:
            guard let me = requester.personID else { return false }
            if appointment.staffID == me.description { return true }
            guard let id = appointment.conversationID, let conversation = try Collections.conversations.get(Key(id), in: txn) else { return false }
            return conversation.assigneeID == me
        }
    }

    static func view(_ appointment: Appointment, in txn: borrowing some TransactionReading & ~Copyable) throws -> AppointmentView {
        let staff = try StaffID(appointment.staffID).flatMap { try Collections.staff.get(Key($0.raw), in: txn) }
        let contact = try Collections.contacts.get(Key(appointment.contactID), in: txn)
        let conversation = try appointment.conversationID.flatMap { try Collections.conversations.get(Key($0), in: txn) }
        var view = AppointmentView(appointment: appointment, staffName: staff?.name, contactName: contact?.displayName,
                                   contactPhone: contact?.phone, channel: conversation?.kind.rawValue, assigneeID: conversation?.assigneeID)
        view.googleEvent = try Collections.googleEvents.get(Key(appointment.id), in: txn)
        return view
    }
}

/// One staff member's availability with their name (Settings → Availability).
public struct AvailabilityView: Sendable, Equatable {
    public let staffName: String
    public let availability: StaffAvailability
}

/// The Appointment object of the API and of the `appointment.*` live events.
public struct AppointmentView: Sendable, Equatable {
    public let appointment: Appointment
    public let staffName: String?
    public let contactName: String?
    public let contactPhone: String?
    /// `whatsapp` or `sms`: where the customer is told.
    public let channel: String?
    let assigneeID: StaffID?
    /// What happened beyond the booking itself ("the customer could not be told: …").
    public var notice: String?
    /// Its event in Google Calendar, when the sync has touched it.
    public var googleEvent: GoogleEventRecord?

    init(appointment: Appointment, staffName: String?, contactName: String?, contactPhone: String?, channel: String?,
         assigneeID: StaffID?, notice: String? = nil) {
        (self.appointment, self.staffName, self.contactName, self.contactPhone) = (appointment, staffName, contactName, contactPhone)
        (self.channel, self.assigneeID, self.notice) = (channel, assigneeID, notice)
    }
}

extension Appointment {
    /// Where the appointment stands in its staff member's time (the `staff_start` index).
    static func staffKey(_ staffID: String, _ start: Date) -> Key { Key(Key(staffID), Job.timeKey(start)) }
}

extension AuditAction {
    public static let calendarUpdated = AuditAction("calendar.updated")
    public static let serviceCreated = AuditAction("service.created")
    public static let serviceUpdated = AuditAction("service.updated")
    public static let serviceDeleted = AuditAction("service.deleted")
    public static let availabilityUpdated = AuditAction("availability.updated")
    public static let appointmentBooked = AuditAction("appointment.booked")
    public static let appointmentMoved = AuditAction("appointment.moved")
    public static let appointmentCancelled = AuditAction("appointment.cancelled")
    public static let appointmentMarked = AuditAction("appointment.marked")
}
