import AtendeTesting
import Channels
import Assistant
import Desk
import Foundation
import Storage
import Testing

/// Booking by chat through the assistant's turns, over a real store, with the clock moved by the
/// test: from "quero marcar uma limpeza amanhã às 14h" to the confirmation, and moving, cancelling
/// and answering a reminder — each step kept in the store.
@Suite struct BookingDialogueTests {
    typealias Calendar = AppointmentsTests.Calendar

    /// The customer writes `text` (or taps `choice`) and the assistant's turn runs.
    static func say(_ c: Calendar, _ text: String, choice: String? = nil) async throws -> Message {
        let id = "wamid.in.\(UUID().uuidString)"
        let item = choice.map {
            #"{"from":"34600111222","id":"\#(id)","timestamp":"\#(Int(c.f.clock.now.timeIntervalSince1970))","type":"interactive","interactive":{"type":"list_reply","list_reply":{"id":"\#($0)","title":"\#(text)"}}}"#
        } ?? c.f.text(id, text)
        try await c.f.ingest(c.f.messages([item]))
        c.f.clock.advance(by: 61)
        _ = try await c.desk.jobs.runDue()
        let reply = try #require(try c.f.thread(c.conversation).first)
        try #require(reply.direction == .outbound, "no answer to \(text)")
        return reply
    }

