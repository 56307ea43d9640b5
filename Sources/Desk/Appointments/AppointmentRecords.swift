public import Assistant
public import Foundation
public import Storage

/// Something a customer can book (Settings → Services): how long it takes, what it costs, the
/// time the staff member needs after it, and who performs it.
public struct BookableService: Codable, Sendable, Equatable {
    public let id: DocumentID
    public var name: String
    /// Minutes the appointment takes (5–720).
    public var durationMinutes: Int
    /// In cents of the business's currency (R$); nil: "on request".
    public var priceCents: Int?
    /// Minutes after the appointment the staff member is not free (cleaning, notes; 0–240).
    public var bufferAfterMinutes: Int
    /// The staff members who perform it, in the order the assistant offers them.
    public var staffIDs: [String]
    /// A booking waits for staff to confirm it before it counts as confirmed to the customer.
    public var needsConfirmation: Bool
    /// Other words customers use for it ("limpeza" for "Limpeza dental"), for booking by chat.
    public var aliases: [String]
    /// Switched off services are not offered; their past appointments keep their name.
    public var active: Bool
    public let createdAt: Date
    public var updatedAt: Date
}

/// One staff member's working week (breaks are the gaps between a day's intervals; the hours'
/// holidays are their own days off) and time off (vacations, courses).
public struct StaffAvailability: Codable, Sendable, Equatable {
    public let staffID: String
    public var hours: BusinessHours
    public var timeOff: [TimeOff]
    public var updatedAt: Date

    public struct TimeOff: Codable, Sendable, Equatable {
        public var start: Date
        public var end: Date
        public var note: String?
        public init(start: Date, end: Date, note: String? = nil) { (self.start, self.end, self.note) = (start, end, note) }
    }
}

/// Settings → Availability (one document): the booking rules, business holidays, reminders and
/// what the confirmation says.
public struct CalendarSetup: Codable, Sendable, Equatable {
    static let key = Key("calendar")

    /// A slot starts at least this long after now (0–10080 minutes; 120).
    public var minimumNoticeMinutes = 120
    /// …and at most this many days ahead (1–365; 60).
    public var maximumDaysAhead = 60
    /// Slots start on multiples of this many minutes after midnight (5–120; 15).
    public var granularityMinutes = 15
    /// Days the whole business is closed, "YYYY-MM-DD" in the business time zone.
    public var holidays: [String] = []
    /// Hours before the appointment each reminder goes (each 1–168; 24 and 2).
    public var reminderHours: [Int] = [24, 2]
    /// The approved WhatsApp template a reminder is sent as when the customer's 24-hour window is
    /// closed; its parameters are the customer's name, the service, and the date and time.
    public var reminderTemplate: TemplateRef?
    /// The address the confirmation gives.
    public var address = ""
    /// The assistant books, moves and cancels by chat.
    public var bookingByChat = true
    /// A booking dialogue the customer leaves this long lapses, with a polite word (5–1440; 30).
    public var dialogueLapseMinutes = 30

    public struct TemplateRef: Codable, Sendable, Equatable {
        public var name: String
        public var language: String
        public init(name: String, language: String) { (self.name, self.language) = (name, language) }
    }

    public init() {}
}

/// Where an appointment stands. Pending ones wait for staff to confirm (services that need it);
/// only cancelled ones free their time.
public enum AppointmentStatus: String, Codable, Sendable, CaseIterable {
    case pending, booked, confirmed, cancelled, noShow = "no_show", completed

    /// Whether the appointment holds its staff member's time.
    public var holdsTime: Bool { self != .cancelled }
}

/// One booking: who, what, with whom, when. The service's name, length, buffer and price are
/// copied in, so changing the service later does not rewrite history.
public struct Appointment: Codable, Sendable, Equatable {
    public enum Source: String, Codable, Sendable { case staff, assistant, api }

    public let id: DocumentID
    public var serviceID: DocumentID
    public var serviceName: String
    public var durationMinutes: Int
    public var bufferAfterMinutes: Int
    public var priceCents: Int?
    public var staffID: String
    public let contactID: DocumentID
    /// The conversation it was booked in, or the one the customer is told in.
    public var conversationID: DocumentID?
    public var start: Date
    public var end: Date
    public var status: AppointmentStatus
    public let source: Source
    public var note: String?
    /// Grows with every move: a reminder scheduled for an earlier version is not sent.
    public var version: Int
    /// The reminders as they went (or why one did not).
    public var reminders: [Reminder]
    /// The secret of this appointment's `.ics` link (given in the confirmation).
    public let icsToken: String
    public let createdAt: Date
    public var updatedAt: Date

    public struct Reminder: Codable, Sendable, Equatable {
        public var hours: Int
        public var at: Date
        public var messageID: DocumentID?
        /// Why it was not sent (no approved template with the window closed, opted out…).
        public var skipped: String?
    }

    /// The time the staff member is not free: the appointment and its buffer.
    public var held: DateInterval { DateInterval(start: start, end: end.addingTimeInterval(Double(bufferAfterMinutes) * 60)) }
}

/// Where a booking conversation stands (one per conversation, kept in the store so a restart in
/// the middle loses nothing).
struct BookingDialogue: Codable, Sendable, Equatable {
    enum Step: String, Codable, Sendable {
        /// Asked which service.
        case service
        /// Asked for a day or time.
        case when
        /// Offered `offered` slots.
        case slot
        /// Asked whether to cancel `appointmentID`.
        case confirmCancel
        /// Asked whether to move or cancel `appointmentID` (the customer said "remarcar/cancelar").
        case moveOrCancel
        /// A reminder asked to confirm, move or cancel `appointmentID`.
        case reminder
    }

    let conversationID: DocumentID
    var step: Step
    var serviceID: DocumentID?
    /// The appointment being moved or cancelled.
    var appointmentID: DocumentID?
    var offered: [OfferedSlot]
    var language: String
    var updatedAt: Date
    /// When the customer said they want to come before the service was settled ("quero marcar
    /// amanhã às 15h" → "Qual serviço?"), read again once it is.
    var saidWhen: SaidWhen? = nil

    struct SaidWhen: Codable, Sendable, Equatable {
        var text: String
        var at: Date
    }

    struct OfferedSlot: Codable, Sendable, Equatable {
        var start: Date
        var staffID: String
    }
}
