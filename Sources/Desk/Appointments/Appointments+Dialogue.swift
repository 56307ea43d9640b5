import Assistant
import Foundation
import Storage

/// Booking by chat (the assistant's booking and reschedule/cancel intents): the service, the
/// day, up to three nearest free times — a list on WhatsApp, numbered on SMS —, the choice, the
/// booking and its confirmation; or the customer's next appointment moved or cancelled. Each step
/// is a `BookingDialogue` kept in the store and changed in the assistant's own write transaction,
/// so a restart in the middle loses nothing and a job that runs twice answers once.
extension Appointments {
    static let lapseJob: JobKind = "booking.lapse"

    /// What the dialogue says and did in one turn.
    struct DialogueTurn {
        var draft: OutboundDraft
        /// The appointment booked, moved, confirmed or cancelled in this turn.
        var appointment: Appointment?
        var created = false
    }

    /// What one inbound turn means to the dialogue.
    struct DialogueInput {
        var texts: [String]
        /// The list row or button the customer tapped (`slot.2`, `appointment.cancel`).
        var choiceID: String?
        var intent: BusinessIntent
        var language: Language
    }

    /// Takes the customer's turn in the caller's (the assistant's) write transaction; nil when
    /// booking has nothing to do with it and the assistant answers as usual.
    func converse(_ input: DialogueInput, in view: ConversationView, now: Date, newID: DocumentID, icsToken: String,
                  in txn: borrowing WriteTransaction) throws -> DialogueTurn? {
        let setup = try Self.setup(in: txn)
        let conversationID = view.conversation.id
        var dialogue = try Collections.bookingDialogues.get(Key(conversationID), in: txn)
        if let stale = dialogue, stale.updatedAt.addingTimeInterval(Double(setup.dialogueLapseMinutes) * 60) < now {
            dialogue = nil
        }
        guard setup.bookingByChat, input.intent != .humanRequest, input.intent != .complaint else {
            if dialogue != nil { _ = try Collections.bookingDialogues.delete(Key(conversationID), in: txn) }
            return nil
        }
        let settings = try AssistantSettingsKey.settings(in: txn)
        let reading = BookingReading(input.texts.joined(separator: " "))
        var step = DialogueStep(appointments: self, view: view, setup: setup, zone: settings.zone, now: now, input: input,
                                reading: reading, said: reading.when(language: input.language, zone: settings.zone, now: now),
                                texts: AppointmentTexts(language: input.language.rawValue, zone: settings.zone, business: settings.businessName),
                                services: try Self.services(in: txn).filter { $0.active && !$0.staffIDs.isEmpty },
                                newID: newID, icsToken: icsToken)
        let outcome = try step.take(dialogue, in: txn)
        guard let outcome else {
            if dialogue != nil { _ = try Collections.bookingDialogues.delete(Key(conversationID), in: txn) }
            return nil
        }
        if var next = outcome.next {
            next.updatedAt = now
            try Collections.bookingDialogues.put(next, in: txn)
            let lapse = LapsePayload(conversation: conversationID.description, at: Int64((now.timeIntervalSince1970 * 1000).rounded(.down)))
            try core.jobs.schedule(try core.jobs.make(Self.lapseJob, payload: lapse, at: now.addingTimeInterval(Double(setup.dialogueLapseMinutes) * 60),
                                                      id: "booking.lapse.\(conversationID)"), in: txn)
        } else {
            _ = try Collections.bookingDialogues.delete(Key(conversationID), in: txn)
        }
        return outcome.turn
    }

    struct LapsePayload: Codable, Sendable {
        let conversation: String
        /// The dialogue's `updatedAt` (ms) when the job was scheduled: a later step moved it on.
        let at: Int64
    }

