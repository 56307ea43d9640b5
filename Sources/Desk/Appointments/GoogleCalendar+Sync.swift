import Foundation
import Channels
import Logging
import Storage

/// The input of a `google.event` job: the appointment whose event to bring in line.
struct GoogleEventPayload: Codable, Sendable {
    let appointment: String
}

extension GoogleCalendar {
    static let busyJob: JobKind = "google.busy"
    static let eventJob: JobKind = "google.event"
    /// Busy times are read in pieces of at most this many days.
    static let busyChunkDays = 60

    func registerJobs() {
        core.jobs.register(Self.busyJob) { [unowned self] job in await self.refreshBusy(job) }
        core.jobs.register(Self.eventJob) { [unowned self] job in try await self.syncEvent(job) }
    }

    // MARK: Scheduling (in the caller's transaction)

    /// Schedules the job that brings `appointment`'s event in line with it, in the caller's write
    /// transaction (booking, move, cancellation). One job per appointment: a later change replaces
    /// a job not run yet, and the job reads the appointment as it is when it runs. Nothing is
    /// scheduled while Google is not connected: connecting sends every upcoming appointment.
    static func scheduleSync(_ appointment: Appointment, jobs: Jobs, in txn: borrowing WriteTransaction) throws {
        guard try setup(in: txn).isActive else { return }
        try jobs.schedule(try eventSyncJob(appointment.id, jobs: jobs), in: txn)
    }

    static func eventSyncJob(_ id: DocumentID, jobs: Jobs) throws -> Job {
        try jobs.make(eventJob, payload: ["appointment": id.description], id: "google.event.\(id)")
    }

    /// Schedules the event job of every appointment from a day ago on whose event is missing, out
    /// of date or failed (at most 2000): what connecting, or changing the calendars, sends.
    func scheduleResync(setup: GoogleCalendarSetup, now: Date, in txn: borrowing WriteTransaction) throws {
        var count = 0
        try Collections.appointments.forEach(index: "start", from: Job.timeKey(now.addingTimeInterval(-86_400)), in: txn) { appointment in
            let record = try Collections.googleEvents.get(Key(appointment.id), in: txn)
            let wanted = appointment.status.holdsTime ? setup.calendarID(for: appointment.staffID) : nil
            if record?.calendarID != wanted || record?.version != appointment.version || record?.error != nil {
                if wanted != nil || record?.calendarID != nil {
                    try core.jobs.schedule(try Self.eventSyncJob(appointment.id, jobs: core.jobs), in: txn)
                    count += 1
                }
            }
            return count < 2000
        }
    }

    // MARK: Busy times

