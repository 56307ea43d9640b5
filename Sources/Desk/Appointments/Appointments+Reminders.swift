import Foundation
import Logging
import Storage

/// The input of an `appointment.reminder` job: which appointment, as of which version (a move or
/// a cancellation makes a new version, and the reminder of an older one is not sent).
struct ReminderPayload: Codable, Sendable {
    let appointment: String
    let version: Int
    let hours: Int
}

extension Appointments {
    static func reminderJobID(_ appointment: Appointment, hours: Int) -> String { "reminder.\(appointment.id).\(appointment.version).\(hours)" }

    /// Schedules the appointment's reminders in the caller's transaction (those already due are
    /// left out: a booking made two hours ahead gets no 24-hour reminder). Their ids name the
    /// appointment's version, so a replayed write schedules the same jobs.
    func scheduleReminders(_ appointment: Appointment, now: Date, in txn: borrowing WriteTransaction) throws {
        guard appointment.status.holdsTime else { return }
        for hours in try Self.setup(in: txn).reminderHours {
            let due = appointment.start.addingTimeInterval(-Double(hours) * 3600)
            guard due > now else { continue }
            try core.jobs.schedule(try core.jobs.make(Self.reminderJob, payload: ReminderPayload(appointment: appointment.id.description,
                                                                                                version: appointment.version, hours: hours),
                                                      at: due, id: Self.reminderJobID(appointment, hours: hours)), in: txn)
        }
    }

    /// Runs one reminder: buttons to confirm, move or cancel while the customer's window is open
    /// (numbered on SMS), the approved template when it is closed. Sent once per appointment
    /// version and hour; an appointment moved, cancelled or over is left alone.
    func sendReminder(_ job: Job) async throws -> JobOutcome {
        guard let payload = try? job.input(as: ReminderPayload.self), let id = DocumentID(string: payload.appointment) else {
            return .fail(reason: "the reminder names no appointment")
        }
        let at = core.now
        let messageID = core.newID()
        let sendJob = try core.jobs.make(Outbox.sendJob, payload: ["message": messageID.description], id: "send.\(messageID)")
        let change = try await core.store.write { txn -> Change? in
            guard let appointment = try Collections.appointments.get(Key(id), in: txn), appointment.version == payload.version,
                  appointment.status == .pending || appointment.status == .booked || appointment.status == .confirmed,
                  appointment.start > at, !appointment.reminders.contains(where: { $0.hours == payload.hours }) else { return nil }
            var change = Change(appointment: appointment)
            var reminder = Appointment.Reminder(hours: payload.hours, at: at, messageID: nil, skipped: nil)
            if let view = try self.conversation(of: appointment, in: txn) {
                let texts = try Self.texts(for: view.conversation.id, in: txn)
                let name = view.contact.name ?? view.contact.profileName ?? ""
                let draft: OutboundDraft?
                if view.conversation.kind == .whatsapp, !CustomerWindow.isOpen(lastInboundAt: view.conversation.lastInboundAt, now: at) {
                    draft = try Self.setup(in: txn).reminderTemplate.map {
                        .template(TemplateUse(name: $0.name, language: $0.language,
                                              parameters: [name.isEmpty ? "—" : name, appointment.serviceName, texts.when(appointment.start)]))
                    }
                    if draft == nil { reminder.skipped = "The customer's 24-hour window is closed and no reminder template is chosen." }
                } else {
                    let choices = texts.reminderChoices.enumerated().map { InteractiveContent.Choice(id: "appointment.\(["confirm", "move", "cancel"][$0.offset])", title: $0.element) }
                    draft = .interactive(.buttons(body: texts.reminder(appointment, name: name.isEmpty ? "" : name), choices))
                }
                if let draft {
                    do {
                        change.told = try self.outbox.queue(draft, in: view, author: Self.author, replyTo: nil, messageID: messageID,
                                                            job: sendJob, at: at, requester: .commandLine, in: txn)
                        reminder.messageID = messageID
                        // The answer ("Confirmar", "2", "cancelar") is read by the booking dialogue.
                        try Collections.bookingDialogues.put(BookingDialogue(conversationID: view.conversation.id, step: .reminder, serviceID: nil,
                                                                             appointmentID: appointment.id, offered: [], language: texts.language,
                                                                             updatedAt: at), in: txn)
                    } catch let error as DeskError {
                        reminder.skipped = error.message
                    }
                }
            } else {
                reminder.skipped = "The appointment has no conversation to send it in."
            }
            var updated = appointment
            updated.reminders.append(reminder)
            try Collections.appointments.put(updated, replacing: appointment, in: txn)
            change.appointment = updated
            change.notice = reminder.skipped
            return change
        }
        guard let change else { return .done }
        if let skipped = change.notice {
            core.logger.warning("appointment reminder not sent", metadata: ["atende.appointment": "\(id)", "atende.reason": "\(skipped)"])
        }
        _ = try published(change, created: false)
        return .done
    }
}