    /// A dialogue left unanswered lapses: forgotten, with a polite word (a reminder's question
    /// is forgotten silently — the appointment stands).
    func lapse(_ job: Job) async throws -> JobOutcome {
        guard let payload = try? job.input(as: LapsePayload.self), let id = DocumentID(string: payload.conversation) else {
            return .fail(reason: "the lapse names no conversation")
        }
        let (messageID, at) = (core.newID(), core.now)
        let sendJob = try core.jobs.make(Outbox.sendJob, payload: ["message": messageID.description], id: "send.\(messageID)")
        let told = try await core.store.write { txn -> (message: Message, view: ConversationView)? in
            guard let dialogue = try Collections.bookingDialogues.get(Key(id), in: txn),
                  Int64((dialogue.updatedAt.timeIntervalSince1970 * 1000).rounded(.down)) == payload.at else { return nil }
            _ = try Collections.bookingDialogues.delete(Key(id), in: txn)
            guard dialogue.step != .reminder, let conversation = try Collections.conversations.get(Key(id), in: txn),
                  let contact = try Collections.contacts.get(Key(conversation.contactID), in: txn),
                  AssistantTurn.mayAnswer(conversation, contact: contact) else { return nil }
            let texts = AppointmentTexts(language: dialogue.language, zone: try AssistantSettingsKey.settings(in: txn).zone, business: "")
            return try? self.outbox.queue(.text(texts.lapsed), in: ConversationView(conversation, contact: contact), author: Attendant.author,
                                          replyTo: nil, messageID: messageID, job: sendJob, at: at, requester: .commandLine, in: txn)
        }
        if let told {
            core.jobs.wake()
            core.publish(.messageCreated(told.view, told.message))
        }
        return .done
    }
}

/// One turn of the dialogue: reads the answer against the step it is at and decides what to say next.
private struct DialogueStep {
    struct Outcome {
        var turn: Appointments.DialogueTurn
        /// The dialogue after this turn; nil when it is over.
        var next: BookingDialogue?
    }

    let appointments: Appointments
    let view: ConversationView
    let setup: CalendarSetup
    let zone: TimeZone
    let now: Date
    let input: Appointments.DialogueInput
    let reading: BookingReading
    /// When the customer's words say they want to come (read once a turn).
    let said: DateTimeValue?
    let texts: AppointmentTexts
    let services: [BookableService]
    let newID: DocumentID
    let icsToken: String

    var conversationID: DocumentID { view.conversation.id }

    /// "limpeza sábado às 15h, pode ser?": a service and a time are a booking request without the
    /// word "marcar" — unless the customer is asking something else about them (price, place).
    var namesAServiceAndATime: Bool {
        [.other, .booking, .hours, .greeting].contains(input.intent) && !reading.services(services).isEmpty
            && said != nil
    }

    mutating func take(_ dialogue: BookingDialogue?, in txn: borrowing WriteTransaction) throws -> Outcome? {
        guard let dialogue else {
            // The classifier's intent, or the words themselves: "preciso remarcar" is clear enough.
            if input.intent == .rescheduleCancel || reading.wantsCancel || reading.wantsMove {
                return try startChange(in: txn)
            }
            return input.intent == .booking || reading.wantsBooking || namesAServiceAndATime ? try startBooking(in: txn) : nil
        }
        switch dialogue.step {
        case .service:
            let listed = Array(services.prefix(10))
            let index = choice("service.", count: listed.count) ?? reading.ordinal(of: listed.count)
            let named = reading.services(services)
            guard let service = index.map({ listed[$0] }) ?? (named.count == 1 ? named[0] : nil) else {
                // Something else: the assistant answers it, and the dialogue is over.
                return input.intent == .booking ? askService(dialogue) : nil
            }
            return try when(for: service, moving: nil, saidBefore: dialogue.saidWhen, in: txn)
        case .when:
            guard let service = dialogue.serviceID.flatMap({ id in services.first { $0.id == id } }) ?? movingService(dialogue, in: txn) else { return nil }
            if reading.wantsCancel, let appointmentID = dialogue.appointmentID { return try askCancel(appointmentID, in: txn) }
            guard let value = said else {
                return input.intent == .booking || input.intent == .rescheduleCancel || input.intent == .other
                    ? Outcome(turn: .init(draft: .text(texts.askWhen(service.name))), next: dialogue) : nil
            }
            return try offer(service, around: value, moving: dialogue.appointmentID, in: txn)
        case .slot:
            guard let service = dialogue.serviceID.flatMap({ id in services.first { $0.id == id } }) ?? movingService(dialogue, in: txn) else { return nil }
            let offered = dialogue.offered
            if let index = choice("slot.", count: offered.count) ?? reading.ordinal(of: offered.count)
                ?? reading.offered(offered, when: said, zone: zone) {
                return try take(offered[index], of: service, moving: dialogue.appointmentID, in: txn)
            }
            if let value = said {
                return try offer(service, around: value, moving: dialogue.appointmentID, in: txn)
            }
            if reading.wantsOther {
                var next = dialogue
                next.step = .when
                return Outcome(turn: .init(draft: .text(texts.askWhen(service.name))), next: next)
            }
            guard input.intent == .booking || input.intent == .other || input.intent == .rescheduleCancel else { return nil }
            return Outcome(turn: .init(draft: .text(texts.pickNumber)), next: dialogue)
        case .confirmCancel:
            guard let id = dialogue.appointmentID, let appointment = try upcoming(id, in: txn) else { return nil }
            if reading.isNo { return Outcome(turn: .init(draft: .text(texts.kept(appointment))), next: nil) }
            if reading.isYes || reading.wantsCancel { return try cancel(appointment, in: txn) }
            return Outcome(turn: .init(draft: .text(texts.yesOrNo)), next: dialogue)
        case .moveOrCancel:
            guard let id = dialogue.appointmentID, let appointment = try upcoming(id, in: txn) else { return nil }
            if input.choiceID == "appointment.cancel" || reading.wantsCancel { return try askCancel(id, in: txn) }
            if input.choiceID == "appointment.move" || reading.wantsMove { return try move(appointment, in: txn) }
            return input.intent == .other ? Outcome(turn: .init(draft: moveOrCancelDraft(appointment)), next: dialogue) : nil
        case .reminder:
            guard let id = dialogue.appointmentID, var appointment = try upcoming(id, in: txn) else { return nil }
            let picked = choice("appointment.", names: ["confirm", "move", "cancel"]) ?? reading.ordinal(of: 3)
            if picked == 2 || (picked == nil && reading.wantsCancel) { return try cancel(appointment, in: txn) }
            if picked == 1 || (picked == nil && reading.wantsMove) { return try move(appointment, in: txn) }
            guard picked == 0 || reading.wantsConfirm else { return nil }
            let before = appointment
            if appointment.status == .booked {
                appointment.status = .confirmed
                appointment.updatedAt = now
                try Collections.appointments.put(appointment, replacing: before, in: txn)
            }
            return Outcome(turn: .init(draft: .text(texts.reminderConfirmed(appointment)), appointment: appointment), next: nil)
        }
    }

