import Assistant
import Desk
import Foundation
import HTTPTypes
import Hummingbird
import Storage

/// Appointments: services, availability, the calendar's rules, free slots, and the appointments
/// themselves. Desk checks who may see what (Agents: their conversations' appointments).
struct AppointmentsController {
    let appointments: Appointments

    func addRoutes(to routes: RouteRegistrar) {
        routes.add(APIRoutes.listServices) { _, _ in
            try jsonResponse(ListView(items: try appointments.services().map(ServiceView.init), next_cursor: nil))
        }
        routes.add(APIRoutes.createService) { request, context in
            let input = try await request.decodeJSON(as: ServiceInput.self, context: context)
            return try jsonResponse(ServiceView(try await appointments.createService(input, by: context.requester)), status: .created)
        }
        routes.add(APIRoutes.updateService) { request, context in
            let input = try await request.decodeJSON(as: ServiceInput.self, context: context)
            return try jsonResponse(ServiceView(try await appointments.updateService(try id(context, "service"), input, by: context.requester)))
        }
        routes.add(APIRoutes.deleteService) { _, context in
            try await appointments.deleteService(try id(context, "service"), by: context.requester)
            return Response(status: .noContent)
        }
        routes.add(APIRoutes.listAvailability) { _, _ in
            try jsonResponse(ListView(items: try appointments.availability(), next_cursor: nil))
        }
        routes.add(APIRoutes.updateAvailability) { request, context in
            let body = try await request.decodeJSON(as: AvailabilityBody.self, context: context)
            guard let staff = context.parameters.get("id"), StaffID(staff) != nil else {
                throw APIError(status: .notFound, code: "not_found", message: "No staff member has this id.")
            }
            let timeOff = try (body.time_off ?? []).enumerated().map { index, period in
                StaffAvailability.TimeOff(start: try Self.date(period.start, "time_off[\(index)].start"),
                                          end: try Self.date(period.end, "time_off[\(index)].end"), note: period.note)
            }
            let hours = BusinessHours(days: body.days.map { BusinessHours.Day(weekday: $0.weekday, intervals: $0.intervals) },
                                      holidays: body.days_off ?? [])
            return try jsonResponse(try await appointments.setAvailability(staff, hours: hours, timeOff: timeOff, by: context.requester))
        }
        routes.add(APIRoutes.getCalendarSettings) { _, _ in try jsonResponse(CalendarSetupView(try appointments.setup())) }
        routes.add(APIRoutes.updateCalendarSettings) { request, context in
            let body = try await request.decodeJSON(as: CalendarSetupView.self, context: context)
            let updated = try await appointments.update(body.applied(to: try appointments.setup()), by: context.requester)
            return try jsonResponse(CalendarSetupView(updated))
        }
        routes.add(APIRoutes.listSlots) { request, context in
            let query = request.uri.queryParameters.plain
            guard let service = query["service_id"].flatMap(DocumentID.init(string:)) else {
                throw DeskError.invalid("service_id", "Name the service (service_id).")
            }
            let from = try query["from"].map { try Self.date($0, "from") } ?? Date()
            let to = try query["to"].map { try Self.date($0, "to") } ?? from.addingTimeInterval(14 * 86_400)
            let limit = try query["limit"].map { text in
                guard let limit = Int(text) else { throw DeskError.invalid("limit", "The limit must be between 1 and 500.") }
                return limit
            } ?? 50
            let slots = try appointments.slots(service: service, staff: query["staff_id"], from: from, to: to, limit: limit)
            return try jsonResponse(ListView(items: slots.map(SlotView.init), next_cursor: nil))
        }
        routes.add(APIRoutes.listAppointments) { request, context in
            let query = request.uri.queryParameters.plain
            let from = try query["from"].map { try Self.date($0, "from") } ?? Calendar.current.startOfDay(for: Date())
            let to = try query["to"].map { try Self.date($0, "to") } ?? from.addingTimeInterval(7 * 86_400)
            let status = try query["status"].map { text in
                guard let status = AppointmentStatus(rawValue: text) else {
                    throw DeskError.invalid("status", "The status is one of: \(AppointmentStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                return status
            }
            let items = try appointments.list(from: from, to: to, staff: query["staff_id"], status: status, for: context.requester)
            return try jsonResponse(ListView(items: items, next_cursor: nil))
        }
        routes.add(APIRoutes.createAppointment) { request, context in
            let body = try await request.decodeJSON(as: BookingBody.self, context: context)
            guard let service = DocumentID(string: body.service_id) else { throw DeskError.invalid("service_id", "No active service has this id.") }
            guard let conversation = DocumentID(string: body.conversation_id) else {
                throw DeskError.invalid("conversation_id", "No conversation has this id.")
            }
            let booking = BookingRequest(serviceID: service, staffID: body.staff_id, start: try Self.date(body.start, "start"),
                                         conversationID: conversation, note: body.note)
            return try jsonResponse(try await appointments.book(booking, by: context.requester,
                                                                source: context.requester.passwordConfirmedAt == nil ? .api : .staff),
                                    status: .created)
        }
        routes.add(APIRoutes.getAppointment) { _, context in
            try jsonResponse(try appointments.appointment(try id(context, "appointment"), for: context.requester))
        }
        routes.add(APIRoutes.updateAppointment) { request, context in
            let id = try id(context, "appointment")
            let body = try await request.decodeJSON(as: AppointmentPatch.self, context: context)
            var view: AppointmentView?
            if body.start != nil || body.staff_id != nil {
                let current = try appointments.appointment(id, for: context.requester).appointment
                view = try await appointments.move(id, to: try body.start.map { try Self.date($0, "start") } ?? current.start,
                                                   staff: body.staff_id, by: context.requester)
            }
            if body.status != nil || body.note != nil {
                let status = try body.status.map { text in
                    guard let status = AppointmentStatus(rawValue: text) else {
                        throw DeskError.invalid("status", "The status is one of: confirmed, no_show, completed (cancel with POST …/cancel).")
                    }
                    return status
                }
                view = try await appointments.mark(id, status: status, note: body.note, by: context.requester)
            }
            return try jsonResponse(try view ?? appointments.appointment(id, for: context.requester))
        }
        routes.add(APIRoutes.cancelAppointment) { request, context in
            let body = try await request.decodeJSON(as: CancelBody.self, context: context)
            return try jsonResponse(try await appointments.cancel(try id(context, "appointment"), reason: body.reason, by: context.requester))
        }
        routes.add(APIRoutes.contactAppointments) { _, context in
            try jsonResponse(ListView(items: try appointments.appointments(ofContact: try id(context, "contact"), for: context.requester),
                                      next_cursor: nil))
        }
    }

    /// An id that is not one of ours names nothing: 404, as for an unknown one.
    private func id(_ context: StaffContext, _ kind: String) throws -> DocumentID {
        guard let text = context.parameters.get("id"), let id = DocumentID(string: text) else {
            throw APIError(status: .notFound, code: "not_found", message: "No \(kind) has this id.")
        }
        return id
    }

    /// An RFC 3339 time with its offset, with or without fractions of a second (as a browser's
    /// `toISOString()` writes it).
    static func date(_ text: String, _ field: String) throws -> Date {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        throw DeskError.invalid(field, "\(field) is a time like 2026-12-07T14:00:00-03:00 (RFC 3339, with its offset).")
    }
}

struct AvailabilityBody: Decodable {
    struct Day: Decodable { let weekday: Int, intervals: [BusinessHours.Interval] }
    struct TimeOff: Decodable { let start: String, end: String, note: String? }
    let days: [Day]
    let days_off: [String]?
    let time_off: [TimeOff]?
}

struct BookingBody: Decodable {
    let service_id: String
    let staff_id: String?
    let start: String
    let conversation_id: String
    let note: String?
}

struct AppointmentPatch: Decodable {
    let start: String?
    let staff_id: String?
    let status: String?
    let note: String??

    enum CodingKeys: String, CodingKey { case start, staff_id, status, note }
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        start = try c.decodeIfPresent(String.self, forKey: .start)
        staff_id = try c.decodeIfPresent(String.self, forKey: .staff_id)
        status = try c.decodeIfPresent(String.self, forKey: .status)
        note = c.contains(.note) ? .some(try c.decodeIfPresent(String.self, forKey: .note)) : nil
    }
}

struct CancelBody: Decodable { let reason: String? }

struct SlotView: Encodable {
    let start: String, end: String, staff_id: String
    init(_ slot: Slot) { (start, end, staff_id) = (slot.start.formatted(.iso8601), slot.end.formatted(.iso8601), slot.staffID) }
}
