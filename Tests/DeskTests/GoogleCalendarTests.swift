import AtendeTesting
import Assistant
import Desk
import Foundation
import Storage
import Testing

/// Google Calendar sync through Desk's public interface, over a real store and vault, against a
/// `FakeGoogle` on loopback that speaks Google's documented JSON: the connect flow, busy times
/// that block slots, and one durable job per appointment that inserts, patches and deletes its
/// event — once, even when it runs twice.
@Suite struct GoogleCalendarTests {
    static let publicURL = "https://atende.example.com"

    /// A desk with one WhatsApp conversation, the owner working every day 09:00–18:00, a
    /// 60-minute "Limpeza" with 15 minutes of buffer, and Google's APIs played by `google`.
    struct Fixture {
        let f: InboxFixture
        let service: BookableService
        let conversation: ConversationView
        let google: FakeGoogle
        var desk: Desk { f.desk }
        var calendar: GoogleCalendar { f.desk.googleCalendar }

        static func with(connect: Bool = true, _ body: @escaping @Sendable (Fixture) async throws -> Void) async throws {
            let google = FakeGoogle()
            try await google.run { url in
                try await InboxFixture.with({ configuration in
                    configuration.google.authURL = url
                    configuration.google.oauthURL = url
                    configuration.google.calendarURL = url + "/calendar/v3"
                    configuration.google.timeout = .seconds(30)
                    configuration.whatsapp.publicURL = GoogleCalendarTests.publicURL
                }) { f in
                    try await f.ingest(f.messages([f.text("wamid.1", "Oi, quero marcar uma limpeza")]))
                    let staff = f.owner.staffID!.description
                    _ = try await f.desk.appointments.setAvailability(
                        staff, hours: BusinessHours(days: (1...7).map { .init(weekday: $0, intervals: [BusinessHours.Interval(9, to: 18)]) }),
                        timeOff: [], by: f.owner)
                    let service = try await f.desk.appointments.createService(
                        ServiceInput(name: "Limpeza", durationMinutes: 60, priceCents: 12_000, bufferAfterMinutes: 15, staffIDs: [staff], aliases: []),
                        by: f.owner)
                    let fixture = Fixture(f: f, service: service, conversation: try f.onlyConversation(), google: google)
                    if connect { try await fixture.connect() }
                    try await body(fixture)
                }
            }
        }

        /// Saves the OAuth client, then does what the admin's browser does: asks for the consent
        /// page, "consents" at the fake, and comes back to the callback in the same session.
        func connect() async throws {
            var input = GoogleCalendarInput()
            input.clientID = FakeGoogle.clientID
            input.clientSecret = FakeGoogle.clientSecret
            _ = try await calendar.update(input, by: f.owner)
            let session = try await session()
            let start = try calendar.connect(session: session)
            let answer = try #require(google.authorize(start.authorizationURL))
            #expect(answer.redirectURI == GoogleCalendarTests.publicURL + "/oauth/google/callback")
            try await calendar.complete(code: answer.code, state: answer.state, error: nil, session: session, by: f.owner)
            try await desk.jobs.runDue()
        }

        /// A browser session of the owner.
        func session() async throws -> SessionHandle {
            let new = try await desk.login(email: "owner@example.com", password: strongPassword, ip: nil)
            guard case .staff(_, let handle)? = try await desk.authenticate(sessionID: new.id) else { throw FixtureError() }
            return handle
        }