    // MARK: Steps

    func startBooking(in txn: borrowing WriteTransaction) throws -> Outcome? {
        guard !services.isEmpty else { return nil }
        let named = reading.services(services)
        guard let service = named.count == 1 ? named[0] : services.count == 1 ? services[0] : nil else {
            let saidWhen = said.map { _ in BookingDialogue.SaidWhen(text: reading.text, at: now) }
            return askService(BookingDialogue(conversationID: conversationID, step: .service, serviceID: nil, appointmentID: nil, offered: [],
                                              language: input.language.rawValue, updatedAt: now, saidWhen: saidWhen))
        }
        return try when(for: service, moving: nil, in: txn)
    }

    func askService(_ dialogue: BookingDialogue) -> Outcome {
        var next = dialogue
        next.step = .service
        let rows = services.prefix(10).enumerated().map { index, service in
            InteractiveContent.Choice(id: "service.\(index + 1)", title: String(service.name.prefix(24)),
                                      description: [AppointmentTexts.price(service.priceCents), "\(service.durationMinutes) min"].compactMap { $0 }.joined(separator: " · "))
        }
        return Outcome(turn: .init(draft: .interactive(.list(body: texts.askService, button: texts.chooseButton, [.init(rows: rows)]))), next: next)
    }

    /// Offers times when the customer already said when, or asks.
    func when(for service: BookableService, moving: DocumentID?, saidBefore: BookingDialogue.SaidWhen? = nil,
              in txn: borrowing WriteTransaction) throws -> Outcome? {
        let earlier = saidBefore.flatMap { BookingReading($0.text).when(language: input.language, zone: zone, now: $0.at) }
        if let value = said ?? earlier {
            return try offer(service, around: value, moving: moving, in: txn)
        }
        return Outcome(turn: .init(draft: .text(texts.askWhen(service.name))),
                       next: BookingDialogue(conversationID: conversationID, step: .when, serviceID: moving == nil ? service.id : nil,
                                             appointmentID: moving, offered: [], language: input.language.rawValue, updatedAt: now))
    }

