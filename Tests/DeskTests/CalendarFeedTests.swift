import Assistant
import Desk
import Foundation
import Storage
import Testing

/// Issue 12 part 5: each staff member's iCalendar feed behind a secret, revocable link, and the
/// one-appointment file of the booking confirmation. Real store, real bookings.
@Suite struct CalendarFeedTests {
    @Test func aFeedListsItsStaffMembersAppointmentsAndNoOneElses() async throws {
        try await CalendarFixture.with { f in
            let mine = try await f.book(with: f.ana, inHours: 26)
            let theirs = try await f.book(with: f.bruno, inHours: 27)
            let feed = try await f.desk.appointments.createFeed(for: f.ana.id.description, by: f.owner)
            let ics = try #require(try f.desk.appointments.feedCalendar(token: feed.token))

            let lines = try unfolded(ics)
            #expect(lines.first == "BEGIN:VCALENDAR" && lines.last == "END:VCALENDAR")
            for property in ["VERSION:2.0", "CALSCALE:GREGORIAN", "PRODID:-//Atende//Appointments 1.0//EN", "X-WR-CALNAME:Ana Lima — Clínica Sorriso"] {
                #expect(lines.contains(property), "\(property)")
            }
            #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 1)
            #expect(lines.contains("UID:\(mine.appointment.id)@atende"))
            #expect(!ics.contains(theirs.appointment.id.description))
            #expect(lines.contains("DTSTART:\(utc(mine.appointment.start))"))
            #expect(lines.contains("DTEND:\(utc(mine.appointment.end))"))
            #expect(lines.contains("SUMMARY:Limpeza — Ruiz\\, Ana"))
            #expect(lines.contains("STATUS:CONFIRMED"))
            #expect(lines.contains { $0.hasPrefix("DTSTAMP:") && $0.hasSuffix("Z") })
            #expect(feed.path == "/calendar/feeds/\(feed.token).ics")
        }
    }