    /// Reads every synced staff member's busy times from now to the booking horizon, and comes
    /// back in `busyRefreshInterval`. A refused grant stops it (a reconnect starts it again); any
    /// other failure is noted in the settings and tried at the next round — a recurring job that
    /// gave up after eight failures would leave stale busy times for ever.
    func refreshBusy(_ job: Job) async -> JobOutcome {
        let now = core.now
        let next = now.addingTimeInterval(settings.busyRefreshInterval)
        let plan: (setup: GoogleCalendarSetup, staff: [(id: String, calendar: String)], days: Int)
        do {
            plan = try core.store.read { txn in
                let setup = try Self.setup(in: txn)
                var staff: [(id: String, calendar: String)] = []
                try Collections.staff.forEach(in: txn) { record in
                    if !record.disabled, let calendar = setup.calendarID(for: record.id.description) {
                        staff.append((record.id.description, calendar))
                    }
                    return true
                }
                return (setup, staff, try Appointments.setup(in: txn).maximumDaysAhead + 1)
            }
        } catch {
            return .again(at: next)
        }
        guard plan.setup.isActive else { return .done }
        let calendars = Array(Set(plan.staff.map(\.calendar))).sorted().prefix(50)
        var busy: [String: [DateInterval]] = [:]
        var problems: [String] = []
        let end = now.addingTimeInterval(Double(plan.days) * 86_400)
        var from = now
        while from < end, !calendars.isEmpty {
            let to = min(end, from.addingTimeInterval(Double(Self.busyChunkDays) * 86_400))
            let answer = await authorized { token in await self.client.freeBusy(calendarIDs: Array(calendars), from: from, to: to, accessToken: token) }
            switch answer {
            case .failure(let failure):
                if failure.action == .reconnect { return .done }
                await noteSync(error: "Reading busy times failed: \(failure)", at: now)
                return .again(at: next)
            case .success(let result):
                for (calendar, answer) in result {
                    busy[calendar, default: []] += answer.busy
                    if !answer.errors.isEmpty { problems.append("\(calendar): \(answer.errors.joined(separator: ", "))") }
                }
            }
            from = to
        }
        let fetched = busy, window = (from: now, to: end)
        let problem = problems.isEmpty ? nil : "Google could not read some calendars (\(Set(problems).sorted().joined(separator: "; ")))."
        do {
            try await core.store.write { txn in
                var kept = Set<String>()
                for member in plan.staff {
                    try Collections.googleBusy.put(GoogleBusyRecord(staffID: member.id, calendarID: member.calendar, from: window.from, to: window.to,
                                                                    busy: fetched[member.calendar] ?? [], fetchedAt: now), in: txn)
                    kept.insert(member.id)
                }
                var stale: [String] = []
                try Collections.googleBusy.forEach(in: txn) { if !kept.contains($0.staffID) { stale.append($0.staffID) }; return true }
                for id in stale { _ = try Collections.googleBusy.delete(Key(id), in: txn) }
                var setup = try Self.setup(in: txn)
                setup.lastSyncAt = now
                (setup.lastError, setup.lastErrorAt) = (problem, problem == nil ? nil : now)
                try Collections.googleCalendarSetup.put(setup, in: txn)
            }
        } catch {
            core.logger.error("Google busy times not stored", metadata: ["atende.error": "\(error)"])
        }
        return .again(at: next)
    }

    private func noteSync(error: String, at: Date) async {
        _ = try? await core.store.write { txn in
            var setup = try Self.setup(in: txn)
            (setup.lastError, setup.lastErrorAt) = (String(error.prefix(500)), at)
            try Collections.googleCalendarSetup.put(setup, in: txn)
        }
    }

    /// Google's busy time for `staffID` around `window`, without our own events in that calendar
    /// (they are our appointments, already busy on their own — and a moved or cancelled one must
    /// not block its old time): what the slot search adds to the member's busy time.
    static func busy(for staffID: String, around window: DateInterval, setup: GoogleCalendarSetup,
                     in txn: borrowing some TransactionReading & ~Copyable) throws -> [DateInterval] {
        // Not connected: nothing is read at all (the common case, on every slot search).
        guard setup.connectedAt != nil, let record = try Collections.googleBusy.get(Key(staffID), in: txn),
              setup.calendarID(for: staffID) == record.calendarID else { return [] }
        let from = window.start.addingTimeInterval(-86_400), to = window.end.addingTimeInterval(86_400)
        let theirs = record.busy.filter { $0.end > from && $0.start < to }
        guard !theirs.isEmpty else { return [] }
        var ours: [DateInterval] = []
        try Collections.googleEvents.forEach(index: "calendar_start", from: GoogleEventRecord.calendarKey(record.calendarID, from), in: txn) { event in
            guard event.calendarID == record.calendarID, let start = event.start, let end = event.end, start < to else { return false }
            if start < end { ours.append(DateInterval(start: start, end: end)) }
            return true
        }
        return subtract(ours, from: theirs)
    }

    /// `intervals` without any part covered by `holes` (half-open; pure).
    static func subtract(_ holes: [DateInterval], from intervals: [DateInterval]) -> [DateInterval] {
        let holes = holes.sorted { $0.start < $1.start }
        var result: [DateInterval] = []
        for interval in intervals {
            var start = interval.start
            for hole in holes where hole.end > start && hole.start < interval.end {
                if hole.start > start { result.append(DateInterval(start: start, end: hole.start)) }
                start = max(start, hole.end)
                if start >= interval.end { break }
            }
            if start < interval.end { result.append(DateInterval(start: start, end: interval.end)) }
        }
        return result
    }

