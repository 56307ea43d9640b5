import AtendeTesting
import Assistant
import Desk
import Foundation
import Testing

/// Our own set of 50 Portuguese (pt-BR) booking requests, written the way customers of a dental
/// clinic write on WhatsApp (Tests/eval/bookings-pt.jsonl), each played as a whole dialogue through
/// the assistant's turns over a real store: the share that ends with the right slot booked and no
/// person needed is the figure the appointments issue asks for. It is printed; the floor below
/// keeps it from sliding back.
///
/// A case is the customer's messages in order and what they wanted. Days are counted from "now",
/// a Monday 09:00 in São Paulo; `{dia:+N}` in a message is written as that day of the month
/// ("dia 13") and `{tap:HH:MM}` taps the offered row at that time. The expectation is the
/// service and either a day and time, or the Nth time the assistant offered last (for "de manhã"
/// and "pode ser a primeira"), which must then fall in `between` on that day.
@Suite struct BookingEvalTests {
    struct Case: Decodable {
        let id: String
        let messages: [String]
        let service: String
        let day: Int
        let time: String?
        let offer: Int?
        let between: [String]?
    }

    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("eval/bookings-pt.jsonl")
    static let floor = 0.9

    static func cases() throws -> [Case] {
        let text = try String(contentsOf: file, encoding: .utf8)
        return try text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map {
            try JSONDecoder().decode(Case.self, from: Data($0.utf8))
        }
    }

    @Test func mostPortugueseBookingRequestsEndWithTheRightSlotBookedWithoutStaff() async throws {
        let cases = try Self.cases()
        #expect(cases.count == 50)
        #expect(Set(cases.map(\.id)).count == cases.count)
        var failures: [String] = []
        for item in cases {
            if let failure = try await Self.play(item) { failures.append("\(item.id): \(failure)") }
        }
        let share = Double(cases.count - failures.count) / Double(cases.count)
        print("booking eval (pt-BR): \(cases.count - failures.count) of \(cases.count) booked right without staff (\(String(format: "%.0f", share * 100)) %)")
        for failure in failures { print("  miss \(failure)") }
        #expect(share >= Self.floor, "booked right: \(share); misses:\n\(failures.joined(separator: "\n"))")
    }