    /// Up to three free times nearest to what the customer said; when nothing is free then, the
    /// first three after it (two weeks at most).
    func offer(_ service: BookableService, around value: DateTimeValue, moving: DocumentID?, prefix: String = "",
               in txn: borrowing WriteTransaction) throws -> Outcome {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var window = value.dateInterval(in: zone)
        // "amanhã às 14h": the whole day is searched, nearest to 14:00 first.
        if value.grain <= .hour, case .instant = value {
            let day = calendar.startOfDay(for: value.start)
            window = DateInterval(start: day, end: calendar.date(byAdding: .day, value: 1, to: day) ?? day.addingTimeInterval(86_400))
        }
        let staff = staffFor(service, moving: moving)
        var picks = try free(service, staff: staff, in: window, moving: moving, in: txn)
        picks = SlotSearch.nearest(3, to: max(value.start, now), in: picks)
        var nothingThen = false
        if picks.isEmpty {
            nothingThen = true
            let later = DateInterval(start: max(window.end, now), duration: 14 * 86_400)
            picks = Array(try free(service, staff: staff, in: later, moving: moving, limit: 3, in: txn).prefix(3))
        }
        guard !picks.isEmpty else { return Outcome(turn: .init(draft: .text(prefix + texts.noneFree)), next: nil) }
        let names = try staffNames(picks.map(\.staffID), in: txn)
        let rows = picks.enumerated().map { index, slot in
            InteractiveContent.Choice(id: "slot.\(index + 1)", title: texts.short(slot.start), description: names[slot.staffID])
        }
        let body = prefix + texts.offer(service.name, nothingThen: nothingThen)
        return Outcome(turn: .init(draft: .interactive(.list(body: body, button: texts.chooseButton, [.init(rows: rows)]))),
                       next: BookingDialogue(conversationID: conversationID, step: .slot, serviceID: moving == nil ? service.id : nil,
                                             appointmentID: moving, offered: picks.map { .init(start: $0.start, staffID: $0.staffID) },
                                             language: input.language.rawValue, updatedAt: now))
    }

    /// Books (or moves to) the chosen time; taken meanwhile, the nearest others are offered.
    func take(_ slot: BookingDialogue.OfferedSlot, of service: BookableService, moving: DocumentID?,
              in txn: borrowing WriteTransaction) throws -> Outcome {
        do {
            if let moving {
                guard let existing = try upcoming(moving, in: txn) else { return Outcome(turn: .init(draft: .text(texts.noUpcoming)), next: nil) }
                let moved = try appointments.reschedule(existing, to: slot.start, staff: slot.staffID, now: now, in: txn)
                return Outcome(turn: .init(draft: .text(texts.moved(moved)), appointment: moved), next: nil)
            }
            let booked = try appointments.place(BookingRequest(serviceID: service.id, staffID: slot.staffID, start: slot.start, conversationID: conversationID),
                                                source: .assistant, id: newID, icsToken: icsToken, contactID: view.contact.id, now: now, in: txn)
            let staffName = try staffNames([booked.staffID], in: txn)[booked.staffID]
            return Outcome(turn: .init(draft: .text(texts.confirmation(booked, staffName: staffName, address: setup.address,
                                                                       icsURL: appointments.icsURL(booked))),
                                       appointment: booked, created: true), next: nil)
        } catch let error as DeskError where error.code == .slotTaken {
            return try offer(service, around: .instant(slot.start, grain: .minute), moving: moving, prefix: texts.taken, in: txn)
        }
    }

    func startChange(in txn: borrowing WriteTransaction) throws -> Outcome? {
        guard let next = try Collections.appointments.page(index: "contact", equals: Key(view.contact.id), limit: 200, in: txn).items
            .filter({ $0.start > now && [.pending, .booked, .confirmed].contains($0.status) }).min(by: { $0.start < $1.start }) else {
            // "cancelar" about something else (an order, a subscription) is not ours to answer.
            guard input.intent == .rescheduleCancel || input.intent == .booking else { return nil }
            return input.intent == .rescheduleCancel ? Outcome(turn: .init(draft: .text(texts.noUpcoming)), next: nil) : try startBooking(in: txn)
        }
        if reading.wantsCancel { return try askCancel(next.id, in: txn) }
        if reading.wantsMove { return try move(next, in: txn) }
        return Outcome(turn: .init(draft: moveOrCancelDraft(next)),
                       next: BookingDialogue(conversationID: conversationID, step: .moveOrCancel, serviceID: nil, appointmentID: next.id,
                                             offered: [], language: input.language.rawValue, updatedAt: now))
    }

