public import Foundation
import Logging
public import Storage

extension Appointments {
    /// What a change wrote: the appointment, and the message that tells the customer (or why none).
    struct Change: Sendable {
        var appointment: Appointment
        var told: (message: Message, view: ConversationView)?
        var notice: String?
    }

    // MARK: Booking by hand (dashboard and API)

    /// Books `request` and tells the customer in its conversation. - Throws: `slot_taken` (409,
    /// with the nearest free times as `options`) when the time is not free any more — checked in
    /// the write transaction, so of two requests for the last slot exactly one gets it.
    public func book(_ request: BookingRequest, by requester: Requester, source: Appointment.Source = .staff) async throws -> AppointmentView {
        if let note = request.note, note.count > 1000 { throw DeskError.invalid("note", "A note is at most 1000 characters.") }
        let (id, messageID, at) = (core.newID(), core.newID(), core.now)
        let token = Secrets.randomToken(bytes: 18)
        let job = try core.jobs.make(Outbox.sendJob, payload: ["message": messageID.description], id: "send.\(messageID)")
        let audit = core.auditRecord(.appointmentBooked, object: "appointment:\(id)", by: requester)
        let change: Change
        do {
            change = try await core.store.write { txn -> Change in
                let view = try self.inbox.visible(request.conversationID, for: requester, in: txn)
                let appointment = try self.place(request, source: source, id: id, icsToken: token, contactID: view.contact.id, now: at, in: txn)
                try self.core.audit(audit, in: txn)
                var change = Change(appointment: appointment)
                try self.tell(&change, in: view, messageID: messageID, job: job, at: at, in: txn) { texts, setup, staffName in
                    texts.confirmation(appointment, staffName: staffName, address: setup.address, icsURL: self.icsURL(appointment))
                }
                return change
            }
        } catch let error as DeskError where error.code == .slotTaken {
            throw DeskError(.slotTaken, error.message, field: "start",
                            options: try nearestFree(request.serviceID, staff: request.staffID, to: request.start).map { APITime.string($0.start) })
        }
        return try published(change, created: true)
    }

    /// Moves an appointment to `start` (and `staffID`, when given), tells the customer, and
    /// reschedules its reminders (those of the old time are never sent).
    public func move(_ id: DocumentID, to start: Date, staff staffID: String? = nil, by requester: Requester) async throws -> AppointmentView {
        let (messageID, at) = (core.newID(), core.now)
        let job = try core.jobs.make(Outbox.sendJob, payload: ["message": messageID.description], id: "send.\(messageID)")
        let audit = core.auditRecord(.appointmentMoved, object: "appointment:\(id)", by: requester)
        let change: Change
        do {
            change = try await core.store.write { txn -> Change in
                let existing = try Self.visible(id, for: requester, in: txn)
                let moved = try self.reschedule(existing, to: start, staff: staffID, now: at, in: txn)
                try self.core.audit(audit, in: txn)
                var change = Change(appointment: moved)
                if let view = try self.conversation(of: moved, in: txn) {
                    try self.tell(&change, in: view, messageID: messageID, job: job, at: at, in: txn) { texts, _, _ in texts.moved(moved) }
                }
                return change
            }
        } catch let error as DeskError where error.code == .slotTaken {
            let serviceID = try core.store.read { txn in try Collections.appointments.get(Key(id), in: txn)?.serviceID }
            throw DeskError(.slotTaken, error.message, field: "start",
                            options: try serviceID.map { try nearestFree($0, staff: staffID, to: start, excluding: id).map { APITime.string($0.start) } })
        }
        return try published(change, created: false)
    }