    // MARK: Events

    /// The event id of `appointment` at `version`: base32hex (Google's rule for ids we choose:
    /// `a`–`v` and `0`–`9`, 5–1024 long) — the hex of the appointment id, `v`, the version. The
    /// same job run twice inserts the same id, and Google answers the second insert 409.
    static func eventID(_ appointment: DocumentID, version: Int) -> String {
        appointment.description.utf8.map { String(format: "%02x", $0) }.joined() + "v\(version)"
    }

    /// Brings one appointment's event in line with it: deletes it from a calendar it should no
    /// longer be in (cancelled, another staff member, a member left out), inserts or patches it
    /// in the one it should be in. A 404 or 410 on delete means it is gone already; a 404 on
    /// patch inserts it again; a 409 on insert means it is there already (a second run after a
    /// crash), and it is patched to be sure it shows this version (and is not a deleted one).
    func syncEvent(_ job: Job) async throws -> JobOutcome {
        guard let payload = try? job.input(as: GoogleEventPayload.self), let id = DocumentID(string: payload.appointment) else {
            return .fail(reason: "the job names no appointment")
        }
        let read = try core.store.read { txn -> (GoogleCalendarSetup, Appointment?, GoogleEventRecord?, String) in
            (try Self.setup(in: txn), try Collections.appointments.get(Key(id), in: txn), try Collections.googleEvents.get(Key(id), in: txn),
             try AssistantSettingsKey.settings(in: txn).zone.identifier)
        }
        let (setup, appointment, stored, zone) = read
        guard setup.isActive else { return .done }          // connecting again sends it
        var record = stored ?? GoogleEventRecord(appointmentID: id, version: 0)
        let wanted = appointment.flatMap { $0.status.holdsTime ? setup.calendarID(for: $0.staffID) : nil }

        if let calendar = record.calendarID, let eventID = record.eventID, calendar != wanted {
            switch await authorized({ token in await self.client.delete(eventID: eventID, calendarID: calendar, accessToken: token) }) {
            case .success: break
            case .failure(let failure) where failure.status == 404 || failure.status == 410: break
            case .failure(let failure): return try await outcome(failure, record: record, job: job)
            }
            let removed = record
            (record.calendarID, record.eventID, record.start, record.end, record.error) = (nil, nil, nil, nil, nil)
            record.syncedAt = core.now
            try await save(record, removing: removed)
        }
        guard let appointment, let calendar = wanted else {
            if stored != nil {
                try await save(record, removing: nil)
                try publish(id)
            }
            return .done
        }
        var event = try core.store.read { txn in try Self.event(for: appointment, zone: zone, in: txn) }
        if record.calendarID == calendar, let existing = record.eventID {
            event.id = existing
            guard record.version != appointment.version || record.start != appointment.start || record.end != appointment.end
                    || record.status != event.status || record.error != nil else {
                return .done
            }
            switch await authorized({ token in await self.client.patch(event, calendarID: calendar, accessToken: token) }) {
            case .success: break
            case .failure(let failure) where failure.status == 404 || failure.status == 410:
                // Deleted in Google by someone: put it back under a new id (the old one cannot be reused).
                event.id = Self.eventID(id, version: appointment.version)
                if event.id == existing { event.id += "r" }
                if let failure = await insert(event, calendar: calendar) { return try await outcome(failure, record: record, job: job) }
            case .failure(let failure): return try await outcome(failure, record: record, job: job)
            }
        } else {
            event.id = Self.eventID(id, version: appointment.version)
            if let failure = await insert(event, calendar: calendar) { return try await outcome(failure, record: record, job: job) }
        }
        let before = record
        (record.calendarID, record.eventID, record.start, record.end) = (calendar, event.id, appointment.start, appointment.end)
        (record.version, record.status, record.syncedAt, record.error) = (appointment.version, event.status, core.now, nil)
        try await save(record, removing: before.calendarID == nil ? nil : before)
        try publish(id)
        return .done
    }

