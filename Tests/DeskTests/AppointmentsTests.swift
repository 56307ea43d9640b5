import AtendeTesting
import Assistant
import Desk
import Foundation
import Storage
import Testing

/// The calendar through Desk's public interface, over a real store with an injected clock: the
/// booking checked inside its write transaction, moves and cancellations, who sees what, and
/// reminders that follow the appointment.
@Suite struct AppointmentsTests {
    /// A desk with one WhatsApp conversation, the owner working every day 09:00–18:00 and a
    /// 60-minute "Limpeza" with 15 minutes of buffer.
    struct Calendar {
        let f: InboxFixture
        let service: BookableService
        let conversation: ConversationView
        var desk: Desk { f.desk }
        var staffID: String { f.owner.staffID!.description }

        static func with<R>(hours: [BusinessHours.Interval] = [BusinessHours.Interval(9, to: 18)], _ body: (Calendar) async throws -> R) async throws -> R {
            try await InboxFixture.with { f in
                try await f.ingest(f.messages([f.text("wamid.1", "Oi, quero marcar uma limpeza")]))
                let staff = f.owner.staffID!.description
                _ = try await f.desk.appointments.setAvailability(staff, hours: BusinessHours(days: (1...7).map { .init(weekday: $0, intervals: hours) }),
                                                                  timeOff: [], by: f.owner)
                let service = try await f.desk.appointments.createService(
                    ServiceInput(name: "Limpeza", durationMinutes: 60, priceCents: 12_000, bufferAfterMinutes: 15, staffIDs: [staff], aliases: ["limpeza dental"]),
                    by: f.owner)
                return try await body(Calendar(f: f, service: service, conversation: try f.onlyConversation()))
            }
        }

        func slots(days: Double = 3) throws -> [Slot] {
            try desk.appointments.slots(service: service.id, from: f.clock.now, to: f.clock.now.addingTimeInterval(days * 86_400), limit: 500)
        }

        func book(_ start: Date) async throws -> AppointmentView {
            try await desk.appointments.book(BookingRequest(serviceID: service.id, start: start, conversationID: conversation.conversation.id), by: f.owner)
        }
    }