    /// Cancels an appointment (its time is free again, its reminders are not sent) and tells the customer.
    public func cancel(_ id: DocumentID, reason: String? = nil, by requester: Requester) async throws -> AppointmentView {
        if let reason, reason.count > 500 { throw DeskError.invalid("reason", "A reason is at most 500 characters.") }
        let (messageID, at) = (core.newID(), core.now)
        let job = try core.jobs.make(Outbox.sendJob, payload: ["message": messageID.description], id: "send.\(messageID)")
        let audit = core.auditRecord(.appointmentCancelled, object: "appointment:\(id)", by: requester)
        let change = try await core.store.write { txn -> Change in
            let existing = try Self.visible(id, for: requester, in: txn)
            let cancelled = try self.cancelled(existing, reason: reason, now: at, in: txn)
            try self.core.audit(audit, in: txn)
            var change = Change(appointment: cancelled)
            if cancelled.start > at, let view = try self.conversation(of: cancelled, in: txn) {
                try self.tell(&change, in: view, messageID: messageID, job: job, at: at, in: txn) { texts, _, _ in texts.cancelled(existing) }
            }
            return change
        }
        return try published(change, created: false)
    }

    /// Staff confirm a pending booking, or mark one as a no-show or done (after it started); or change its note.
    public func mark(_ id: DocumentID, status: AppointmentStatus?, note: String?? = nil, by requester: Requester) async throws -> AppointmentView {
        if let note = note ?? nil, note.count > 1000 { throw DeskError.invalid("note", "A note is at most 1000 characters.") }
        let at = core.now
        let audit = core.auditRecord(.appointmentMarked, object: "appointment:\(id)", by: requester)
        let change = try await core.store.write { txn -> Change in
            var appointment = try Self.visible(id, for: requester, in: txn)
            let before = appointment
            if let status, status != appointment.status {
                guard appointment.status != .cancelled else {
                    throw DeskError(.conflict, "This appointment was cancelled; book a new one instead.", field: "status")
                }
                switch status {
                case .confirmed, .booked: break
                case .noShow, .completed:
                    guard appointment.start <= at else {
                        throw DeskError.invalid("status", "An appointment is marked as a no-show or done only once it has started.")
                    }
                case .pending, .cancelled:
                    throw DeskError.invalid("status", "Use cancel to cancel; an appointment goes back to pending only by a move.")
                }
                appointment.status = status
            }
            if let note { appointment.note = note.flatMap { $0.isEmpty ? nil : $0 } }
            guard appointment != before else { return Change(appointment: appointment) }
            appointment.updatedAt = at
            try Collections.appointments.put(appointment, replacing: before, in: txn)
            if appointment.status != before.status { try GoogleCalendar.scheduleSync(appointment, jobs: self.core.jobs, in: txn) }   // tentative → confirmed
            try self.core.audit(audit, in: txn)
            return Change(appointment: appointment)
        }
        return try published(change, created: false)
    }

    // MARK: In a transaction (shared with the booking dialogue)

    /// Checks the slot and writes the appointment with its reminders. - Throws: `slot_taken`.
    func place(_ request: BookingRequest, source: Appointment.Source, id: DocumentID, icsToken: String, contactID: DocumentID,
                      now: Date, in txn: borrowing WriteTransaction) throws -> Appointment {
        guard let service = try Collections.services.get(Key(request.serviceID), in: txn), service.active else {
            throw DeskError(.notFound, "No active service has this id.", field: "service_id")
        }
        if let staffID = request.staffID, !service.staffIDs.contains(staffID) {
            throw DeskError.invalid("staff_id", "This staff member does not perform \(service.name).")
        }
        guard let staffID = try Self.freeStaff(for: service, among: request.staffID.map { [$0] } ?? service.staffIDs, at: request.start,
                                          now: now, excluding: nil, in: txn) else {
            throw DeskError(.slotTaken, "That time was just taken, or is not a time this service can start.")
        }
        let end = request.start.addingTimeInterval(Double(service.durationMinutes) * 60)
        let appointment = Appointment(id: id, serviceID: service.id, serviceName: service.name, durationMinutes: service.durationMinutes,
                                      bufferAfterMinutes: service.bufferAfterMinutes, priceCents: service.priceCents, staffID: staffID,
                                      contactID: contactID, conversationID: request.conversationID, start: request.start, end: end,
                                      status: service.needsConfirmation ? .pending : .booked, source: source, note: request.note,
                                      version: 1, reminders: [], icsToken: icsToken, createdAt: now, updatedAt: now)
        try Collections.appointments.insert(appointment, in: txn)
        try scheduleReminders(appointment, now: now, in: txn)
        try GoogleCalendar.scheduleSync(appointment, jobs: core.jobs, in: txn)
        return appointment
    }

