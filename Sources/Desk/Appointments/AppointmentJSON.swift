import Foundation

// The API's objects for the calendar, encoded in one place so a REST response and a live frame
// for the same object never disagree.

extension AppointmentView: Encodable {
    private enum CodingKeys: String, CodingKey {
        case id, service_id, service_name, duration_minutes, buffer_after_minutes, price_cents, staff_id, staff_name
        case contact_id, contact_name, contact_phone, conversation_id, channel, start, end, status, source, note, version
        case reminders, created_at, updated_at, notice, google_calendar
    }
    private enum GoogleKeys: String, CodingKey { case calendar_id, event_id, synced_at, error }
    private enum ReminderKeys: String, CodingKey { case hours, at, message_id, skipped }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let a = appointment
        try c.encode(a.id.description, forKey: .id)
        try c.encode(a.serviceID.description, forKey: .service_id)
        try c.encode(a.serviceName, forKey: .service_name)
        try c.encode(a.durationMinutes, forKey: .duration_minutes)
        try c.encode(a.bufferAfterMinutes, forKey: .buffer_after_minutes)
        try c.encode(a.priceCents, forKey: .price_cents)
        try c.encode(a.staffID, forKey: .staff_id)
        try c.encode(staffName, forKey: .staff_name)
        try c.encode(a.contactID.description, forKey: .contact_id)
        try c.encode(contactName, forKey: .contact_name)
        try c.encode(contactPhone, forKey: .contact_phone)
        try c.encode(a.conversationID?.description, forKey: .conversation_id)
        try c.encode(channel, forKey: .channel)
        try c.encode(APITime.string(a.start), forKey: .start)
        try c.encode(APITime.string(a.end), forKey: .end)
        try c.encode(a.status.rawValue, forKey: .status)
        try c.encode(a.source.rawValue, forKey: .source)
        try c.encode(a.note, forKey: .note)
        try c.encode(a.version, forKey: .version)
        var reminders = c.nestedUnkeyedContainer(forKey: .reminders)
        for reminder in a.reminders {
            var r = reminders.nestedContainer(keyedBy: ReminderKeys.self)
            try r.encode(reminder.hours, forKey: .hours)
            try r.encode(APITime.string(reminder.at), forKey: .at)
            try r.encode(reminder.messageID?.description, forKey: .message_id)
            try r.encode(reminder.skipped, forKey: .skipped)
        }
        try c.encode(APITime.string(a.createdAt), forKey: .created_at)
        try c.encode(APITime.string(a.updatedAt), forKey: .updated_at)
        if let notice { try c.encode(notice, forKey: .notice) }
        if let google = googleEvent {
            var g = c.nestedContainer(keyedBy: GoogleKeys.self, forKey: .google_calendar)
            try g.encode(google.calendarID, forKey: .calendar_id)
            try g.encode(google.eventID, forKey: .event_id)
            try g.encode(google.syncedAt.map(APITime.string), forKey: .synced_at)
            try g.encode(google.error, forKey: .error)
        }
    }
}

/// The Service object of the API.
public struct ServiceView: Encodable, Sendable {
    let service: BookableService
    public init(_ service: BookableService) { self.service = service }
    private enum CodingKeys: String, CodingKey {
        case id, name, duration_minutes, price_cents, buffer_after_minutes, staff_ids, needs_confirmation, aliases, active, created_at, updated_at
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(service.id.description, forKey: .id)
        try c.encode(service.name, forKey: .name)
        try c.encode(service.durationMinutes, forKey: .duration_minutes)
        try c.encode(service.priceCents, forKey: .price_cents)
        try c.encode(service.bufferAfterMinutes, forKey: .buffer_after_minutes)
        try c.encode(service.staffIDs, forKey: .staff_ids)
        try c.encode(service.needsConfirmation, forKey: .needs_confirmation)
        try c.encode(service.aliases, forKey: .aliases)
        try c.encode(service.active, forKey: .active)
        try c.encode(APITime.string(service.createdAt), forKey: .created_at)
        try c.encode(APITime.string(service.updatedAt), forKey: .updated_at)
    }
}