    @Test func concurrentRequestsForTheLastSlotMakeOneBookingAndTellTheOthersTheNextFreeTimes() async throws {
        try await Calendar.with { c in
            let wanted = try #require(try c.slots().first).start
            let outcomes = await withTaskGroup(of: Result<AppointmentView, DeskError>.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        do { return .success(try await c.book(wanted)) } catch let error as DeskError { return .failure(error) } catch {
                            return .failure(DeskError(.internal, "\(error)"))
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            let booked = outcomes.compactMap { try? $0.get() }
            let refused = outcomes.compactMap { if case .failure(let error) = $0 { error } else { nil } }
            #expect(booked.count == 1)
            #expect(refused.count == 11 && refused.allSatisfy { $0.code == .slotTaken && $0.field == "start" })
            // The next free times are offered: never the taken one, and never inside its buffer.
            let options = try #require(refused.first?.options)
            #expect(!options.isEmpty && options.count <= 3)
            let taken = booked[0].appointment.held
            for option in options {
                let start = try #require(try? Date(option, strategy: .iso8601))
                #expect(!DateInterval(start: start, end: start.addingTimeInterval(3600)).intersects(taken) || start >= taken.end)
            }
            // Exactly one appointment is stored, and its slot is gone from the free list.
            let stored = try c.desk.appointments.list(from: c.f.clock.now, to: c.f.clock.now.addingTimeInterval(7 * 86_400), for: c.f.owner)
            #expect(stored.count == 1)
            #expect(!(try c.slots()).contains { $0.start == wanted })
        }
    }

    @Test func aBookingByHandTellsTheCustomerWithDateServicePriceAndHowToCancel() async throws {
        try await Calendar.with { c in
            let start = try #require(try c.slots().first).start
            let view = try await c.book(start)
            #expect(view.appointment.status == .booked && view.notice == nil && view.contactName == "Ana Ruiz")
            let told = try #require(try c.f.thread(c.conversation).first)
            #expect(told.direction == .outbound && told.author.kind == .system)
            let text = try #require(told.content.text)
            #expect(text.contains("Limpeza") && text.contains("R$ 120,00") && text.contains("cancelar"))
            // The contact's history lists it.
            #expect(try c.desk.appointments.appointments(ofContact: c.conversation.contact.id, for: c.f.owner).map(\.appointment.id) == [view.appointment.id])
        }
    }

    @Test func aTimeOutsideTheHoursOffTheGridOrTooSoonIsRefusedAndNothingIsStored() async throws {
        try await Calendar.with { c in
            let first = try #require(try c.slots().first).start
            for start in [first.addingTimeInterval(7 * 60),              // off the 15-minute grid
                          c.f.clock.now.addingTimeInterval(30 * 60),      // inside the 2-hour notice
                          first.addingTimeInterval(-3 * 3600)] {          // before opening, or too soon
                await #expect(throws: DeskError.self) { _ = try await c.book(start) }
            }
            #expect(try c.desk.appointments.list(from: c.f.clock.now, to: c.f.clock.now.addingTimeInterval(86_400 * 7), for: c.f.owner).isEmpty)
        }
    }

    @Test func movingFreesTheOldTimeAndCancellingFreesTheNewOne() async throws {
        try await Calendar.with { c in
            let slots = try c.slots()
            let booked = try await c.book(slots[0].start)
            let later = try #require(slots.first { $0.start >= booked.appointment.held.end.addingTimeInterval(3600) }).start
            let moved = try await c.desk.appointments.move(booked.appointment.id, to: later, by: c.f.owner)
            #expect(moved.appointment.start == later && moved.appointment.version == 2)
            #expect(try c.slots().contains { $0.start == slots[0].start })
            #expect(!(try c.slots()).contains { $0.start == later })
            let cancelled = try await c.desk.appointments.cancel(booked.appointment.id, reason: "cliente pediu", by: c.f.owner)
            #expect(cancelled.appointment.status == .cancelled)
            #expect(try c.slots().contains { $0.start == later })
            let again = await expectDeskError(.conflict) { _ = try await c.desk.appointments.cancel(booked.appointment.id, by: c.f.owner) }
            #expect(again != nil)
            // The customer heard of the booking, the move and the cancellation.
            #expect(try c.f.thread(c.conversation).filter { $0.author.kind == .system }.count == 3)
        }
    }

    @Test func remindersGoAtTheirHoursAndNeverForAnOldTimeOrACancelledAppointment() async throws {
        try await Calendar.with { c in
            let slots = try c.slots(days: 4)
            // Two days ahead: both the 24-hour and the 2-hour reminder are scheduled.
            let start = try #require(slots.first { $0.start > c.f.clock.now.addingTimeInterval(2 * 86_400) }).start
            let booked = try await c.book(start)
            #expect(try c.desk.jobs.job("reminder.\(booked.appointment.id).1.24") != nil)
            // Moved a day later before the first reminder: the old ones do nothing.
            let moved = try await c.desk.appointments.move(booked.appointment.id, to: start.addingTimeInterval(86_400), by: c.f.owner)
            c.f.clock.advance(by: start.addingTimeInterval(-24 * 3600).timeIntervalSince(c.f.clock.now) + 1)
            _ = try await c.desk.jobs.runDue()
            #expect(try c.desk.appointments.appointment(moved.appointment.id, for: c.f.owner).appointment.reminders.isEmpty)
            // The new time's 24-hour reminder goes with buttons (the customer's window is open … or not).
            c.f.clock.advance(by: 86_400)
            _ = try await c.desk.jobs.runDue()
            let reminded = try c.desk.appointments.appointment(moved.appointment.id, for: c.f.owner).appointment
            #expect(reminded.reminders.map(\.hours) == [24])
            // The customer last wrote over 24 hours ago and no template is chosen: skipped, and said why.
            #expect(reminded.reminders[0].skipped?.contains("template") == true)
            // Cancelled before the 2-hour reminder: it never goes.
            _ = try await c.desk.appointments.cancel(moved.appointment.id, by: c.f.owner)
            c.f.clock.advance(by: 22 * 3600)
            _ = try await c.desk.jobs.runDue()
            #expect(try c.desk.appointments.appointment(moved.appointment.id, for: c.f.owner).appointment.reminders.count == 1)
        }
    }

    @Test func aReminderInsideTheWindowAsksToConfirmMoveOrCancelWithButtons() async throws {
        try await Calendar.with { c in
            let start = try #require(try c.slots(days: 1).first { $0.start > c.f.clock.now.addingTimeInterval(3 * 3600) }).start
            let booked = try await c.book(start)
            c.f.clock.advance(by: start.addingTimeInterval(-2 * 3600).timeIntervalSince(c.f.clock.now) + 1)
            _ = try await c.desk.jobs.runDue()
            let reminder = try #require(try c.f.thread(c.conversation).first)
            #expect(reminder.type == "interactive")
            #expect(reminder.content.interactive?.buttons.map(\.title) == ["Confirmar", "Remarcar", "Cancelar"])
            let stored = try c.desk.appointments.appointment(booked.appointment.id, for: c.f.owner).appointment
            #expect(stored.reminders.first?.messageID == reminder.id)
        }
    }

    @Test func anAgentSeesOnlyTheAppointmentsOfConversationsAssignedToThem() async throws {
        try await Calendar.with { c in
            let booked = try await c.book(try #require(try c.slots().first).start)
            let agent = try await c.desk.createStaff(name: "Bia", email: "bia@example.com", role: "agent", password: "correct horse battery staple", by: c.f.owner)
            let requester = Requester(actor: AuditActor(id: agent.id.description, name: agent.name), role: .agent, staffID: agent.id, ip: nil)
            let window = (c.f.clock.now, c.f.clock.now.addingTimeInterval(7 * 86_400))
            #expect(try c.desk.appointments.list(from: window.0, to: window.1, for: requester).isEmpty)
            #expect(throws: DeskError.self) { _ = try c.desk.appointments.appointment(booked.appointment.id, for: requester) }
            _ = try await c.desk.inbox.update(c.conversation.conversation.id, ConversationChange(assignee: .some(agent.id)), by: c.f.owner)
            #expect(try c.desk.appointments.list(from: window.0, to: window.1, for: requester).count == 1)
        }
    }

    @Test func servicesAndSettingsAreCheckedFieldByField() async throws {
        try await Calendar.with { c in
            for (field, input) in [("duration_minutes", ServiceInput(name: "X", durationMinutes: 2)),
                                   ("name", ServiceInput(durationMinutes: 30)),
                                   ("staff_ids", ServiceInput(name: "X", durationMinutes: 30, staffIDs: ["nobody"])),
                                   ("price_cents", ServiceInput(name: "X", durationMinutes: 30, priceCents: .some(-1)))] {
                let error = await expectDeskError(.invalidField) { _ = try await c.desk.appointments.createService(input, by: c.f.owner) }
                #expect(error?.field == field)
            }
            var setup = CalendarSetup()
            setup.granularityMinutes = 7
            let error = await expectDeskError(.invalidField) { _ = try await c.desk.appointments.update(setup, by: c.f.owner) }
            #expect(error?.field == "granularity_minutes")
            let services = try c.desk.appointments.services()
            #expect(services.count == 1)
        }
    }
}