    /// Plays one case on a fresh clinic; nil when the right slot was booked and no person was needed.
    static func play(_ item: Case) async throws -> String? {
        try await InboxFixture.with { f in
            let zone = TimeZone(identifier: "America/Sao_Paulo")!
            var calendar = Foundation.Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            // Now: the next Monday, 09:00 in São Paulo.
            var monday = calendar.startOfDay(for: f.clock.now.addingTimeInterval(86_400))
            while calendar.component(.weekday, from: monday) != 2 { monday = calendar.date(byAdding: .day, value: 1, to: monday)! }
            f.clock.advance(by: monday.addingTimeInterval(9 * 3600).timeIntervalSince(f.clock.now))
            let base = monday

            let staff = f.owner.staffID!.description
            let weekday = [BusinessHours.Interval(8, to: 12), BusinessHours.Interval(13, to: 18)]
            let week = BusinessHours(days: (2...6).map { .init(weekday: $0, intervals: weekday) } + [.init(weekday: 7, intervals: [BusinessHours.Interval(8, to: 12)])])
            _ = try await f.desk.appointments.setAvailability(staff, hours: week, timeOff: [], by: f.owner)
            var setup = try f.desk.appointments.setup()
            setup.address = "Rua das Flores, 120 — São Paulo"
            _ = try await f.desk.appointments.update(setup, by: f.owner)
            for (name, minutes, cents, aliases) in [("Limpeza", 60, 12_000, ["limpeza dental", "profilaxia"]),
                                                     ("Clareamento", 90, 60_000, ["clareamento dental"]),
                                                     ("Avaliação", 30, 0, ["consulta", "consulta de avaliação", "check-up"]),
                                                     ("Restauração", 60, 25_000, ["obturação", "restauracao"])] {
                _ = try await f.desk.appointments.createService(
                    ServiceInput(name: name, durationMinutes: minutes, priceCents: cents, bufferAfterMinutes: 15, staffIDs: [staff], aliases: aliases),
                    by: f.owner)
            }

            var lastRows: [InteractiveContent.Choice] = []
            var conversation: ConversationView?
            for (n, template) in item.messages.enumerated() {
                let id = "wamid.eval.\(item.id).\(n)"
                let itemJSON: String
                if template.hasPrefix("{tap:") {
                    let time = String(template.dropFirst(5).dropLast())
                    guard let index = lastRows.firstIndex(where: { $0.title.hasSuffix(time) }) else {
                        return "no offered time \(time) to tap (offered: \(lastRows.map(\.title)))"
                    }
                    itemJSON = #"{"from":"5511987650000","id":"\#(id)","timestamp":"\#(Int(f.clock.now.timeIntervalSince1970))","type":"interactive","interactive":{"type":"list_reply","list_reply":{"id":"\#(lastRows[index].id)","title":"\#(lastRows[index].title)"}}}"#
                } else {
                    itemJSON = f.text(id, Self.render(template, base: base, calendar: calendar), from: "5511987650000")
                }
                try await f.ingest(f.messages([itemJSON], from: "5511987650000", name: "Cliente"))
                f.clock.advance(by: 61)
                _ = try await f.desk.jobs.runDue()
                let current = try f.onlyConversation()
                conversation = current
                guard let reply = try f.thread(current).first, reply.direction == .outbound else {
                    let said = try f.thread(current).reversed().map { "\($0.direction == .outbound ? "<" : ">") \($0.content.text ?? $0.content.interactive?.body ?? "")" }
                    return "no answer to message \(n + 1) (\(current.conversation.status.rawValue)): \(said.joined(separator: " | "))"
                }
                if let rows = reply.content.interactive?.sections.first?.rows, !rows.isEmpty { lastRows = rows }
            }
            guard let conversation else { return "no conversation" }
            if conversation.conversation.status == .pendingHuman { return "handed to a person" }
            let booked = try f.desk.appointments.list(from: base, to: base.addingTimeInterval(30 * 86_400), for: f.owner)
            guard booked.count == 1, let appointment = booked.first?.appointment else {
                let said = try f.thread(conversation).reversed().map { "\($0.direction == .outbound ? "<" : ">") \($0.content.text ?? $0.content.interactive.map { "\($0.body) \($0.sections.flatMap(\.rows).map(\.title))" } ?? "")" }
                return "\(booked.count) appointments booked: \(said.joined(separator: " | "))"
            }
            let service = try f.desk.appointments.services().first { $0.id == appointment.serviceID }
            guard service?.name == item.service else { return "booked \(service?.name ?? "?"), wanted \(item.service)" }
            let day = calendar.date(byAdding: .day, value: item.day, to: base)!
            let local = Self.clock(appointment.start, calendar: calendar)
            guard calendar.isDate(appointment.start, inSameDayAs: day) else {
                return "booked day +\(calendar.dateComponents([.day], from: base, to: calendar.startOfDay(for: appointment.start)).day ?? -1) \(local), wanted day +\(item.day)"
            }
            if let time = item.time, local != time { return "booked \(local), wanted \(time)" }
            if let offer = item.offer {
                guard offer <= lastRows.count, lastRows[offer - 1].title.hasSuffix(local) else {
                    return "booked \(local), not offer \(offer) of \(lastRows.map(\.title))"
                }
            }
            if let between = item.between, !(between[0] <= local && local < between[1]) { return "booked \(local), outside \(between)" }
            return nil
        }
    }

    /// `{dia:+N}` → "dia 13" (that day of the month).
    static func render(_ template: String, base: Date, calendar: Foundation.Calendar) -> String {
        guard let range = template.range(of: #"\{dia:\+(\d+)\}"#, options: .regularExpression) else { return template }
        let offset = Int(template[range].dropFirst(6).dropLast()) ?? 0
        let day = calendar.component(.day, from: calendar.date(byAdding: .day, value: offset, to: base)!)
        return template.replacingCharacters(in: range, with: "dia \(day)")
    }

    static func clock(_ date: Date, calendar: Foundation.Calendar) -> String {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
    }
}