    /// A slot as the offer's list shows it ("sex 11/12 14:00").
    static func rowTitle(_ date: Date, locale: String = "pt_BR") -> String {
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "America/Sao_Paulo")
        formatter.locale = Locale(identifier: locale)
        formatter.dateFormat = "EEE dd/MM HH:mm"
        return formatter.string(from: date).replacingOccurrences(of: ".", with: "")
    }

    static func upcoming(_ c: Calendar) throws -> [AppointmentView] {
        try c.desk.appointments.list(from: c.f.clock.now, to: c.f.clock.now.addingTimeInterval(30 * 86_400), for: c.f.owner)
    }

    @Test func aCustomerBooksACleaningForTomorrowAtTwoByChoosingTheFirstOffer() async throws {
        try await Calendar.with { c in
            let offer = try await Self.say(c, "Oi, quero marcar uma limpeza amanhã às 14h")
            let rows = try #require(offer.content.interactive?.sections.first?.rows)
            #expect(rows.count == 3)
            #expect(rows.contains { $0.title.hasSuffix("14:00") })
            let confirmation = try await Self.say(c, "pode ser a primeira")
            let booked = try #require(try Self.upcoming(c).first)
            #expect(booked.appointment.source == .assistant && booked.appointment.status == .booked)
            #expect(Self.rowTitle(booked.appointment.start) == rows[0].title)
            let text = try #require(confirmation.content.text)
            #expect(text.contains("Limpeza") && text.contains("R$ 120,00") && text.contains("cancelar"))
            #expect(try Self.upcoming(c).count == 1)
        }
    }

    @Test func aTimeTakenBetweenTheOfferAndTheAnswerIsSaidAndOtherTimesAreOffered() async throws {
        try await Calendar.with { c in
            let offer = try await Self.say(c, "quero agendar uma limpeza amanhã às 10h")
            let rows = try #require(offer.content.interactive?.sections.first?.rows)
            // Staff book the first offered time by hand meanwhile.
            let slots = try c.slots(days: 3)
            let first = try #require(slots.first { Self.rowTitle($0.start) == rows[0].title })
            _ = try await c.book(first.start)
            let retry = try await Self.say(c, "1", choice: "slot.1")
            #expect(retry.content.interactive?.body.contains("acabou de ser preenchido") == true)
            #expect(try Self.upcoming(c).count == 1)   // only the staff's booking
        }
    }

    @Test func aSpanishCustomerChoosesFromTheListAndTheDialogueSurvivesARestart() async throws {
        try await Calendar.with { c in
            let offer = try await Self.say(c, "Hola, quiero reservar una limpieza mañana por la tarde")
            #expect(offer.content.interactive?.body.contains("Horarios libres") == true)
            let rows = try #require(offer.content.interactive?.sections.first?.rows)
            // A second Desk over the same store — what the next start sees — takes the answer.
            let restarted = Desk(store: c.desk.store, hasher: FastBcrypt(), clock: c.f.clock, logger: .quiet)
            let id = "wamid.in.after-restart"
            let item = #"{"from":"34600111222","id":"\#(id)","timestamp":"\#(Int(c.f.clock.now.timeIntervalSince1970))","type":"interactive","interactive":{"type":"list_reply","list_reply":{"id":"slot.2","title":"\#(rows[1].title)"}}}"#
            let json = c.f.messages([item])
            _ = try await restarted.inbox.ingest(try WhatsAppWebhook(parsing: Array(json.utf8)), rawBody: Array(json.utf8))
            c.f.clock.advance(by: 61)
            _ = try await restarted.jobs.runDue()
            let booked = try #require(try Self.upcoming(c).first)
            #expect(Self.rowTitle(booked.appointment.start, locale: "es_ES") == rows[1].title)
            let confirmation = try #require(try c.f.thread(c.conversation).first?.content.text)
            #expect(confirmation.contains("Cita confirmada"))
        }
    }

    @Test func cancellingByChatAsksFirstAndThenFreesTheTime() async throws {
        try await Calendar.with { c in
            let start = try #require(try c.slots(days: 3).last).start
            _ = try await c.book(start)
            let question = try await Self.say(c, "preciso cancelar meu horário")
            #expect(question.content.text?.contains("Quer cancelar") == true)
            let done = try await Self.say(c, "sim")
            #expect(done.content.text?.contains("cancelado") == true)
            #expect(try Self.upcoming(c).first?.appointment.status == .cancelled)
        }
    }

    @Test func movingByChatOffersTimesAndMovesTheAppointment() async throws {
        try await Calendar.with { c in
            // Not the first free slot: it lies just past the 2-hour minimum notice, and when the test
            // started within two minutes of a quarter hour the dialogue's minutes carried it inside
            // the notice, where it can no longer be moved (failed when run at 12:13–12:15 UTC).
            let start = try #require(try c.slots(days: 3).first { $0.start > c.f.clock.now.addingTimeInterval(3 * 3600) }).start
            let booked = try await c.book(start)
            let ask = try await Self.say(c, "preciso remarcar")
            #expect(ask.content.text?.contains("Para quando") == true)
            let offer = try await Self.say(c, "depois de amanhã às 16h")
            #expect(offer.content.interactive?.sections.first?.rows.isEmpty == false)
            let moved = try await Self.say(c, "a segunda")
            #expect(moved.content.text?.contains("mudou para") == true)
            let now = try c.desk.appointments.appointment(booked.appointment.id, for: c.f.owner).appointment
            #expect(now.version == 2 && now.start != start)
            #expect(try Self.upcoming(c).count == 1)
        }
    }

    @Test func answeringAReminderWithConfirmarConfirmsTheAppointment() async throws {
        try await Calendar.with { c in
            let start = try #require(try c.slots(days: 1).first { $0.start > c.f.clock.now.addingTimeInterval(3 * 3600) }).start
            let booked = try await c.book(start)
            c.f.clock.advance(by: start.addingTimeInterval(-2 * 3600).timeIntervalSince(c.f.clock.now) + 1)
            _ = try await c.desk.jobs.runDue()
            let thanks = try await Self.say(c, "Confirmar", choice: "appointment.confirm")
            #expect(thanks.content.text?.contains("Confirmado") == true)
            #expect(try c.desk.appointments.appointment(booked.appointment.id, for: c.f.owner).appointment.status == .confirmed)
        }
    }

    @Test func aDialogueLeftUnansweredLapsesWithAPoliteWord() async throws {
        try await Calendar.with { c in
            _ = try await Self.say(c, "quero marcar uma limpeza")
            c.f.clock.advance(by: 31 * 60)
            _ = try await c.desk.jobs.runDue()
            let last = try #require(try c.f.thread(c.conversation).first)
            #expect(last.content.text?.contains("encerrar o agendamento") == true)
            // Afterwards "2" is not a choice any more: nothing is booked.
            _ = try await Self.say(c, "2")
            #expect(try Self.upcoming(c).isEmpty)
        }
    }
}