/// The Availability object of the API: the week as minutes from local midnight per weekday
/// (1 = Sunday … 7 = Saturday), personal days off, and time off.
extension AvailabilityView: Encodable {
    private enum CodingKeys: String, CodingKey { case staff_id, staff_name, days, days_off, time_off, updated_at }
    private enum TimeOffKeys: String, CodingKey { case start, end, note }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(availability.staffID, forKey: .staff_id)
        try c.encode(staffName, forKey: .staff_name)
        try c.encode(availability.hours.days, forKey: .days)
        try c.encode(availability.hours.holidays, forKey: .days_off)
        var list = c.nestedUnkeyedContainer(forKey: .time_off)
        for period in availability.timeOff {
            var p = list.nestedContainer(keyedBy: TimeOffKeys.self)
            try p.encode(APITime.string(period.start), forKey: .start)
            try p.encode(APITime.string(period.end), forKey: .end)
            try p.encode(period.note, forKey: .note)
        }
        try c.encode(APITime.string(availability.updatedAt), forKey: .updated_at)
    }
}

/// The calendar settings of the API (snake_case, the same fields as `CalendarSetup`).
public struct CalendarSetupView: Codable, Sendable {
    public var minimum_notice_minutes: Int?
    public var maximum_days_ahead: Int?
    public var granularity_minutes: Int?
    public var holidays: [String]?
    public var reminder_hours: [Int]?
    public var reminder_template: CalendarSetup.TemplateRef??
    public var address: String?
    public var booking_by_chat: Bool?
    public var dialogue_lapse_minutes: Int?

    public init(_ setup: CalendarSetup) {
        (minimum_notice_minutes, maximum_days_ahead, granularity_minutes) = (setup.minimumNoticeMinutes, setup.maximumDaysAhead, setup.granularityMinutes)
        (holidays, reminder_hours, reminder_template) = (setup.holidays, setup.reminderHours, .some(setup.reminderTemplate))
        (address, booking_by_chat, dialogue_lapse_minutes) = (setup.address, setup.bookingByChat, setup.dialogueLapseMinutes)
    }

    enum CodingKeys: String, CodingKey {
        case minimum_notice_minutes, maximum_days_ahead, granularity_minutes, holidays, reminder_hours, reminder_template, address
        case booking_by_chat, dialogue_lapse_minutes
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        minimum_notice_minutes = try c.decodeIfPresent(Int.self, forKey: .minimum_notice_minutes)
        maximum_days_ahead = try c.decodeIfPresent(Int.self, forKey: .maximum_days_ahead)
        granularity_minutes = try c.decodeIfPresent(Int.self, forKey: .granularity_minutes)
        holidays = try c.decodeIfPresent([String].self, forKey: .holidays)
        reminder_hours = try c.decodeIfPresent([Int].self, forKey: .reminder_hours)
        reminder_template = c.contains(.reminder_template) ? .some(try c.decodeIfPresent(CalendarSetup.TemplateRef.self, forKey: .reminder_template)) : nil
        address = try c.decodeIfPresent(String.self, forKey: .address)
        booking_by_chat = try c.decodeIfPresent(Bool.self, forKey: .booking_by_chat)
        dialogue_lapse_minutes = try c.decodeIfPresent(Int.self, forKey: .dialogue_lapse_minutes)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(minimum_notice_minutes, forKey: .minimum_notice_minutes)
        try c.encode(maximum_days_ahead, forKey: .maximum_days_ahead)
        try c.encode(granularity_minutes, forKey: .granularity_minutes)
        try c.encode(holidays, forKey: .holidays)
        try c.encode(reminder_hours, forKey: .reminder_hours)
        try c.encode(reminder_template ?? nil, forKey: .reminder_template)
        try c.encode(address, forKey: .address)
        try c.encode(booking_by_chat, forKey: .booking_by_chat)
        try c.encode(dialogue_lapse_minutes, forKey: .dialogue_lapse_minutes)
    }

    /// `setup` with the fields this names changed.
    public func applied(to setup: CalendarSetup) -> CalendarSetup {
        var s = setup
        if let v = minimum_notice_minutes { s.minimumNoticeMinutes = v }
        if let v = maximum_days_ahead { s.maximumDaysAhead = v }
        if let v = granularity_minutes { s.granularityMinutes = v }
        if let v = holidays { s.holidays = Array(Set(v)).sorted() }
        if let v = reminder_hours { s.reminderHours = v }
        if let v = reminder_template { s.reminderTemplate = v }
        if let v = address { s.address = v.trimmingCharacters(in: .whitespacesAndNewlines) }
        if let v = booking_by_chat { s.bookingByChat = v }
        if let v = dialogue_lapse_minutes { s.dialogueLapseMinutes = v }
        return s
    }
}
