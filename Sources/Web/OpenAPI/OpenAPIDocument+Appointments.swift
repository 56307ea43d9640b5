import Desk

extension OpenAPIDocument {
    nonisolated(unsafe) static let timeQuery: (String, String) -> JSON = { name, description in
        ["name": name, "in": "query", "required": false, "description": description, "schema": S.dateTime]
    }

    /// Services, availability, the calendar's rules, free slots and appointments.
    nonisolated(unsafe) static let appointmentOperations: [String: Operation] = [
        APIRoutes.listServices.operationID: Operation(summary: "Every service, active first, then by name.", responses: [json("ServiceList")]),
        APIRoutes.createService.operationID: Operation(
            summary: "Add a service (name and duration_minutes required). 422 invalid_field names the field (staff_ids must be enabled staff members).",
            request: "ServiceRequest", responses: [json("Service", "201", "Created")]),
        APIRoutes.updateService.operationID: Operation(
            summary: "Change a service; fields left out stay, price_cents null means \"on request\". Existing appointments keep the name, length and price they were booked with.",
            request: "ServiceRequest", responses: [json("Service")]),
        APIRoutes.deleteService.operationID: Operation(summary: "Delete a service; its appointments stay, with its name.",
                                                       responses: [("204", "Deleted", nil, "")]),
        APIRoutes.listAvailability.operationID: Operation(
            summary: "Each enabled staff member's week (minutes from local midnight per weekday, 1 = Sunday … 7 = Saturday; breaks are the gaps), days off and time off.",
            responses: [json("AvailabilityList")]),
        APIRoutes.updateAvailability.operationID: Operation(
            summary: "Replace one staff member's week, days off and time off. 422 invalid_field names what cannot work (overlapping intervals, an interval past midnight, time off that runs backwards).",
            request: "AvailabilityRequest", responses: [json("Availability")]),
        APIRoutes.getCalendarSettings.operationID: Operation(summary: "The booking rules, business holidays, reminders and confirmation address.",
                                                             responses: [json("CalendarSettings")]),
        APIRoutes.updateCalendarSettings.operationID: Operation(summary: "Change the calendar settings; fields left out stay.",
                                                                request: "CalendarSettingsRequest", responses: [json("CalendarSettings")]),
        APIRoutes.listSlots.operationID: Operation(
            summary: "Free start times for a service, earliest first, in the business time zone's hours: staff hours and breaks, days and time off, holidays, bookings with their buffers, minimum notice, horizon and slot grid all applied.",
            responses: [json("SlotList")],
            parameters: [["name": "service_id", "in": "query", "required": true, "schema": S.string],
                         ["name": "staff_id", "in": "query", "required": false, "schema": S.string],
                         timeQuery("from", "Now when left out."), timeQuery("to", "14 days after from when left out; at most a year after it."),
                         ["name": "limit", "in": "query", "required": false, "schema": ["type": "integer", "minimum": 1, "maximum": 500]]]),
        APIRoutes.listAppointments.operationID: Operation(
            summary: "Appointments starting in [from, to), by start (at most 2000). Agents see those of conversations assigned to them and those they perform.",
            responses: [json("AppointmentList")],
            parameters: [timeQuery("from", "Today's start when left out."), timeQuery("to", "7 days after from when left out."),
                         ["name": "staff_id", "in": "query", "required": false, "schema": S.string],
                         ["name": "status", "in": "query", "required": false,
                          "schema": ["type": "string", "enum": AppointmentStatus.allCases.map(\.rawValue)]]]),
        APIRoutes.createAppointment.operationID: Operation(
            summary: "Book a service in a conversation's contact's name; the customer is told there (notice says why when they could not be). 409 slot_taken when the time is not free — checked in the write transaction, so of two requests for the last slot one wins — with options holding the nearest free start times.",
            request: "AppointmentRequest", responses: [json("Appointment", "201", "Booked")]),
        APIRoutes.getAppointment.operationID: Operation(summary: "One appointment.", responses: [json("Appointment")]),
        APIRoutes.updateAppointment.operationID: Operation(
            summary: "Move (start, staff_id: the customer is told, reminders follow the new time; 409 slot_taken with options), confirm, mark as no_show or completed (once started), or change the note.",
            request: "AppointmentPatch", responses: [json("Appointment")]),
        APIRoutes.cancelAppointment.operationID: Operation(
            summary: "Cancel: the time is free again, no reminder goes, and the customer is told. 409 conflict when already cancelled or over.",
            request: "AppointmentCancel", responses: [json("Appointment")]),
        APIRoutes.contactAppointments.operationID: Operation(summary: "The contact's appointments, newest first (their history).",
                                                             responses: [json("AppointmentList")]),
    ]
}

extension OpenAPISchemas {
    nonisolated(unsafe) static let minutes: JSON = ["type": "integer", "minimum": 0, "maximum": 1440]
    nonisolated(unsafe) static let week: JSON = ["type": "array", "maxItems": 7, "items": object([
        "weekday": ["type": "integer", "minimum": 1, "maximum": 7],
        "intervals": ["type": "array", "maxItems": 24, "items": object(["start": minutes, "end": minutes])],
    ])]
    nonisolated(unsafe) static let civilDates: JSON = ["type": "array", "maxItems": 500, "items": ["type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"]]
    nonisolated(unsafe) static let templateRef: JSON = ["oneOf": [object(["name": string, "language": string]), ["type": "null"]]]