    func moveOrCancelDraft(_ appointment: Appointment) -> OutboundDraft {
        let choices = texts.moveOrCancelChoices
        return .interactive(.buttons(body: texts.askMoveOrCancel(appointment), [.init(id: "appointment.move", title: choices[0]),
                                                                               .init(id: "appointment.cancel", title: choices[1])]))
    }

    func askCancel(_ id: DocumentID, in txn: borrowing WriteTransaction) throws -> Outcome? {
        guard let appointment = try upcoming(id, in: txn) else { return nil }
        return Outcome(turn: .init(draft: .text(texts.askCancel(appointment))),
                       next: BookingDialogue(conversationID: conversationID, step: .confirmCancel, serviceID: nil, appointmentID: id,
                                             offered: [], language: input.language.rawValue, updatedAt: now))
    }

    func move(_ appointment: Appointment, in txn: borrowing WriteTransaction) throws -> Outcome? {
        guard let service = movingService(appointment, in: txn) else { return nil }
        return try when(for: service, moving: appointment.id, in: txn)
    }

    func cancel(_ appointment: Appointment, in txn: borrowing WriteTransaction) throws -> Outcome {
        let cancelled = try appointments.cancelled(appointment, reason: nil, now: now, in: txn)
        return Outcome(turn: .init(draft: .text(texts.cancelled(appointment)), appointment: cancelled), next: nil)
    }

    // MARK: Helpers

    /// The tapped row or button `prefix` + a number (1-based), as a 0-based index.
    func choice(_ prefix: String, count: Int) -> Int? {
        guard let id = input.choiceID, id.hasPrefix(prefix), let number = Int(id.dropFirst(prefix.count)), (1...count).contains(number) else { return nil }
        return number - 1
    }

    func choice(_ prefix: String, names: [String]) -> Int? {
        guard let id = input.choiceID, id.hasPrefix(prefix) else { return nil }
        return names.firstIndex(of: String(id.dropFirst(prefix.count)))
    }

    func upcoming(_ id: DocumentID, in txn: borrowing WriteTransaction) throws -> Appointment? {
        guard let appointment = try Collections.appointments.get(Key(id), in: txn), appointment.contactID == view.contact.id,
              appointment.start > now, [.pending, .booked, .confirmed].contains(appointment.status) else { return nil }
        return appointment
    }

    /// The service an appointment being moved keeps (its booked length and buffer, even if the service changed).
    func movingService(_ dialogue: BookingDialogue, in txn: borrowing WriteTransaction) -> BookableService? {
        guard let id = dialogue.appointmentID, let appointment = try? Collections.appointments.get(Key(id), in: txn) else { return nil }
        return movingService(appointment, in: txn)
    }

    func movingService(_ appointment: Appointment, in txn: borrowing WriteTransaction) -> BookableService? {
        BookableService(id: appointment.serviceID, name: appointment.serviceName, durationMinutes: appointment.durationMinutes,
                        priceCents: appointment.priceCents, bufferAfterMinutes: appointment.bufferAfterMinutes, staffIDs: [appointment.staffID],
                        needsConfirmation: false, aliases: [], active: true, createdAt: appointment.createdAt, updatedAt: appointment.updatedAt)
    }

    /// A move keeps the staff member; a new booking may go to anyone who performs the service now.
    func staffFor(_ service: BookableService, moving: DocumentID?) -> [String] {
        guard moving == nil else { return service.staffIDs }
        return (services.first { $0.id == service.id } ?? service).staffIDs
    }

    func free(_ service: BookableService, staff: [String], in window: DateInterval, moving: DocumentID?, limit: Int = 500,
              in txn: borrowing WriteTransaction) throws -> [Slot] {
        let query = try Appointments.query(for: service, staff: staff, now: now, window: window, excluding: moving, in: txn)
        return SlotSearch.free(query, from: window.start, to: window.end, limit: limit)
    }

    func staffNames(_ ids: [String], in txn: borrowing WriteTransaction) throws -> [String: String] {
        var names: [String: String] = [:]
        for id in Set(ids) {
            if let staff = StaffID(id), let record = try Collections.staff.get(Key(staff.raw), in: txn) { names[id] = record.name }
        }
        return names
    }
}
