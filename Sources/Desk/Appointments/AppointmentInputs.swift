import Assistant
public import Foundation
public import Storage

/// A service as the API and the dashboard send it; on update, fields left out keep their value.
public struct ServiceInput: Decodable, Sendable {
    public var name: String?
    public var durationMinutes: Int?
    /// `.some(nil)` clears the price ("on request").
    public var priceCents: Int??
    public var bufferAfterMinutes: Int?
    public var staffIDs: [String]?
    public var needsConfirmation: Bool?
    public var aliases: [String]?
    public var active: Bool?

    enum CodingKeys: String, CodingKey {
        case name, durationMinutes = "duration_minutes", priceCents = "price_cents", bufferAfterMinutes = "buffer_after_minutes"
        case staffIDs = "staff_ids", needsConfirmation = "needs_confirmation", aliases, active
    }

    public init(name: String? = nil, durationMinutes: Int? = nil, priceCents: Int?? = nil, bufferAfterMinutes: Int? = nil,
                staffIDs: [String]? = nil, needsConfirmation: Bool? = nil, aliases: [String]? = nil, active: Bool? = nil) {
        (self.name, self.durationMinutes, self.priceCents, self.bufferAfterMinutes) = (name, durationMinutes, priceCents, bufferAfterMinutes)
        (self.staffIDs, self.needsConfirmation, self.aliases, self.active) = (staffIDs, needsConfirmation, aliases, active)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        durationMinutes = try c.decodeIfPresent(Int.self, forKey: .durationMinutes)
        priceCents = c.contains(.priceCents) ? .some(try c.decodeIfPresent(Int.self, forKey: .priceCents)) : nil
        bufferAfterMinutes = try c.decodeIfPresent(Int.self, forKey: .bufferAfterMinutes)
        staffIDs = try c.decodeIfPresent([String].self, forKey: .staffIDs)
        needsConfirmation = try c.decodeIfPresent(Bool.self, forKey: .needsConfirmation)
        aliases = try c.decodeIfPresent([String].self, forKey: .aliases)
        active = try c.decodeIfPresent(Bool.self, forKey: .active)
    }

    func service(id: DocumentID, at: Date) throws -> BookableService {
        guard name != nil else { throw DeskError.invalid("name", "A service needs a name.") }
        guard durationMinutes != nil else { throw DeskError.invalid("duration_minutes", "A service needs its length in minutes.") }
        let blank = BookableService(id: id, name: "", durationMinutes: 0, priceCents: nil, bufferAfterMinutes: 0, staffIDs: [],
                                    needsConfirmation: false, aliases: [], active: true, createdAt: at, updatedAt: at)
        return try applied(to: blank, at: at)
    }

    func applied(to existing: BookableService, at: Date) throws -> BookableService {
        var service = existing
        if let name {
            let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
            guard (1...80).contains(trimmed.count), !trimmed.contains(where: \.isNewline) else {
                throw DeskError.invalid("name", "A service's name is 1 to 80 characters on one line.")
            }
            service.name = trimmed
        }
        if let durationMinutes {
            guard (5...720).contains(durationMinutes) else { throw DeskError.invalid("duration_minutes", "A service takes 5 to 720 minutes.") }
            service.durationMinutes = durationMinutes
        }
        if let priceCents {
            if let cents = priceCents, !(0...100_000_000).contains(cents) {
                throw DeskError.invalid("price_cents", "The price is 0 to 1,000,000.00, in cents.")
            }
            service.priceCents = priceCents
        }
        if let bufferAfterMinutes {
            guard (0...240).contains(bufferAfterMinutes) else { throw DeskError.invalid("buffer_after_minutes", "The buffer is 0 to 240 minutes.") }
            service.bufferAfterMinutes = bufferAfterMinutes
        }
        if let staffIDs {
            guard staffIDs.count <= 50, Set(staffIDs).count == staffIDs.count else {
                throw DeskError.invalid("staff_ids", "At most 50 staff members, each once.")
            }
            service.staffIDs = staffIDs
        }
        if let needsConfirmation { service.needsConfirmation = needsConfirmation }
        if let aliases {
            let tidy = aliases.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            guard tidy.count <= 20, tidy.allSatisfy({ $0.count <= 60 }) else {
                throw DeskError.invalid("aliases", "At most 20 other names, each at most 60 characters.")
            }
            service.aliases = tidy
        }
        if let active { service.active = active }
        service.updatedAt = at
        return service
    }
}

/// A booking as staff, the API or the assistant asks for it.
public struct BookingRequest: Sendable {
    public var serviceID: DocumentID
    /// Nil: the first staff member who performs the service and is free then.
    public var staffID: String?
    public var start: Date
    /// The conversation the customer is told in (and the contact it belongs to).
    public var conversationID: DocumentID
    public var note: String?
    public init(serviceID: DocumentID, staffID: String? = nil, start: Date, conversationID: DocumentID, note: String? = nil) {
        (self.serviceID, self.staffID, self.start, self.conversationID, self.note) = (serviceID, staffID, start, conversationID, note)
    }
}

extension CalendarSetup {
    /// - Throws: `.invalidField` naming the first setting that cannot work.
    func validate() throws(DeskError) {
        guard (0...10_080).contains(minimumNoticeMinutes) else {
            throw DeskError.invalid("minimum_notice_minutes", "The minimum notice is 0 to 10080 minutes (a week).")
        }
        guard (1...365).contains(maximumDaysAhead) else { throw DeskError.invalid("maximum_days_ahead", "Bookings go 1 to 365 days ahead.") }
        guard (5...120).contains(granularityMinutes), 1440 % granularityMinutes == 0 else {
            throw DeskError.invalid("granularity_minutes", "Slots start every 5 to 120 minutes, a divisor of a day (5, 10, 15, 20, 30, 60…).")
        }
        guard holidays.count <= 500 else { throw DeskError.invalid("holidays", "At most 500 holidays.") }
        do { try BusinessHours(days: [], holidays: holidays).validate() } catch { throw DeskError.invalid("holidays", "A holiday is not valid: \(error.message).") }
        guard reminderHours.count <= 4, Set(reminderHours).count == reminderHours.count, reminderHours.allSatisfy({ (1...168).contains($0) }) else {
            throw DeskError.invalid("reminder_hours", "Up to 4 reminders, each 1 to 168 hours before, each once.")
        }
        if let template = reminderTemplate {
            guard (1...512).contains(template.name.count), template.name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }),
                  (2...15).contains(template.language.count) else {
                throw DeskError.invalid("reminder_template", "A template is named as in WhatsApp (lower case, digits, _) with its language, like pt_BR.")
            }
        }
        guard address.count <= 300 else { throw DeskError.invalid("address", "The address is at most 300 characters.") }
        guard (5...1440).contains(dialogueLapseMinutes) else {
            throw DeskError.invalid("dialogue_lapse_minutes", "A booking dialogue lapses after 5 to 1440 minutes of silence.")
        }
    }
}