    nonisolated(unsafe) static let appointments: JSON = [
        "Service": object([
            "id": string, "name": string, "duration_minutes": ["type": "integer"], "price_cents": ["type": ["integer", "null"]],
            "buffer_after_minutes": ["type": "integer"], "staff_ids": ["type": "array", "items": string],
            "needs_confirmation": ["type": "boolean"], "aliases": ["type": "array", "items": string], "active": ["type": "boolean"],
            "created_at": dateTime, "updated_at": dateTime,
        ]),
        "ServiceList": list(of: "Service"),
        "ServiceRequest": object([
            "name": ["type": "string", "minLength": 1, "maxLength": 80], "duration_minutes": ["type": "integer", "minimum": 5, "maximum": 720],
            "price_cents": ["type": ["integer", "null"], "minimum": 0, "maximum": 100_000_000],
            "buffer_after_minutes": ["type": "integer", "minimum": 0, "maximum": 240],
            "staff_ids": ["type": "array", "maxItems": 50, "items": string], "needs_confirmation": ["type": "boolean"],
            "aliases": ["type": "array", "maxItems": 20, "items": ["type": "string", "maxLength": 60]], "active": ["type": "boolean"],
        ], required: []),
        "Availability": object([
            "staff_id": string, "staff_name": string, "days": week, "days_off": civilDates,
            "time_off": ["type": "array", "items": object(["start": dateTime, "end": dateTime, "note": nullableString])],
            "updated_at": dateTime,
        ]),
        "AvailabilityList": list(of: "Availability"),
        "AvailabilityRequest": object([
            "days": week, "days_off": civilDates,
            "time_off": ["type": "array", "maxItems": 200, "items": object(["start": dateTime, "end": dateTime,
                                                                              "note": ["type": ["string", "null"], "maxLength": 200]], required: ["start", "end"])],
        ], required: ["days"]),
        "CalendarSettings": object([
            "minimum_notice_minutes": ["type": "integer"], "maximum_days_ahead": ["type": "integer"], "granularity_minutes": ["type": "integer"],
            "holidays": civilDates, "reminder_hours": ["type": "array", "items": ["type": "integer"]], "reminder_template": templateRef,
            "address": string, "booking_by_chat": ["type": "boolean"], "dialogue_lapse_minutes": ["type": "integer"],
        ]),
        "CalendarSettingsRequest": object([
            "minimum_notice_minutes": ["type": "integer", "minimum": 0, "maximum": 10_080],
            "maximum_days_ahead": ["type": "integer", "minimum": 1, "maximum": 365],
            "granularity_minutes": ["type": "integer", "enum": [5, 10, 15, 20, 30, 40, 45, 60, 72, 80, 90, 120]],
            "holidays": civilDates,
            "reminder_hours": ["type": "array", "maxItems": 4, "uniqueItems": true, "items": ["type": "integer", "minimum": 1, "maximum": 168]],
            "reminder_template": templateRef, "address": ["type": "string", "maxLength": 300], "booking_by_chat": ["type": "boolean"],
            "dialogue_lapse_minutes": ["type": "integer", "minimum": 5, "maximum": 1440],
        ], required: []),
        "Slot": object(["start": dateTime, "end": dateTime, "staff_id": string]),
        "SlotList": list(of: "Slot"),
        "Appointment": object([
            "id": string, "service_id": string, "service_name": string, "duration_minutes": ["type": "integer"],
            "buffer_after_minutes": ["type": "integer"], "price_cents": ["type": ["integer", "null"]], "staff_id": string,
            "staff_name": nullableString, "contact_id": string, "contact_name": nullableString, "contact_phone": nullableString,
            "conversation_id": nullableString, "channel": nullableString, "start": dateTime, "end": dateTime,
            "status": ["type": "string", "enum": AppointmentStatus.allCases.map(\.rawValue)],
            "source": ["type": "string", "enum": ["staff", "assistant", "api"]], "note": nullableString, "version": ["type": "integer"],
            "reminders": ["type": "array", "items": object(["hours": ["type": "integer"], "at": dateTime, "message_id": nullableString,
                                                              "skipped": nullableString])],
            "created_at": dateTime, "updated_at": dateTime,
            "notice": ["type": "string", "description": "Only in the answer to a change: what did not happen (the customer could not be told, and why)."],
            "google_calendar": ref("GoogleCalendarEvent"),
        ], required: ["id", "service_id", "service_name", "duration_minutes", "buffer_after_minutes", "price_cents", "staff_id", "staff_name",
                      "contact_id", "contact_name", "contact_phone", "conversation_id", "channel", "start", "end", "status", "source", "note",
                      "version", "reminders", "created_at", "updated_at"]),
        "AppointmentList": list(of: "Appointment"),
        "AppointmentRequest": object([
            "service_id": string, "staff_id": ["type": ["string", "null"]], "start": dateTime, "conversation_id": string,
            "note": ["type": ["string", "null"], "maxLength": 1000],
        ], required: ["service_id", "start", "conversation_id"]),
        "AppointmentPatch": object([
            "start": dateTime, "staff_id": string, "status": ["type": "string", "enum": ["booked", "confirmed", "no_show", "completed"]],
            "note": ["type": ["string", "null"], "maxLength": 1000],
        ], required: []),
        "AppointmentCancel": object(["reason": ["type": ["string", "null"], "maxLength": 500]], required: []),
    ]
}
