import Foundation
import Storage

/// What the feeds and the appointment files say. Two readers, two views of one appointment:
/// - the staff member's feed names the customer (SUMMARY "service — customer", DESCRIPTION with
///   their phone and the note), since that is who they will see;
/// - the customer's file names the business and the staff member, never the staff's note.
///
/// Cancelled appointments are left out of feeds rather than sent as STATUS:CANCELLED: a
/// subscription is a snapshot, and every client removes an event that is no longer in it, while
/// clients differ in how (and whether) they show a cancelled one. The single-appointment file is
/// different — the customer imported it once, so fetching it again after a cancellation says
/// STATUS:CANCELLED with a higher SEQUENCE, which clients that re-import apply.
extension Appointments {
    /// Feeds show this far into the past (the horizon, `maximumDaysAhead`, bounds the future).
    static let feedPastDays = 30
    /// A feed holds at most this many events, earliest first: a calendar app reads the whole file
    /// on every refresh.
    static let feedMaxEvents = 2000

    static let productID = "-//Atende//Appointments 1.0//EN"

    /// `staffID`'s feed: their appointments that hold time (not cancelled) from 30 days ago to the
    /// booking horizon.
    static func feed(of staffID: String, named staffName: String, now: Date, in txn: borrowing some TransactionReading & ~Copyable) throws -> String {
        let setup = try setup(in: txn)
        let business = try AssistantSettingsKey.settings(in: txn).businessName
        let from = now.addingTimeInterval(-Double(feedPastDays) * 86_400)
        let to = now.addingTimeInterval(Double(setup.maximumDaysAhead + 1) * 86_400)
        var writer = ICalendarWriter()
        header(&writer, name: business.isEmpty ? staffName : "\(staffName) — \(business)", refreshes: true)
        var count = 0
        // `staff_start` holds only appointments that hold time: cancelled ones are not in it.
        try Collections.appointments.forEach(index: "staff_start", from: Appointment.staffKey(staffID, from), in: txn) { appointment in
            guard appointment.staffID == staffID, appointment.start < to, count < feedMaxEvents else { return false }
            guard appointment.status != .cancelled else { return true }
            let contact = try Collections.contacts.get(Key(appointment.contactID), in: txn)
            var details: [String] = []
            if let phone = contact?.phone, !phone.isEmpty { details.append("Tel: \(phone)") }
            if let note = appointment.note, !note.isEmpty { details.append(note) }
            event(&writer, appointment, summary: [appointment.serviceName, contact?.displayName].compactMap { $0 }.joined(separator: " — "),
                  description: details.joined(separator: "\n"), location: setup.address)
            count += 1
            return true
        }
        writer.end("VCALENDAR")
        return writer.text
    }

    /// One appointment as the customer's file.
    static func file(for appointment: Appointment, now: Date, in txn: borrowing some TransactionReading & ~Copyable) throws -> String {
        let setup = try setup(in: txn)
        let business = try AssistantSettingsKey.settings(in: txn).businessName
        let staffName = try StaffID(appointment.staffID).flatMap { try Collections.staff.get(Key($0.raw), in: txn) }?.name
        var writer = ICalendarWriter()
        header(&writer, name: business.isEmpty ? appointment.serviceName : business, refreshes: false)
        let language = try appointment.conversationID.map { try texts(for: $0, in: txn).language } ?? "pt"
        let with = language == "en" ? "With" : language == "es" ? "Con" : "Com"
        event(&writer, appointment, summary: [appointment.serviceName, business.isEmpty ? nil : business].compactMap { $0 }.joined(separator: " — "),
              description: staffName.map { "\(with) \($0)" } ?? "", location: setup.address)
        writer.end("VCALENDAR")
        return writer.text
    }

    private static func header(_ writer: inout ICalendarWriter, name: String, refreshes: Bool) {
        writer.begin("VCALENDAR")
        writer.property("PRODID", raw: productID)
        writer.property("VERSION", raw: "2.0")
        writer.property("CALSCALE", raw: "GREGORIAN")
        writer.property("METHOD", raw: "PUBLISH")
        writer.property("X-WR-CALNAME", text: name)
        if refreshes {
            // How often to fetch again (RFC 7986 and the older Microsoft/Apple name); clients may
            // keep their own floor (Google refreshes every few hours whatever it is told).
            writer.property("REFRESH-INTERVAL;VALUE=DURATION", raw: "PT15M")
            writer.property("X-PUBLISHED-TTL", raw: "PT15M")
        }
    }

    /// One VEVENT. SEQUENCE grows with every move or cancellation (the appointment's version), so
    /// a client replaces its copy; DTSTAMP is when it last changed here.
    private static func event(_ writer: inout ICalendarWriter, _ appointment: Appointment, summary: String, description: String,
                              location: String) {
        writer.begin("VEVENT")
        writer.property("UID", raw: "\(appointment.id)@atende")
        writer.property("DTSTAMP", date: appointment.updatedAt)
        writer.property("CREATED", date: appointment.createdAt)
        writer.property("LAST-MODIFIED", date: appointment.updatedAt)
        writer.property("SEQUENCE", raw: String(max(0, appointment.version - 1)))
        writer.property("DTSTART", date: appointment.start)
        writer.property("DTEND", date: appointment.end)
        writer.property("SUMMARY", text: summary)
        if !description.isEmpty { writer.property("DESCRIPTION", text: description) }
        if !location.isEmpty { writer.property("LOCATION", text: location) }
        writer.property("STATUS", raw: status(appointment.status))
        writer.property("TRANSP", raw: "OPAQUE")
        writer.end("VEVENT")
    }

    /// Pending bookings wait for staff: TENTATIVE. Everything that holds time is CONFIRMED.
    static func status(_ status: AppointmentStatus) -> String {
        switch status {
        case .pending: "TENTATIVE"
        case .cancelled: "CANCELLED"
        case .booked, .confirmed, .completed, .noShow: "CONFIRMED"
        }
    }
}