    func reschedule(_ existing: Appointment, to start: Date, staff: String?, now: Date, in txn: borrowing WriteTransaction) throws -> Appointment {
        guard existing.status == .pending || existing.status == .booked || existing.status == .confirmed else {
            throw DeskError(.conflict, "Only an appointment still to come can be moved (this one is \(existing.status.rawValue)).")
        }
        let service = try Collections.services.get(Key(existing.serviceID), in: txn)
        // A service deleted since keeps its booking's length and buffer.
        let shape = service ?? BookableService(id: existing.serviceID, name: existing.serviceName, durationMinutes: existing.durationMinutes,
                                               priceCents: existing.priceCents, bufferAfterMinutes: existing.bufferAfterMinutes,
                                               staffIDs: [existing.staffID], needsConfirmation: false, aliases: [], active: true,
                                               createdAt: existing.createdAt, updatedAt: existing.updatedAt)
        let candidates = staff.map { [$0] } ?? [existing.staffID]
        if let staff, !shape.staffIDs.contains(staff) { throw DeskError.invalid("staff_id", "This staff member does not perform \(shape.name).") }
        guard let staffID = try Self.freeStaff(for: shape, among: candidates, at: start, now: now, excluding: existing.id, in: txn) else {
            throw DeskError(.slotTaken, "That time was just taken, or is not a time this service can start.")
        }
        var moved = existing
        moved.start = start
        moved.end = start.addingTimeInterval(Double(existing.durationMinutes) * 60)
        moved.staffID = staffID
        moved.version += 1
        moved.reminders = []
        moved.updatedAt = now
        if moved.status == .confirmed { moved.status = .booked }
        try Collections.appointments.put(moved, replacing: existing, in: txn)
        try scheduleReminders(moved, now: now, in: txn)
        try GoogleCalendar.scheduleSync(moved, jobs: core.jobs, in: txn)
        return moved
    }

    func cancelled(_ existing: Appointment, reason: String?, now: Date, in txn: borrowing WriteTransaction) throws -> Appointment {
        guard existing.status != .cancelled else { throw DeskError(.conflict, "This appointment is already cancelled.") }
        guard existing.status != .noShow, existing.status != .completed else {
            throw DeskError(.conflict, "This appointment is over (\(existing.status.rawValue)); it cannot be cancelled.")
        }
        var cancelled = existing
        cancelled.status = .cancelled
        cancelled.version += 1
        cancelled.updatedAt = now
        if let reason, !reason.isEmpty { cancelled.note = [existing.note, reason].compactMap { $0 }.joined(separator: "\n") }
        try Collections.appointments.put(cancelled, replacing: existing, in: txn)
        try GoogleCalendar.scheduleSync(cancelled, jobs: core.jobs, in: txn)
        return cancelled
    }

    /// The first of `staff` free for `service` at exactly `start`, by the slot search itself
    /// (hours, breaks, time off, holidays, bookings and buffers, notice, horizon, the slot grid).
    static func freeStaff(for service: BookableService, among staff: [String], at start: Date, now: Date, excluding: DocumentID?,
                          in txn: borrowing some TransactionReading & ~Copyable) throws -> String? {
        let window = DateInterval(start: start, end: start.addingTimeInterval(1))
        let query = try query(for: service, staff: staff, now: now, window: window, excluding: excluding, in: txn)
        return SlotSearch.free(query, from: window.start, to: window.end, limit: 1).first { $0.start == start }?.staffID
    }