    /// Tells the dashboards the appointment's event changed (its `google_calendar`).
    private func publish(_ id: DocumentID) throws {
        guard let view = try core.store.read({ txn in try Collections.appointments.get(Key(id), in: txn).map { try Appointments.view($0, in: txn) } }) else {
            return
        }
        core.publish(.appointmentUpdated(view))
    }

    /// Inserts `event`; a 409 (already there) patches it instead. Nil on success.
    private func insert(_ event: GoogleClient.Event, calendar: String) async -> GoogleFailure? {
        switch await authorized({ token in await self.client.insert(event, calendarID: calendar, accessToken: token) }) {
        case .success: return nil
        case .failure(let failure) where failure.status == 409:
            switch await authorized({ token in await self.client.patch(event, calendarID: calendar, accessToken: token) }) {
            case .success: return nil
            case .failure(let failure): return failure
            }
        case .failure(let failure): return failure
        }
    }

    /// What a refusal makes of the job: a refused grant waits for a reconnect (which sends the
    /// event again); a final refusal — or the last retry — is recorded on the appointment; the
    /// rest is retried.
    private func outcome(_ failure: GoogleFailure, record: GoogleEventRecord, job: Job) async throws -> JobOutcome {
        if failure.action == .reconnect { return .done }
        if failure.action != .fail, job.attempts < core.jobs.policy.maxAttempts {
            return .retry(reason: failure.description, after: failure.retryAfter)
        }
        var failed = record
        failed.error = String(failure.description.prefix(500))
        try await save(failed, removing: nil)
        try publish(record.appointmentID)
        return .fail(reason: failure.description)
    }

    /// Stores `record`; when an event left a calendar (`removing` had one), its time leaves the
    /// cached busy times of that calendar too, so a cancelled slot is free before the next read.
    private func save(_ record: GoogleEventRecord, removing old: GoogleEventRecord?) async throws {
        try await core.store.write { txn in
            let current = try Collections.googleEvents.get(Key(record.appointmentID), in: txn)
            try Collections.googleEvents.put(record, replacing: current, in: txn)
            guard let old, let calendar = old.calendarID, let start = old.start, let end = old.end, start < end,
                  old.calendarID != record.calendarID || old.start != record.start || old.end != record.end else { return }
            var busyRecords: [GoogleBusyRecord] = []
            try Collections.googleBusy.forEach(in: txn) { if $0.calendarID == calendar { busyRecords.append($0) }; return true }
            for var busy in busyRecords {
                busy.busy = Self.subtract([DateInterval(start: start, end: end)], from: busy.busy)
                try Collections.googleBusy.put(busy, in: txn)
            }
        }
    }

    /// The event for `appointment`: the service and customer as its title, how to reach them.
    static func event(for appointment: Appointment, zone: String, in txn: borrowing some TransactionReading & ~Copyable) throws -> GoogleClient.Event {
        let contact = try Collections.contacts.get(Key(appointment.contactID), in: txn)
        let name = contact?.displayName ?? ""
        var lines = ["Booked in Atende (\(appointment.source.rawValue))."]
        if !name.isEmpty { lines.append("Customer: \(name)") }
        if let phone = contact?.phone { lines.append("Phone: \(phone)") }
        if let note = appointment.note, !note.isEmpty { lines.append("Note: \(note)") }
        return GoogleClient.Event(id: "", summary: name.isEmpty ? appointment.serviceName : "\(appointment.serviceName) · \(name)",
                                  description: lines.joined(separator: "\n"), start: appointment.start, end: appointment.end, timeZone: zone,
                                  status: appointment.status == .pending ? "tentative" : "confirmed",
                                  privateProperties: ["atendeAppointmentId": appointment.id.description])
    }
}
