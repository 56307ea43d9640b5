import Foundation

/// The component schemas of the OpenAPI document: every body the API takes or returns.
enum OpenAPISchemas {
    typealias JSON = [String: Any]

    static func ref(_ name: String) -> JSON { ["$ref": "#/components/schemas/\(name)"] }
    nonisolated(unsafe) static let string: JSON = ["type": "string"]
    nonisolated(unsafe) static let nullableString: JSON = ["type": ["string", "null"]]
    nonisolated(unsafe) static let dateTime: JSON = ["type": "string", "format": "date-time"]
    nonisolated(unsafe) static let nullableNumber: JSON = ["type": ["number", "null"]]
    nonisolated(unsafe) static let nullableDateTime: JSON = ["type": ["string", "null"], "format": "date-time"]
    nonisolated(unsafe) static let role: JSON = ["type": "string", "enum": ["admin", "manager", "operator", "agent"]]
    /// What a reply quotes or a reaction is about (the stored message's fields are null when it
    /// is not in the store).
    nonisolated(unsafe) static let quoted: JSON = ["oneOf": [
        object(["provider_id": string, "message_id": nullableString, "preview": nullableString, "direction": nullableString]),
        ["type": "null"],
    ]]
    /// A template's components as Meta defines them (HEADER, BODY, FOOTER, BUTTONS objects).
    nonisolated(unsafe) static let components: JSON = ["type": "array", "items": ["type": "object"], "maxItems": 4]
    /// A reply button or list row we sent.
    nonisolated(unsafe) static let choice: JSON = object(["id": string, "title": string, "description": nullableString])
    nonisolated(unsafe) static let level: JSON = ["type": "string", "enum": ["full", "view", "assigned", "none"]]

    static func object(_ properties: JSON, required: [String]? = nil, additional: Bool = false) -> JSON {
        var schema: JSON = ["type": "object", "properties": properties, "required": required ?? Array(properties.keys).sorted()]
        if !additional { schema["additionalProperties"] = false }
        return schema
    }

    static func list(of item: String) -> JSON {
        object(["items": ["type": "array", "items": ref(item)], "next_cursor": nullableString])
    }