    /// The three free times nearest to `wanted` (a week either side), for "that time was just taken".
    func nearestFree(_ serviceID: DocumentID, staff: String?, to wanted: Date, excluding: DocumentID? = nil) throws -> [Slot] {
        let now = core.now
        return try core.store.read { txn in
            guard let service = try Collections.services.get(Key(serviceID), in: txn) else { return [] }
            let from = max(now, wanted.addingTimeInterval(-7 * 86_400)), to = wanted.addingTimeInterval(7 * 86_400)
            guard from < to else { return [] }
            let query = try Self.query(for: service, staff: staff.map { [$0] } ?? service.staffIDs, now: now,
                                       window: DateInterval(start: from, end: to), excluding: excluding, in: txn)
            return SlotSearch.nearest(3, to: wanted, in: SlotSearch.free(query, from: from, to: to, limit: 2000))
        }
    }

    /// The conversation an appointment's customer is told in.
    func conversation(of appointment: Appointment, in txn: borrowing some TransactionReading & ~Copyable) throws -> ConversationView? {
        guard let id = appointment.conversationID, let conversation = try Collections.conversations.get(Key(id), in: txn),
              let contact = try Collections.contacts.get(Key(conversation.contactID), in: txn) else { return nil }
        return ConversationView(conversation, contact: contact)
    }

    /// Queues the text `compose` writes in `view`'s conversation, in the customer's language. A
    /// send the dispatcher refuses (window closed, opted out, number paused) does not undo the
    /// change: it becomes the change's notice.
    func tell(_ change: inout Change, in view: ConversationView, messageID: DocumentID, job: Job, at: Date, in txn: borrowing WriteTransaction,
              _ compose: (AppointmentTexts, CalendarSetup, String?) -> String) throws {
        let texts = try Self.texts(for: view.conversation.id, in: txn)
        let staffName = try StaffID(change.appointment.staffID).flatMap { try Collections.staff.get(Key($0.raw), in: txn) }?.name
        let text = compose(texts, try Self.setup(in: txn), staffName)
        do {
            change.told = try outbox.queue(.text(text), in: view, author: Self.author, replyTo: nil, messageID: messageID, job: job, at: at,
                                           requester: .commandLine, in: txn)
        } catch let error as DeskError {
            change.notice = "The customer was not told: \(error.message)"
        }
    }

    static let author = MessageAuthor(kind: .system, id: nil, name: "Appointments")

    /// The customer's language (as the assistant last read it) and the business's zone and name.
    static func texts(for conversationID: DocumentID, in txn: borrowing some TransactionReading & ~Copyable) throws -> AppointmentTexts {
        let settings = try AssistantSettingsKey.settings(in: txn)
        let language = try Collections.assistantStates.get(Key(conversationID), in: txn)?.language ?? settings.language.rawValue
        return AppointmentTexts(language: language, zone: settings.zone, business: settings.businessName)
    }

    /// The appointment's `.ics` link, when `public_url` is set.
    func icsURL(_ appointment: Appointment) -> String? {
        publicURL.map { "\($0)/calendar/appointments/\(appointment.id)/\(appointment.icsToken).ics" }
    }

    /// After the commit: wakes the dispatcher, publishes the appointment and the message, and
    /// returns the API's view.
    func published(_ change: Change, created: Bool) throws -> AppointmentView {
        if let told = change.told {
            core.jobs.wake()
            core.publish(.messageCreated(told.view, told.message))
            core.publish(.conversationUpdated(told.view))
        }
        return try publish(change.appointment, created: created, notice: change.notice)
    }

    /// Publishes the appointment as it is now to whoever may see it.
    @discardableResult
    func publish(_ appointment: Appointment, created: Bool, notice: String? = nil) throws -> AppointmentView {
        var view = try core.store.read { txn in try Self.view(appointment, in: txn) }
        view.notice = notice
        core.jobs.wake()            // a Google Calendar sync may have been scheduled with the change
        core.publish(created ? .appointmentCreated(view) : .appointmentUpdated(view))
        return view
    }
}