    @Test func cancelledAppointmentsAreLeftOutAndPendingOnesAreTentative() async throws {
        try await CalendarFixture.with { f in
            let cancelled = try await f.book(with: f.ana, inHours: 26)
            _ = try await f.desk.appointments.cancel(cancelled.appointment.id, by: f.owner)
            let pending = try await f.book(with: f.ana, inHours: 30, service: f.consultation)
            #expect(pending.appointment.status == .pending)
            let feed = try await f.desk.appointments.createFeed(for: f.ana.id.description, by: f.owner)
            let lines = try unfolded(try #require(try f.desk.appointments.feedCalendar(token: feed.token)))
            #expect(!lines.contains("UID:\(cancelled.appointment.id)@atende"))
            #expect(lines.contains("UID:\(pending.appointment.id)@atende"))
            #expect(lines.contains("STATUS:TENTATIVE"))
            #expect(!lines.contains("STATUS:CANCELLED"))
        }
    }

    @Test func textIsEscapedAndLongLinesAreFoldedAt75OctetsWithoutSplittingACharacter() async throws {
        try await CalendarFixture.with { f in
            let note = "Alergia; usar luvas, sem látex\nSegunda linha \\ fim. " + String(repeating: "Atenção ção 😀 ", count: 12)
            let booked = try await f.book(with: f.ana, inHours: 26, note: note)
            let feed = try await f.desk.appointments.createFeed(for: f.ana.id.description, by: f.owner)
            let ics = try #require(try f.desk.appointments.feedCalendar(token: feed.token))

            #expect(ics.hasSuffix("END:VCALENDAR\r\n"))
            let physical = ics.components(separatedBy: "\r\n").dropLast()
            #expect(!physical.contains { $0.contains("\n") || $0.contains("\r") }, "every line ends in CRLF, no bare LF")
            for line in physical { #expect(line.utf8.count <= 75, "\(line.utf8.count) octets: \(line)") }
            #expect(physical.contains { $0.hasPrefix(" ") }, "the description is folded")
            // Each physical line is valid UTF-8 on its own: no fold cuts a character.
            for line in physical { #expect(String(validating: Array(line.utf8), as: UTF8.self) != nil) }

            let description = try #require(try unfolded(ics).first { $0.hasPrefix("DESCRIPTION:") })
            let phone = "Tel: +34600111222"
            let escapedNote = note.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: ";", with: "\\;")
                .replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "\n", with: "\\n")
            #expect(description == "DESCRIPTION:\(phone)\\n\(escapedNote)")
            #expect(booked.appointment.note == note)
        }
    }

    @Test func aRevokedTokenOpensNothingAndANewFeedRevokesTheOld() async throws {
        try await CalendarFixture.with { f in
            _ = try await f.book(with: f.ana, inHours: 26)
            let first = try await f.desk.appointments.createFeed(for: f.ana.id.description, by: f.anaRequester)
            #expect(try f.desk.appointments.feedCalendar(token: first.token) != nil)

            let second = try await f.desk.appointments.createFeed(for: f.ana.id.description, by: f.anaRequester)
            #expect(second.token != first.token)
            #expect(try f.desk.appointments.feedCalendar(token: first.token) == nil)
            #expect(try f.desk.appointments.feedCalendar(token: second.token) != nil)
            #expect(try f.desk.appointments.feeds(for: f.owner).map(\.staffID) == [f.ana.id.description])

            try await f.desk.appointments.revokeFeed(of: f.ana.id.description, by: f.anaRequester)
            #expect(try f.desk.appointments.feedCalendar(token: second.token) == nil)
            #expect(try f.desk.appointments.feeds(for: f.owner).isEmpty)
            await #expect(throws: DeskError.self) { try await f.desk.appointments.revokeFeed(of: f.ana.id.description, by: f.owner) }

            let actions = try f.desk.listAudit(try PageRequest(cursor: nil, limit: 50)).items.map(\.action)
            #expect(actions.filter { $0 == .calendarFeedCreated }.count == 2)
            #expect(actions.filter { $0 == .calendarFeedRevoked }.count == 1)
        }
    }

    @Test func staffManageTheirOwnFeedAndAdminsAndManagersAnyones() async throws {
        try await CalendarFixture.with { f in
            let feeds = f.desk.appointments
            // Ana (an agent) for Bruno: refused; Bruno's feed is not hers to see or revoke.
            await #expect(throws: DeskError.self) { try await feeds.createFeed(for: f.bruno.id.description, by: f.anaRequester) }
            _ = try await feeds.createFeed(for: f.bruno.id.description, by: f.managerRequester)
            _ = try await feeds.createFeed(for: f.ana.id.description, by: f.anaRequester)
            #expect(try feeds.feeds(for: f.anaRequester).map(\.staffID) == [f.ana.id.description])
            #expect(Set(try feeds.feeds(for: f.managerRequester).map(\.staffID)) == [f.ana.id.description, f.bruno.id.description])
            do {
                try await feeds.revokeFeed(of: f.bruno.id.description, by: f.anaRequester)
                Issue.record("an agent revoked someone else's feed")
            } catch let error as DeskError {
                #expect(error.code == .notFound)
            }
            // A disabled staff member's feed stops answering.
            let token = try await feeds.createFeed(for: f.bruno.id.description, by: f.owner).token
            _ = try await f.desk.updateStaff(f.bruno.id, disabled: true, by: .commandLine)
            #expect(try feeds.feedCalendar(token: token) == nil)
        }
    }

    @Test func theAppointmentLinkWorksOnlyWithItsOwnToken() async throws {
        try await CalendarFixture.with { f in
            let one = try await f.book(with: f.ana, inHours: 26)
            let other = try await f.book(with: f.bruno, inHours: 26)
            let ics = try #require(try f.desk.appointments.appointmentCalendar(one.appointment.id, token: one.appointment.icsToken))
            let lines = try unfolded(ics)
            #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 1)
            #expect(lines.contains("UID:\(one.appointment.id)@atende"))
            #expect(lines.contains("SUMMARY:Limpeza — Clínica Sorriso"))
            #expect(lines.contains("DESCRIPTION:Com Ana Lima"))
            #expect(!ics.contains("34600111222"), "the customer's file does not repeat their phone")

            #expect(try f.desk.appointments.appointmentCalendar(one.appointment.id, token: other.appointment.icsToken) == nil)
            #expect(try f.desk.appointments.appointmentCalendar(one.appointment.id, token: String(one.appointment.icsToken.dropLast())) == nil)
            #expect(try f.desk.appointments.appointmentCalendar(one.appointment.id, token: "") == nil)
            #expect(try f.desk.appointments.appointmentCalendar(other.appointment.id, token: one.appointment.icsToken) == nil)

            _ = try await f.desk.appointments.cancel(one.appointment.id, by: f.owner)
            let cancelled = try unfolded(try #require(try f.desk.appointments.appointmentCalendar(one.appointment.id, token: one.appointment.icsToken)))
            #expect(cancelled.contains("STATUS:CANCELLED"))
            #expect(cancelled.contains("SEQUENCE:1"))
        }
    }
}

/// Undoes RFC 5545 folding (a CRLF followed by one space or tab joins the lines), requiring CRLF.
func unfolded(_ ics: String) throws -> [String] {
    try #require(ics.hasSuffix("\r\n"))
    return ics.replacingOccurrences(of: "\r\n ", with: "").replacingOccurrences(of: "\r\n\t", with: "")
        .components(separatedBy: "\r\n").dropLast()
}

func utc(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
    return formatter.string(from: date)
}

/// A clinic with a WhatsApp customer ("Ruiz, Ana", who wrote just now), two staff members who
/// work around the clock — Ana (an agent) and Bruno (an operator) — and a manager, a cleaning
/// (booked at once) and a consultation (waits for staff to confirm).
struct CalendarFixture {
    let desk: Desk
    let owner: Requester
    let ana: StaffMember, bruno: StaffMember
    let anaRequester: Requester, managerRequester: Requester
    let cleaning: BookableService, consultation: BookableService
    let conversationID: DocumentID
    let now: Date

    static func with(_ body: (CalendarFixture) async throws -> Void) async throws {
        try await InboxFixture.with { inbox in
            // Midday UTC, so the bookings 26–30 h on are mid-afternoon wherever the business is:
            // a 45-minute cleaning at 23:30 would end past the day's hours and be refused.
            let day = 86_400.0, seconds = inbox.clock.now.timeIntervalSince1970
            inbox.clock.advance(by: (seconds / day).rounded(.down) * day + day / 2 + day - seconds)
            let desk = inbox.desk, owner = inbox.owner
            var settings = try desk.attendant.settings()
            settings.businessName = "Clínica Sorriso"
            _ = try await desk.attendant.update(settings, by: owner)
            try await inbox.ingest(inbox.messages([inbox.text("wamid.cal1", "Oi, quero marcar")], name: "Ruiz, Ana"))
            let conversation = try inbox.onlyConversation()

            func member(_ name: String, _ role: String) async throws -> StaffMember {
                try await desk.createStaff(name: name, email: "\(role)@example.com", role: role, password: strongPassword, by: owner)
            }
            let ana = try await member("Ana Lima", "agent"), bruno = try await member("Bruno Costa", "operator")
            let manager = try await member("Marta Gerente", "manager")
            let always = BusinessHours(days: (1...7).map { .init(weekday: $0, intervals: [.init(start: 0, end: 1440)]) })
            for person in [ana, bruno] {
                _ = try await desk.appointments.setAvailability(person.id.description, hours: always, timeOff: [], by: owner)
            }
            let staffIDs = [ana.id.description, bruno.id.description]
            let cleaning = try await desk.appointments.createService(
                ServiceInput(name: "Limpeza", durationMinutes: 45, priceCents: 12000, staffIDs: staffIDs), by: owner)
            let consultation = try await desk.appointments.createService(
                ServiceInput(name: "Consulta", durationMinutes: 30, staffIDs: staffIDs, needsConfirmation: true), by: owner)
            func requester(_ member: StaffMember) -> Requester {
                Requester(actor: AuditActor(id: member.id.description, name: member.name), role: member.role, staffID: member.id, ip: nil)
            }
            try await body(CalendarFixture(desk: desk, owner: owner, ana: ana, bruno: bruno, anaRequester: requester(ana),
                                           managerRequester: requester(manager), cleaning: cleaning, consultation: consultation,
                                           conversationID: conversation.conversation.id, now: inbox.clock.now))
        }
    }

    /// Books `service` (the cleaning) with `member` on the 15-minute grid about `hours` from now.
    func book(with member: StaffMember, inHours hours: Double, service: BookableService? = nil, note: String? = nil) async throws -> AppointmentView {
        let wanted = now.addingTimeInterval(hours * 3600).timeIntervalSince1970
        let start = Date(timeIntervalSince1970: (wanted / 900).rounded(.up) * 900)
        return try await desk.appointments.book(
            BookingRequest(serviceID: (service ?? cleaning).id, staffID: member.id.description, start: start,
                           conversationID: conversationID, note: note), by: owner)
    }
}