        /// A free time well clear of the booking notice, so moving the clock a few seconds cannot take it away.
        /// The first slot at least three hours ahead; with `alsoFree`, the first whose slot that
        /// much later is free too (not past closing, whatever the time of day the test runs at).
        func slot(alsoFree offset: TimeInterval? = nil) throws -> Slot {
            let all = try slots()
            return try #require(all.first { slot in
                slot.start >= f.clock.now.addingTimeInterval(3 * 3600)
                    && offset.map { offset in all.contains { $0.start == slot.start.addingTimeInterval(offset) } } ?? true
            })
        }

        func slotStart(alsoFree offset: TimeInterval? = nil) throws -> Date { try slot(alsoFree: offset).start }

        func slots(days: Double = 3) throws -> [Slot] {
            try desk.appointments.slots(service: service.id, from: f.clock.now, to: f.clock.now.addingTimeInterval(days * 86_400), limit: 500)
        }

        func book(_ start: Date) async throws -> AppointmentView {
            try await desk.appointments.book(BookingRequest(serviceID: service.id, start: start, conversationID: conversation.conversation.id), by: f.owner)
        }

        func appointment(_ view: AppointmentView) throws -> AppointmentView {
            try desk.appointments.appointment(view.appointment.id, for: f.owner)
        }

        /// Runs due jobs, then moves the clock past any backoff and runs them again, `rounds` times.
        func settle(rounds: Int = 3) async throws {
            for _ in 0..<rounds {
                try await desk.jobs.runDue()
                f.clock.advance(by: 2)
            }
        }
    }

    struct FixtureError: Error {}

    @Test func connectingSealsTheRefreshTokenInTheVaultAndNeverShowsItOrTheSecret() async throws {
        try await Fixture.with { g in
            let view = try g.calendar.view()
            #expect(view.status == "connected" && view.connected && view.clientSecretSet)
            #expect(view.redirectURI == Self.publicURL + "/oauth/google/callback")
            let json = String(decoding: try JSONEncoder().encode(view), as: UTF8.self)
            #expect(json.contains(#""client_secret_set":true"#))
            #expect(!json.contains(FakeGoogle.clientSecret))
            let refresh = try #require(g.google.liveRefreshTokens.first)
            #expect(!json.contains(refresh) && !json.contains("ya29."))
            // The token endpoint was asked with a form, for an authorization code with its PKCE verifier.
            let exchange = try #require(g.google.requests.first { $0.path == "/token" })
            #expect(exchange.headers["content-type"] == "application/x-www-form-urlencoded")
            #expect(exchange.text.contains("grant_type=authorization_code") && exchange.text.contains("code_verifier="))
            // Busy times were read right after connecting.
            #expect(g.google.requests.contains { $0.path == "/calendar/v3/freeBusy" })
            #expect(try g.calendar.view().setup.lastSyncAt != nil)
        }
    }

    @Test func aStateWorksOnceOnlyInItsOwnSessionAndNotAfterTenMinutes() async throws {
        try await Fixture.with(connect: false) { g in
            var input = GoogleCalendarInput()
            (input.clientID, input.clientSecret) = (FakeGoogle.clientID, FakeGoogle.clientSecret)
            _ = try await g.calendar.update(input, by: g.f.owner)
            let mine = try await g.session(), other = try await g.session()
            // Another session cannot finish it (and the state is spent by trying).
            let first = try #require(g.google.authorize(try g.calendar.connect(session: mine).authorizationURL))
            await expectDeskError(.forbidden) { try await g.calendar.complete(code: first.code, state: first.state, error: nil, session: other, by: g.f.owner) }
            await expectDeskError(.forbidden) { try await g.calendar.complete(code: first.code, state: first.state, error: nil, session: mine, by: g.f.owner) }
            // Expired after ten minutes.
            let late = try #require(g.google.authorize(try g.calendar.connect(session: mine).authorizationURL))
            g.f.clock.advance(by: 601)
            await expectDeskError(.forbidden) { try await g.calendar.complete(code: late.code, state: late.state, error: nil, session: mine, by: g.f.owner) }
            // Declined on Google's page.
            let declined = try #require(g.google.authorize(try g.calendar.connect(session: mine).authorizationURL))
            await expectDeskError(.invalidField) { try await g.calendar.complete(code: nil, state: declined.state, error: "access_denied", session: mine, by: g.f.owner) }
            #expect(try g.calendar.view().status == "disconnected")
            #expect(g.google.liveRefreshTokens.isEmpty)
        }
    }

    @Test func aBusyBlockInGoogleRemovesThoseSlotsAndOnlyThose() async throws {
        try await Fixture.with { g in
            // Its slot two hours later must exist: it failed every afternoon when the first slot
            // three hours ahead lay within two hours of closing.
            let first = try g.slot(alsoFree: 2 * 3600)
            // The owner has a dentist appointment of their own for two hours from the first slot.
            g.google.setBusy([DateInterval(start: first.start, duration: 2 * 3600)])
            _ = try await g.calendar.syncNow()
            try await g.desk.jobs.runDue()
            let after = try g.slots()
            #expect(!after.contains { $0.start < first.start.addingTimeInterval(2 * 3600) && $0.start.addingTimeInterval(75 * 60) > first.start })
            #expect(after.contains { $0.start == first.start.addingTimeInterval(2 * 3600) })
            // Booking into it is refused too (checked again in the write transaction).
            await expectDeskError(.slotTaken) { _ = try await g.book(first.start) }
        }
    }

    @Test func aBookingInsertsExactlyOneEventEvenWhenTheJobRunsTwice() async throws {
        try await Fixture.with { g in
            let start = try g.slotStart()
            // Google makes the event but the answer is lost (a 503 from its front end): the job
            // retries, and the second insert of the same id is a 409, not a second event.
            g.google.failNext("POST /calendar/v3/calendars/primary/events", status: 503, reason: "backendError", afterApplying: true)
            let booked = try await g.book(start)
            try await g.settle()
            let events = g.google.events()
            #expect(events.count == 1 && g.google.insertsAccepted == 1)
            let event = try #require(events.first)
            #expect(event.start == start && event.end == start.addingTimeInterval(3600) && event.status == "confirmed")
            #expect(event.summary.contains("Limpeza") && event.summary.contains("Ana Ruiz"))
            #expect(event.privateProperties["atendeAppointmentId"] == booked.appointment.id.description)
            #expect(event.id.allSatisfy { ("a"..."v").contains($0) || ("0"..."9").contains($0) })
            let inserts = g.google.requests.filter { $0.method == "POST" && $0.path.hasSuffix("/events") }
            #expect(inserts.count == 2)
            // The same job scheduled again (a crash before its success was recorded) changes nothing.
            try await g.desk.jobs.schedule(try g.desk.jobs.make("google.event", payload: ["appointment": booked.appointment.id.description],
                                                               id: "google.event.\(booked.appointment.id)"))
            try await g.settle()
            #expect(g.google.events().count == 1)
            let stored = try #require(try g.appointment(booked).googleEvent)
            #expect(stored.eventID == event.id && stored.calendarID == "primary" && stored.error == nil)
        }
    }

    @Test func aMovePatchesTheEventAndItsOwnEventDoesNotBlockIt() async throws {
        try await Fixture.with { g in
            let start = try g.slotStart(alsoFree: 30 * 60)
            let booked = try await g.book(start)
            try await g.settle()
            // Busy times read again: Google now reports our own event as busy.
            _ = try await g.calendar.syncNow()
            try await g.desk.jobs.runDue()
            // Moving 30 minutes later overlaps its own old time: our event must not block it.
            let later = start.addingTimeInterval(30 * 60)
            let moved = try await g.desk.appointments.move(booked.appointment.id, to: later, by: g.f.owner)
            try await g.settle()
            let events = g.google.events()
            #expect(events.count == 1)
            let stored = try g.appointment(booked).googleEvent?.eventID
            #expect(events.first?.start == later && events.first?.id == stored)
            #expect(g.google.requests.contains { $0.method == "PATCH" })
            #expect(try g.appointment(moved).googleEvent?.start == later)
        }
    }

    @Test func aPendingBookingIsTentativeInGoogleUntilStaffConfirmIt() async throws {
        try await Fixture.with { g in
            _ = try await g.desk.appointments.updateService(g.service.id, ServiceInput(needsConfirmation: true), by: g.f.owner)
            let booked = try await g.book(try g.slotStart())
            #expect(booked.appointment.status == .pending)
            try await g.settle()
            #expect(g.google.events().map(\.status) == ["tentative"])
            _ = try await g.desk.appointments.mark(booked.appointment.id, status: .confirmed, by: g.f.owner)
            try await g.settle()
            #expect(g.google.events().map(\.status) == ["confirmed"])
            #expect(g.google.insertsAccepted == 1)
        }
    }

    @Test func aProviderThatKeepsFailingIsGivenUpOnAndSaidSoOnTheAppointment() async throws {
        try await Fixture.with { g in
            g.google.failNext("POST /calendar/v3/calendars/primary/events", status: 503, reason: "backendError", count: 100)
            let booked = try await g.book(try g.slotStart())
            for _ in 0..<12 {
                try await g.desk.jobs.runDue()
                g.f.clock.advance(by: 400)      // past the longest backoff
            }
            #expect(try g.desk.jobs.statistics().failed == 1)
            #expect(try g.appointment(booked).googleEvent?.error?.contains("503") == true)
        }
    }

    @Test func aCancellationDeletesTheEventAndFreesTheSlotAtOnce() async throws {
        try await Fixture.with { g in
            let start = try g.slotStart()
            let booked = try await g.book(start)
            try await g.settle()
            _ = try await g.calendar.syncNow()
            try await g.desk.jobs.runDue()
            _ = try await g.desk.appointments.cancel(booked.appointment.id, by: g.f.owner)
            try await g.settle()
            #expect(g.google.events().map(\.status) == ["cancelled"])
            let record = try #require(try g.appointment(booked).googleEvent)
            #expect(record.eventID == nil && record.error == nil)
            // The busy time Google had for it is gone without waiting for the next read.
            #expect(try g.slots().contains { $0.start == start })
            // Deleting again (a second run) is a 410 that counts as done.
            try await g.desk.jobs.schedule(try g.desk.jobs.make("google.event", payload: ["appointment": booked.appointment.id.description],
                                                               id: "google.event.\(booked.appointment.id)"))
            try await g.settle()
            #expect(try g.desk.jobs.statistics().failed == 0)
        }
    }

    @Test func aRefusedAccessTokenIsRefreshedAndTheCallTriedOnceMore() async throws {
        try await Fixture.with { g in
            g.google.expireAccessTokens()
            _ = try await g.book(try g.slotStart())
            try await g.desk.jobs.runDue()
            #expect(g.google.events().count == 1)
            let refreshes = g.google.requests.filter { $0.path == "/token" && $0.text.contains("grant_type=refresh_token") }
            #expect(refreshes.count == 1)
            let statuses = g.google.requests.filter { $0.path.hasSuffix("/events") }.count
            #expect(statuses == 2)       // the 401, then the insert with the new token
        }
    }

    @Test func aRevokedGrantMarksTheConnectionAsNeedingReconnectAndReconnectingCatchesUp() async throws {
        try await Fixture.with { g in
            g.google.revokeRefreshTokens()
            g.google.expireAccessTokens()
            let booked = try await g.book(try g.slotStart())
            try await g.settle()
            let view = try g.calendar.view()
            #expect(view.status == "needs_reconnect" && view.setup.needsReconnect)
            #expect(view.setup.lastError?.contains("Connect again") == true)
            #expect(try g.desk.jobs.statistics().failed == 0)     // no job fails for ever over it
            #expect(g.google.events().isEmpty)
            // Connecting again sends the appointment made meanwhile.
            try await g.connect()
            try await g.settle()
            #expect(try g.calendar.view().status == "connected")
            #expect(g.google.events().count == 1)
            #expect(try g.appointment(booked).googleEvent?.eventID != nil)
        }
    }

    @Test func aRefusalIsRecordedOnTheAppointmentAndARateLimitIsRetried() async throws {
        try await Fixture.with { g in
            let slots = try g.slots().filter { $0.start >= g.f.clock.now.addingTimeInterval(3 * 3600) }
            g.google.failNext("POST /calendar/v3/calendars/primary/events", status: 403, reason: "requiredAccessLevel",
                              message: "You need to have writer access to this calendar.")
            let refused = try await g.book(slots[0].start)
            try await g.settle()
            let record = try #require(try g.appointment(refused).googleEvent)
            #expect(record.eventID == nil && record.error?.contains("writer access") == true)
            let json = String(decoding: try JSONEncoder().encode(try g.appointment(refused)), as: UTF8.self)
            #expect(json.contains(#""google_calendar":{"#) && json.contains("writer access"))
            // A 429 is only a wait.
            g.google.failNext("POST /calendar/v3/calendars/primary/events", status: 429, reason: "rateLimitExceeded")
            let later = try #require(slots.first { $0.start >= slots[0].start.addingTimeInterval(3 * 3600) })
            let booked = try await g.book(later.start)
            try await g.settle()
            #expect(try g.appointment(booked).googleEvent?.eventID != nil)
        }
    }

    @Test func disconnectingRevokesAndForgetsTheTokenAndTheBusyTimes() async throws {
        try await Fixture.with { g in
            let first = try #require(try g.slots().first { $0.start >= g.f.clock.now.addingTimeInterval(3 * 3600) })
            g.google.setBusy([DateInterval(start: first.start, duration: 3600)])
            _ = try await g.calendar.syncNow()
            try await g.desk.jobs.runDue()
            #expect(!(try g.slots()).contains { $0.start == first.start })
            let view = try await g.calendar.disconnect(by: g.f.owner)
            #expect(view.status == "disconnected" && !view.connected)
            #expect(g.google.liveRefreshTokens.isEmpty)
            #expect(try g.slots().contains { $0.start == first.start })
            // Bookings no longer go to Google.
            _ = try await g.book(first.start)
            try await g.settle()
            #expect(g.google.events().isEmpty)
        }
    }
}
