import Desk

extension OpenAPIDocument {
    nonisolated(unsafe) static let twilioSignature: JSON = ["name": "X-Twilio-Signature", "in": "header", "required": false, "schema": S.string]
    nonisolated(unsafe) static let form: JSON = ["application/x-www-form-urlencoded": ["schema": ["type": "object", "additionalProperties": S.string]]]
    nonisolated(unsafe) static let twiml: (String, String, JSON?, String) = ("200", "TwiML", S.string, "text/xml")
    static let signedForm = "signed with X-Twilio-Signature (HMAC-SHA1 with the account's auth token over public_url + path + the sorted parameters); 403 invalid_signature when it does not match, when public_url is not set or when Twilio is not connected; 503 store_unavailable when it could not be stored."

    /// Twilio's webhooks and Settings → Channels → Twilio.
    nonisolated(unsafe) static let twilioOperations: [String: Operation] = [
        APIRoutes.twilioSMS.operationID: Operation(
            summary: "An inbound SMS/MMS from Twilio, \(signedForm) Stored once per MessageSid; STOP/PARAR/SAIR/CANCELAR/DESCADASTRAR opt the contact out of SMS, START/VOLTAR back in, HELP/AJUDA is answered. Answered with empty TwiML after the commit.",
            rawRequest: form, responses: [twiml], parameters: [twilioSignature]),
        APIRoutes.twilioStatus.operationID: Operation(
            summary: "A message status callback (MessageStatus, ErrorCode), \(signedForm) The furthest state wins, as with WhatsApp.",
            rawRequest: form, responses: [("204", "Applied", nil, "")], parameters: [twilioSignature]),
        APIRoutes.twilioVoice.operationID: Operation(
            summary: "An incoming call, \(signedForm) Staff see call.incoming live; the answer dials the business phone for the ring time with action dial-status (or, with no business phone set, records a missed call).",
            rawRequest: form, responses: [twiml], parameters: [twilioSignature]),
        APIRoutes.twilioDialStatus.operationID: Operation(
            summary: "How ringing the business phone went (DialCallStatus), \(signedForm) The call is added to the caller's SMS conversation; a missed one schedules the text-back (once per caller per period, after quiet hours) and may answer with voicemail TwiML.",
            rawRequest: form, responses: [twiml], parameters: [twilioSignature]),
        APIRoutes.twilioRecording.operationID: Operation(
            summary: "A voicemail recording (RecordingUrl), \(signedForm) Attached to the missed call and fetched into the store.",
            rawRequest: form, responses: [twiml], parameters: [twilioSignature]),
        APIRoutes.getTwilio.operationID: Operation(
            summary: "The Twilio settings: account, numbers, calls and text-back; the auth token only as auth_token_set. webhooks holds the URLs to paste into the Twilio console, null with public_url_missing true when public_url is not set (signatures cannot be checked without it).",
            responses: [json("TwilioSettings")]),
        APIRoutes.updateTwilio.operationID: Operation(
            summary: "Change the Twilio settings; fields left out stay. auth_token is write-only (sealed in the vault). numbers replaces the list of Twilio numbers (E.164). 422 invalid_field names the field; 409 conflict for a number connected as another channel.",
            request: "TwilioSettingsRequest", responses: [json("TwilioSettings")]),
        APIRoutes.testTwilio.operationID: Operation(
            summary: "Test connection: read the account from Twilio with the saved SID and token (422 not_configured before they are saved, 502 provider_refused when Twilio refuses).",
            responses: [json("TwilioTest")]),
    ]
}

extension OpenAPISchemas {
    nonisolated(unsafe) static let e164: JSON = ["type": "string", "pattern": "^\\+[1-9][0-9]{6,14}$"]
    nonisolated(unsafe) static let quietHours: JSON = ["oneOf": [object(["start": ["type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"],
                                                                         "end": ["type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"]]),
                                                                 ["type": "null"]]]
    nonisolated(unsafe) static let textBacks: JSON = ["type": "object", "propertyNames": ["enum": ["pt", "es", "en"]],
                                                      "additionalProperties": ["type": "string", "maxLength": 640]]

    nonisolated(unsafe) static let textBackVia: JSON = ["type": "string", "enum": ["sms", "whatsapp"],
                                                        "description": "whatsapp: the template on WhatsApp when the caller already has a WhatsApp conversation, SMS otherwise."]
    nonisolated(unsafe) static let textBackTemplate: JSON = ["oneOf": [object(["name": string, "language": string]), ["type": "null"]]]

    nonisolated(unsafe) static let twilio: JSON = [
        "TwilioSettings": object([
            "account_sid": nullableString, "auth_token_set": ["type": "boolean"], "connected": ["type": "boolean"],
            "numbers": ["type": "array", "items": ref("Channel")], "forward_to": nullableString,
            "ring_seconds": ["type": "integer", "minimum": 5, "maximum": 60], "text_back_enabled": ["type": "boolean"],
            "text_back": textBacks, "text_back_defaults": textBacks,
            "text_back_period_hours": ["type": "integer", "minimum": 1, "maximum": 168], "quiet_hours": quietHours,
            "text_back_during_quiet_hours": ["type": "boolean"], "voicemail": ["type": "boolean"],
            "webhooks": ["oneOf": [object(["sms": string, "voice": string, "status": string]), ["type": "null"]]],
            "public_url_missing": ["type": "boolean"], "api_url": string, "updated_at": nullableDateTime,
            "text_back_via": textBackVia, "text_back_template": textBackTemplate,
        ]),
        "TwilioSettingsRequest": object([
            "account_sid": ["type": "string", "pattern": "^AC[0-9a-fA-F]{32}$"],
            "auth_token": ["type": "string", "minLength": 16, "maxLength": 128],
            "numbers": ["type": "array", "maxItems": 20, "items": e164],
            "forward_to": ["oneOf": [e164, ["type": "null"]]],
            "ring_seconds": ["type": "integer", "minimum": 5, "maximum": 60], "text_back_enabled": ["type": "boolean"],
            "text_back": textBacks, "text_back_period_hours": ["type": "integer", "minimum": 1, "maximum": 168],
            "quiet_hours": quietHours, "text_back_during_quiet_hours": ["type": "boolean"], "voicemail": ["type": "boolean"],
            "text_back_via": textBackVia, "text_back_template": textBackTemplate,
        ], required: []),
        "TwilioTest": object(["ok": ["type": "boolean"], "account": ["type": "object", "additionalProperties": string]]),
    ]
}