    nonisolated(unsafe) static let all: JSON = [
        "Error": object([
            "error": object([
                "code": ["type": "string", "pattern": "^[a-z_]+$"],
                "message": string,
                "field": nullableString,
                "request_id": string,
                "options": ["type": "array", "items": string],
            ], required: ["code", "message", "field", "request_id"]),
        ]),
        "Contact": object([
            "id": string, "wa_id": string, "phone": string, "profile_name": nullableString, "name": nullableString,
            "display_name": string, "tags": ["type": "array", "items": string], "notes": string,
            "blocked": ["type": "boolean"], "opted_out": ["type": "boolean"],
            "opted_out_channels": ["type": "array", "items": ["type": "string", "enum": ["sms", "whatsapp"]]], "created_at": dateTime, "updated_at": dateTime,
            "intelligence": ["oneOf": [ref("ContactIntelligence"), ["type": "null"]]],
        ]),
        "ContactIntelligence": object([
            "score": ["type": "integer", "minimum": 0, "maximum": 100,
                      "description": "How likely the contact brings business now: 30 to start; engagement, booking, pricing and payment raise it; complaints, negative messages and opting out lower it."],
            "signals": ["type": "array", "items": object(["name": string, "points": ["type": "integer"]])],
            "suggested_tags": ["type": "array", "items": string],
            "dismissed_tags": ["type": "array", "items": string],
            "customer_messages": ["type": "integer", "minimum": 3], "updated_at": dateTime,
        ]),
        "Conversation": object([
            "id": string, "contact": ref("Contact"), "channel_id": string,
            "status": ["type": "string", "enum": ["open", "pending_human", "archived", "blocked"]],
            "assignee_id": nullableString, "ai_enabled": ["type": "boolean"], "unread": ["type": "integer", "minimum": 0],
            "last_message_at": nullableDateTime, "last_inbound_at": nullableDateTime, "window_closes_at": nullableDateTime,
            "window_open": ["type": "boolean"], "preview": string, "created_at": dateTime,
            "channel": ["type": "string", "enum": ["whatsapp", "sms"]],
            "handoff_reason": ["type": ["string", "null"], "enum": [
                "human_requested", "complaint", "low_confidence", "repeated_low_confidence", "no_answer", NSNull()]],
        ]),
        "Message": object([
            "id": string, "conversation_id": string, "direction": ["type": "string", "enum": ["inbound", "outbound"]],
            "type": string, "text": nullableString,
            "media": ["oneOf": [object(["kind": string, "mime_type": nullableString, "filename": nullableString, "caption": nullableString,
                                        "size": ["type": ["integer", "null"]], "available": ["type": "boolean"],
                                        "unavailable_reason": nullableString, "url": string, "link": nullableString]), ["type": "null"]]],
            "interactive": ["oneOf": [object([
                "type": ["type": "string", "enum": ["button", "list"]], "header": nullableString, "body": string, "footer": nullableString,
                "buttons": ["type": "array", "items": choice], "button": nullableString,
                "sections": ["type": "array", "items": object(["title": nullableString, "rows": ["type": "array", "items": choice]])],
            ]), ["type": "null"]]],
            "location": ["oneOf": [object(["latitude": ["type": "number"], "longitude": ["type": "number"],
                                           "name": nullableString, "address": nullableString]), ["type": "null"]]],
            "reply_to": quoted, "reaction_to": quoted,
            "provider_id": nullableString,
            "author": object(["kind": ["type": "string", "enum": ["contact", "staff", "assistant", "campaign", "system"]],
                              "id": nullableString, "name": nullableString]),
            "status": ["type": "string", "enum": ["received", "queued", "sent", "delivered", "read", "failed"]],
            "error": ["oneOf": [object(["code": ["type": ["integer", "null"]], "kind": nullableString, "reason": string]), ["type": "null"]]],
            "template": ["oneOf": [object(["name": string, "language": string]), ["type": "null"]]],
            "created_at": dateTime,
            "ai": ["oneOf": [ref("MessageAI"), ["type": "null"]]],
            "call": ["oneOf": [object(["status": string, "missed": ["type": "boolean"], "duration_s": ["type": ["integer", "null"]],
                                       "text_back": ["type": ["string", "null"], "enum": ["scheduled", "deferred", "already_sent", "opted_out",
                                                                                         "off", "queued", NSNull()]]]),
                               ["type": "null"]]],
        ]),
        "MessageAI": object([
            "language": nullableString, "intent": nullableString, "intent_confidence": nullableNumber,
            "sentiment": nullableNumber, "polarity": nullableString, "priority": nullableString, "summary": nullableString,
            "entities": ["type": ["array", "null"], "items": object(["kind": string, "text": string, "value": string])],
            "decision": ["type": ["string", "null"], "enum": ["answer", "clarify", "handoff", "smalltalk", "wait", NSNull()]],
            "confidence": nullableNumber, "handoff_reason": nullableString, "suggested_reply": nullableString,
            "sources": ["type": ["array", "null"], "items": object(["id": string, "source_id": string, "title": string, "score": ["type": "number"]])],
            "composer": nullableString,
        ]),
        "AssistantSettings": object([
            "enabled": ["type": "boolean"], "business_name": ["type": "string", "maxLength": 100],
            "language": ["type": "string", "enum": ["pt", "es", "en"]], "time_zone": string,
            "hours": object([
                "days": ["type": "array", "items": object([
                    "weekday": ["type": "integer", "minimum": 1, "maximum": 7],
                    "intervals": ["type": "array", "items": object(["start": ["type": "integer", "minimum": 0, "maximum": 1440],
                                                                    "end": ["type": "integer", "minimum": 0, "maximum": 1440]])],
                ])],
                "holidays": ["type": "array", "items": ["type": "string", "format": "date"]],
            ]),
            "tone": ["type": "string", "enum": ["friendly", "formal"]],
            "answer_threshold": ["type": "number", "minimum": 0.5, "maximum": 0.99],
            "human_first_seconds": ["type": "integer", "minimum": 0, "maximum": 3600],
            "burst_cap_seconds": ["type": "integer", "minimum": 0, "maximum": 7200],
            "llm": object(["enabled": ["type": "boolean"], "base_url": ["type": "string", "maxLength": 300],
                           "model": ["type": "string", "maxLength": 200], "has_key": ["type": "boolean"]],
                          required: ["enabled", "base_url", "model"]),
            "intent_examples": [
                "type": "object",
                "description": "The business's own example phrases per intent, added to the built-in ones (at most 30 per intent, 200 in all, 1 to 200 characters each). A PUT replaces them all.",
                "propertyNames": ["enum": ["greeting", "pricing", "hours", "location", "booking", "reschedule_cancel", "payment",
                                           "order_status", "complaint", "human_request", "thanks_bye"]],
                "additionalProperties": ["type": "array", "maxItems": 30, "items": ["type": "string", "minLength": 1, "maxLength": 200]],
            ],
        ], required: ["enabled", "business_name", "language", "time_zone", "hours", "tone", "answer_threshold",
                      "human_first_seconds", "burst_cap_seconds", "llm", "intent_examples"]),
        "LLMKeyRequest": object(["key": ["type": "string", "minLength": 1, "maxLength": 500]]),
        "AssistantTryRequest": object(["text": ["type": "string", "minLength": 1, "maxLength": 1000],
                                       "language": ["type": "string", "enum": ["pt", "es", "en"]]], required: ["text"]),
        "AssistantTry": object([
            "decision": ["type": "string", "enum": ["answer", "clarify", "handoff", "smalltalk", "wait"]],
            "reply": nullableString, "confidence": ["type": "number"], "composer": string, "handoff_reason": nullableString,
            "suggested_reply": nullableString, "insights": ref("MessageAI"),
            "passages": ["type": "array", "items": object(["id": string, "source_id": string, "title": string, "text": string,
                                                             "score": ["type": "number"], "lexical_score": nullableNumber,
                                                             "dense_score": nullableNumber])],
        ]),
        "Channel": object([
            "id": string, "kind": ["type": "string", "enum": ["whatsapp", "sms"]], "name": string, "phone_number_id": string,
            "waba_id": string, "display_phone": nullableString, "status": ["type": "string", "enum": ["active", "paused"]],
            "paused_reason": nullableString,
            // Why sending stopped: our reason code, the provider's code and words, and the same in plain words.
            "paused": ["oneOf": [object([
                "code": ["type": "string", "pattern": "^[a-z_]+$"], "provider_code": ["type": ["integer", "null"]],
                "provider_message": string, "summary": string, "action": string,
            ]), ["type": "null"]]],
            "registration_pending": ["type": "boolean"], "webhook_path": string, "webhook_url": nullableString,
            "secrets": object(["access_token": ["type": "boolean"], "app_secret": ["type": "boolean"], "verify_token": ["type": "boolean"]]),
            "created_at": dateTime,
        ]),
        "RegisterChannelRequest": object(["pin": ["type": "string", "pattern": "^[0-9]{6}$"]], additional: true),
        "EmbeddedSignupConfig": object([
            "enabled": ["type": "boolean"], "app_id": nullableString, "config_id": nullableString, "graph_version": string,
            "missing": ["type": "array", "items": ["type": "string", "enum": ["whatsapp_app_id", "whatsapp_login_config_id", "whatsapp.app_secret"]]],
        ]),
        "EmbeddedSignupRequest": object([
            "code": ["type": "string", "minLength": 1, "maxLength": 4096], "waba_id": string, "phone_number_id": string,
            "pin": ["type": "string", "pattern": "^[0-9]{6}$"],
        ], required: ["code"], additional: true),
        "EmbeddedSignupResult": object([
            "waba_id": string,
            "items": ["type": "array", "items": object([
                "channel": ref("Channel"), "created": ["type": "boolean"],
                "registration": ["type": "string", "enum": ["registered", "not_needed", "pin_required", "failed"]],
                "registration_error": nullableString,
            ])],
        ]),
        "ChannelTest": object(["ok": ["type": "boolean"], "details": ["type": "object", "additionalProperties": string]]),
        "Template": object([
            "id": string, "channel_id": string, "name": string, "language": string, "category": string, "status": string,
            "status_reason": nullableString, "body": string, "parameters": ["type": "integer", "minimum": 0],
            "components": components, "updated_at": dateTime,
        ]),
        "TemplateCreateRequest": object([
            "channel_id": string, "name": ["type": "string", "pattern": "^[a-z0-9_]{1,512}$"],
            "language": ["type": "string", "examples": ["pt_BR", "es", "en_US"]],
            "category": ["type": "string", "enum": ["MARKETING", "UTILITY", "AUTHENTICATION"]], "components": components,
        ], required: ["channel_id", "name", "language", "category", "components"], additional: true),
        "TemplateUpdateRequest": object(["components": components], required: ["components"], additional: true),
        "Assignee": object(["id": string, "name": string, "role": role]),
        "AssigneeList": list(of: "Assignee"),
        "ConversationList": list(of: "Conversation"),
        "MessageList": list(of: "Message"),
        "ContactList": list(of: "Contact"),
        "ChannelList": list(of: "Channel"),
        "TemplateList": list(of: "Template"),
        "TemplateSync": object(["items": ["type": "array", "items": ref("Template")], "failures": ["type": "array", "items": string]]),
        "WhatsAppWebhook": ["type": "object", "description": "As Meta sends it (wire-protocols.md §1.4)."],
        "ConversationUpdateRequest": object([
            "assignee_id": nullableString, "status": ["type": "string", "enum": ["open", "pending_human", "archived", "blocked"]],
            "ai_enabled": ["type": "boolean"],
        ], required: [], additional: true),
        "SendMessageRequest": object([
            "text": ["type": "string", "minLength": 1, "maxLength": 4096],
            "template": object(["name": string, "language": string, "parameters": ["type": "array", "items": string]],
                               required: ["name", "language"], additional: true),
            "media": object([
                "kind": ["type": "string", "enum": ["image", "audio", "video", "document", "sticker"]],
                "upload_id": string, "link": ["type": "string", "format": "uri", "pattern": "^https://", "maxLength": 2048],
                "caption": ["type": "string", "maxLength": 1024], "filename": ["type": "string", "minLength": 1, "maxLength": 240],
            ], required: [], additional: true),
            "interactive": object([
                "type": ["type": "string", "enum": ["button", "list"]],
                "body": ["type": "string", "minLength": 1, "maxLength": 1024],
                "header": ["type": "string", "minLength": 1, "maxLength": 60], "footer": ["type": "string", "minLength": 1, "maxLength": 60],
                "buttons": ["type": "array", "minItems": 1, "maxItems": 3, "items": object(["id": string, "title": string], additional: true)],
                "button": ["type": "string", "minLength": 1, "maxLength": 20],
                "sections": ["type": "array", "minItems": 1, "maxItems": 10,
                             "items": object(["title": string, "rows": ["type": "array", "items": object(["id": string, "title": string], additional: true)]],
                                             required: ["rows"], additional: true)],
            ], required: ["type", "body"], additional: true),
            "reply_to": string,
        ], required: [], additional: true),
        "Upload": object([
            "id": string, "kind": ["type": "string", "enum": ["image", "audio", "video", "document", "sticker"]],
            "mime_type": string, "filename": nullableString, "size": ["type": "integer", "minimum": 1], "created_at": dateTime,
        ]),
        "ContactUpdateRequest": object([
            "name": nullableString, "tags": ["type": "array", "items": string, "maxItems": 20], "notes": string,
            "blocked": ["type": "boolean"], "opted_out": ["type": "boolean"],
            "dismiss_tags": ["type": "array", "items": ["type": "string", "minLength": 1, "maxLength": 40], "maxItems": 20,
                             "description": "Suggested tags to dismiss: never suggested again for this contact. Accept one by adding it to tags."],
        ], required: [], additional: true),
        "ChannelCreateRequest": object([
            "name": string, "phone_number_id": string, "waba_id": string, "display_phone": string,
            "access_token": string, "app_secret": string, "verify_token": string,
        ], required: ["name", "phone_number_id", "waba_id", "access_token", "app_secret", "verify_token"], additional: true),
        "ChannelUpdateRequest": object([
            "name": string, "phone_number_id": string, "waba_id": string, "display_phone": string,
            "access_token": string, "app_secret": string, "verify_token": string, "status": ["type": "string", "enum": ["active"]],
        ], required: [], additional: true),
        "Staff": object([
            "id": string, "name": string, "email": string, "role": role,
            "disabled": ["type": "boolean"], "created_at": dateTime,
        ]),
        "Permissions": object([
            "dashboard": level, "chats": level, "assistant": level, "campaigns": level, "settings": level,
        ]),
        "Session": object(["staff": ref("Staff"), "permissions": ref("Permissions"),
                           // Appointment and slot times are shown in it (tz database name, e.g. America/Sao_Paulo).
                           "business_time_zone": string]),
        "StaffEnvelope": object(["staff": ref("Staff")]),
        "ApiToken": object([
            "id": string, "name": string, "role": role, "created_at": dateTime,
            "last_used_at": ["type": ["string", "null"], "format": "date-time"],
            "prefix": ["type": "string", "pattern": "^atd_"],
            // The staff member the token acts for (its rights are capped at theirs); null for one made on the command line.
            "owner_id": nullableString,
        ]),
        "NewApiToken": object(["token": ref("ApiToken"), "secret": ["type": "string", "pattern": "^atd_"]]),
        "AuditActor": object(["id": string, "name": string]),
        "AuditEntry": object([
            "id": string, "at": dateTime,
            "actor": ["oneOf": [ref("AuditActor"), ["type": "null"]]],
            "action": string, "object": string, "ip": nullableString,
        ]),
        "StaffList": list(of: "Staff"),
        "ApiTokenList": list(of: "ApiToken"),
        "AuditList": list(of: "AuditEntry"),
        "SetupStatus": object(["required": ["type": "boolean"]]),
        "HealthStatus": object(["status": ["type": "string", "enum": ["ok"]]]),
        "ReadyStatus": object(["status": ["type": "string", "enum": ["ready"]]]),
        "SetupRequest": object(["token": string, "name": string, "email": string, "password": string], additional: true),
        "LoginRequest": object(["email": string, "password": string], additional: true),
        "PasswordChangeRequest": object(["current_password": string, "new_password": string], additional: true),
        "PasswordConfirmRequest": object(["password": string], additional: true),
        "StaffCreateRequest": object(["name": string, "email": string, "role": string, "password": string], additional: true),
        "StaffUpdateRequest": object(["name": string, "role": string, "disabled": ["type": "boolean"]], required: [], additional: true),
        "PasswordResetRequest": object(["password": string], additional: true),
        "TokenCreateRequest": object(["name": string, "role": string, "owner_id": string], required: ["name", "role"], additional: true),
    ]
}
