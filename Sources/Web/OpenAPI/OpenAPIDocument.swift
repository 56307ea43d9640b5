import Foundation

/// The OpenAPI 3.1 description of every route in `APIRoutes`, served at /api/openapi.json.
/// Written by hand (one entry per route below); a test checks it names exactly the routes the
/// server registers, and schemathesis checks live responses against it.
enum OpenAPIDocument {
    typealias JSON = [String: Any]
    typealias S = OpenAPISchemas

    /// What one operation takes and returns (success statuses; errors are the `default`).
    struct Operation {
        var summary: String
        var request: String? = nil
        /// A request body that is not JSON: its media types, each with its schema.
        var rawRequest: JSON? = nil
        var responses: [(status: String, description: String, schema: JSON?, mediaType: String)]
        var query: Bool = false
        /// Query parameters of this operation alone.
        var parameters: [JSON] = []
    }

    static func json(_ schema: String, _ status: String = "200", _ description: String = "OK") -> (String, String, JSON?, String) {
        (status, description, S.ref(schema), "application/json")
    }

    nonisolated(unsafe) static let operations: [String: Operation] = [
        APIRoutes.healthz.operationID: Operation(summary: "The process is alive.", responses: [json("HealthStatus")]),
        APIRoutes.readyz.operationID: Operation(summary: "The store is open and accepts a write (503 not_ready otherwise).",
                                                responses: [json("ReadyStatus")]),
        APIRoutes.metrics.operationID: Operation(summary: "Prometheus metrics (text exposition format). Needs an Admin or Manager token or session unless the server sets metrics_public = true.",
                                                 responses: [("200", "Metrics", S.string, "text/plain")]),
        APIRoutes.openAPI.operationID: Operation(summary: "This document.",
                                                 responses: [("200", "OpenAPI 3.1", ["type": "object"], "application/json")]),
        APIRoutes.docs.operationID: Operation(summary: "A readable reference page.",
                                              responses: [("200", "HTML", S.string, "text/html")]),
        APIRoutes.setupStatus.operationID: Operation(summary: "Whether first-run setup is needed.", responses: [json("SetupStatus")]),
        APIRoutes.setup.operationID: Operation(summary: "Create the first admin with the one-time token from the server log; signs in.",
                                               request: "SetupRequest", responses: [json("StaffEnvelope", "201", "Created; session cookie set")]),
        APIRoutes.login.operationID: Operation(summary: "Sign in; sets the session cookie. 401 invalid_credentials, 429 too_many_attempts (this account or address has failed too often, or already has a check running), 503 busy (too many sign-ins being checked at once). 429 and 503 carry Retry-After.",
                                               request: "LoginRequest", responses: [json("Session", "200", "Signed in")]),
        APIRoutes.session.operationID: Operation(summary: "The signed-in staff member, their permissions and the business's time zone (appointment times are shown in it).", responses: [json("Session")]),
        APIRoutes.logout.operationID: Operation(summary: "Sign out (ends this session, clears the cookie).",
                                                responses: [("204", "Signed out", nil, "")]),
        APIRoutes.changePassword.operationID: Operation(summary: "Change my password; my other sessions end.",
                                                        request: "PasswordChangeRequest", responses: [("204", "Changed", nil, "")]),
        APIRoutes.confirmPassword.operationID: Operation(
            summary: "Enter my password again: sensitive changes (roles, disabling, password resets, new tokens) answer 403 reauthentication_required when it was last entered over 10 minutes ago.",
            request: "PasswordConfirmRequest", responses: [("204", "Confirmed", nil, "")]),
        APIRoutes.listStaff.operationID: Operation(summary: "Staff members, oldest first.", responses: [json("StaffList")], query: true),
        APIRoutes.createStaff.operationID: Operation(summary: "Add a staff member.", request: "StaffCreateRequest",
                                                     responses: [json("Staff", "201", "Created")]),
        APIRoutes.updateStaff.operationID: Operation(summary: "Rename, change role, disable or enable (409 last_admin).",
                                                     request: "StaffUpdateRequest", responses: [json("Staff")]),
        APIRoutes.resetPassword.operationID: Operation(summary: "Set a staff member's password; their sessions end.",
                                                       request: "PasswordResetRequest", responses: [("204", "Reset", nil, "")]),
        APIRoutes.listTokens.operationID: Operation(summary: "API tokens (secrets are never listed).",
                                                    responses: [json("ApiTokenList")], query: true),
        APIRoutes.createToken.operationID: Operation(summary: "Create an API token; the secret is shown only in this response. It acts for you, or for owner_id — a staff member (e.g. an Agent, whose token then sees the conversations assigned to them); its role is at most the owner's (422 role), and it stops working when the owner is disabled. 422 owner_id for an unknown or disabled member.",
                                                     request: "TokenCreateRequest", responses: [json("NewApiToken", "201", "Created")]),
        APIRoutes.revokeToken.operationID: Operation(summary: "Revoke an API token.", responses: [("204", "Revoked", nil, "")]),
        APIRoutes.listAudit.operationID: Operation(summary: "The audit log, newest first.", responses: [json("AuditList")], query: true),
        APIRoutes.whatsappVerify.operationID: Operation(
            summary: "Meta's verify handshake: answers hub.challenge as plain text when hub.verify_token is a connected number's verify token; 403 verification_failed otherwise.",
            responses: [("200", "The challenge", S.string, "text/plain")],
            parameters: [["name": "hub.mode", "in": "query", "required": false, "schema": S.string],
                         ["name": "hub.verify_token", "in": "query", "required": false, "schema": S.string],
                         ["name": "hub.challenge", "in": "query", "required": false, "schema": S.string]]),
        APIRoutes.whatsappReceive.operationID: Operation(
            summary: "Meta's notifications (messages, statuses, template updates), signed with X-Hub-Signature-256 over the raw body (403 invalid_signature otherwise; up to 3 MiB). 200 only after the delivery is stored; 503 store_unavailable asks Meta to deliver it again.",
            request: "WhatsAppWebhook", responses: [("200", "Stored", nil, "")],
            parameters: [["name": "X-Hub-Signature-256", "in": "header", "required": false, "schema": S.string]]),
        APIRoutes.assignableStaff.operationID: Operation(
            summary: "Who a conversation can be assigned to: enabled staff, by name (no emails), for those who assign in Chats.",
            responses: [json("AssigneeList")]),
        APIRoutes.listConversations.operationID: Operation(
            summary: "Conversations, latest activity first. Agents see only those assigned to them.",
            responses: [json("ConversationList")], query: true,
            parameters: [["name": "filter", "in": "query", "required": false,
                          "schema": ["type": "string", "enum": ["all", "mine", "unassigned", "pending_human", "archived", "blocked"]]],
                         ["name": "q", "in": "query", "required": false, "description": "Text in the contact's name or phone, or in a message.",
                          "schema": ["type": "string", "maxLength": 200]]]),
        APIRoutes.getConversation.operationID: Operation(summary: "One conversation.", responses: [json("Conversation")]),
        APIRoutes.updateConversation.operationID: Operation(
            summary: "Assign (assignee_id; null unassigns; Agents only to themselves), change the status, turn the assistant on or off.",
            request: "ConversationUpdateRequest", responses: [json("Conversation")]),
        APIRoutes.listMessages.operationID: Operation(summary: "A conversation's messages, newest first.",
                                                      responses: [json("MessageList")], query: true),
        APIRoutes.sendMessage.operationID: Operation(
            summary: "Send exactly one of: text, media (a file from POST /uploads by upload_id, or a public https link with its kind), interactive (reply buttons: 1 to 3, titles up to 20 characters, unique ids; or a list: a button label up to 20, 1 to 10 sections with at most 10 rows in all, row titles up to 24, descriptions up to 72; body up to 1024, header and footer up to 60) — all inside the 24-hour window — or an approved template at any time. Queued now, sent by the dispatcher (a file is uploaded to WhatsApp first). 422 invalid_field names the field (e.g. interactive.buttons[1].title); 409 customer_window_closed (options: the approved templates), contact_unavailable, channel_paused.",
            request: "SendMessageRequest", responses: [json("Message", "201", "Queued")]),
        APIRoutes.markRead.operationID: Operation(summary: "Mark the conversation read (unread → 0; WhatsApp is told).",
                                                  responses: [("204", "Marked", nil, "")]),
        APIRoutes.getMessage.operationID: Operation(summary: "One message with its delivery state.", responses: [json("Message")]),
        APIRoutes.findMessages.operationID: Operation(
            summary: "The message with the provider's id (an integration's lookup), with its delivery state.",
            responses: [json("MessageList")],
            parameters: [["name": "provider_id", "in": "query", "required": true, "schema": ["type": "string", "minLength": 1, "maxLength": 256]]]),
        APIRoutes.retryMessage.operationID: Operation(summary: "Send a failed outbound message again (409 not_retriable otherwise).",
                                                      responses: [json("Message")]),
        APIRoutes.getMedia.operationID: Operation(summary: "A message's stored file (404 until it is fetched).",
                                                  responses: [("200", "The file", ["type": "string", "format": "binary"], "application/octet-stream")]),
        APIRoutes.uploadMedia.operationID: Operation(
            summary: "Keep a file to send: the body is the file's bytes, its type in Content-Type. WhatsApp's rules apply: JPEG and PNG images up to 5 MB, WebP stickers up to 500 KB, MP4 and 3GPP video and AAC, AMR, MP3, M4A and OGG audio up to 16 MB, PDF, text, Word, Excel and PowerPoint documents up to 16 MB here (the store's file cap). 415 unsupported_media_type, 413 file_too_large, 422 invalid_field (an empty file, a bad file name). Send it with POST /conversations/{id}/messages and media.upload_id.",
            rawRequest: Dictionary(uniqueKeysWithValues: ["image/jpeg", "image/png", "image/webp", "video/mp4", "audio/ogg", "application/pdf",
                                                          "text/plain", "application/octet-stream"]
                .map { ($0, ["schema": ["type": "string", "format": "binary"]] as JSON) }),
            responses: [json("Upload", "201", "Kept")],
            parameters: [["name": "filename", "in": "query", "required": false, "description": "The file's name (documents show it).",
                          "schema": ["type": "string", "minLength": 1, "maxLength": 240]]]),
        APIRoutes.listContacts.operationID: Operation(
            summary: "Contacts, oldest first.", responses: [json("ContactList")], query: true,
            parameters: [["name": "q", "in": "query", "required": false, "schema": ["type": "string", "maxLength": 200]]]),
        APIRoutes.getContact.operationID: Operation(summary: "One contact.", responses: [json("Contact")]),
        APIRoutes.updateContact.operationID: Operation(summary: "Name, tags, notes, blocked, opted out; dismiss suggested tags (dismiss_tags).",
                                                       request: "ContactUpdateRequest", responses: [json("Contact")]),
        APIRoutes.listTemplates.operationID: Operation(
            summary: "Message templates as last synced.", responses: [json("TemplateList")],
            parameters: [["name": "channel_id", "in": "query", "required": false, "schema": S.string]]),
        APIRoutes.syncTemplates.operationID: Operation(
            summary: "Read every number's templates from Meta. A number Meta refuses is named in failures and the others still sync; 502 provider_refused when every number fails.",
            responses: [json("TemplateSync")]),
        APIRoutes.getTemplate.operationID: Operation(summary: "One template with its components as Meta holds them.",
                                                     responses: [json("Template")]),
        APIRoutes.createTemplate.operationID: Operation(
            summary: "Submit a new template to the number's WhatsApp account for approval (PENDING until Meta decides; the status webhook moves it). 422 invalid_field names the part refused — by our checks or by Meta's validation (error_data.details, error_user_msg) — as sent: name, language, category, components[1].text, components[0].example.header_text, components[3].buttons[0].url, or components when no one part is; 409 conflict when the name and language exist; 502 provider_refused with Meta's words for a refusal about the account (token, template limit).",
            request: "TemplateCreateRequest", responses: [json("Template", "201", "Submitted")]),
        APIRoutes.updateTemplate.operationID: Operation(
            summary: "Replace an approved, rejected or paused template's components; Meta reviews it again (PENDING). 422 invalid_field names the refused part as for create (components[1].text, …).",
            request: "TemplateUpdateRequest", responses: [json("Template")]),
        APIRoutes.deleteTemplate.operationID: Operation(summary: "Delete the template at Meta (this language) and here.",
                                                        responses: [("204", "Deleted", nil, "")]),
        APIRoutes.getAssistantSettings.operationID: Operation(summary: "How the assistant works: business hours, tone, the answer threshold, the human-first wait and burst cap, the business's example phrases per intent, the optional model (its key only as set or not).",
                                                              responses: [json("AssistantSettings")]),
        APIRoutes.updateAssistantSettings.operationID: Operation(
            summary: "Change the assistant's settings; fields left out keep their value (intent_examples, when given, replaces every phrase). 422 names the setting that cannot work (intent_examples.<intent> for a phrase).",
            request: "AssistantSettings", responses: [json("AssistantSettings")]),
        APIRoutes.setLLMKey.operationID: Operation(summary: "Seal the model provider's API key in the vault (never shown again).",
                                                   request: "LLMKeyRequest", responses: [("204", "Kept", nil, "")]),
        APIRoutes.deleteLLMKey.operationID: Operation(summary: "Remove the model provider's API key.", responses: [("204", "Removed", nil, "")]),
        APIRoutes.tryAssistant.operationID: Operation(
            summary: "What the assistant would answer to a customer's first message now: its decision, reply, calibrated confidence, insights and the knowledge-base passages with their scores. Nothing is stored or sent.",
            request: "AssistantTryRequest", responses: [json("AssistantTry")]),
        APIRoutes.listChannels.operationID: Operation(summary: "Connected numbers (secrets only as set or not).", responses: [json("ChannelList")]),
        APIRoutes.createChannel.operationID: Operation(
            summary: "Connect a WhatsApp number; the access token, app secret and verify token go into the vault and are never shown again.",
            request: "ChannelCreateRequest", responses: [json("Channel", "201", "Connected")]),
        APIRoutes.getChannel.operationID: Operation(summary: "One connected number.", responses: [json("Channel")]),
        APIRoutes.updateChannel.operationID: Operation(
            summary: "Change fields or replace secrets (a new access token, or status active, resumes a paused number).",
            request: "ChannelUpdateRequest", responses: [json("Channel")]),
        APIRoutes.deleteChannel.operationID: Operation(summary: "Disconnect a number and delete its secrets; conversations stay.",
                                                       responses: [("204", "Disconnected", nil, "")]),
        APIRoutes.testChannel.operationID: Operation(summary: "Read the number's details from Meta with the vaulted token (502 provider_refused).",
                                                     responses: [json("ChannelTest")]),
        APIRoutes.registerChannel.operationID: Operation(
            summary: "Register a number for the Cloud API with its 6-digit two-step verification PIN (a number connected with Facebook that waits for it: registration_pending). 422 invalid_field pin when Meta says the PIN is wrong; 502 provider_refused for the rest (verify the number first, too many attempts, recently deleted).",
            request: "RegisterChannelRequest", responses: [json("Channel")]),
        APIRoutes.getEmbeddedSignup.operationID: Operation(
            summary: "What the dashboard needs to open Facebook's Embedded Signup pop-up: the Meta app id, the Facebook Login for Business configuration id and the Graph version; enabled is false, and missing names the settings, until the server is set up for it.",
            responses: [json("EmbeddedSignupConfig")]),
        APIRoutes.connectWithFacebook.operationID: Operation(
            summary: "Finish Embedded Signup with the code the pop-up returned (send it at once: it lives about 30 s): exchange it for the business token, find the WhatsApp account (waba_id from the pop-up's FINISH message, else debug_token), read its numbers (only phone_number_id when given), subscribe this app to the account, connect each number (an already connected number gets the new token) and register it when pin is given. 201 when a number was added, 200 when all were connected before. 409 not_configured; 422 invalid_field code when the code expired or was used; 502 provider_refused naming the step that failed (nothing is saved before the numbers).",
            request: "EmbeddedSignupRequest", responses: [json("EmbeddedSignupResult", "201", "Connected (a number was added)"),
                                                        json("EmbeddedSignupResult", "200", "Connected (numbers known before got the new token)")]),
        APIRoutes.live.operationID: Operation(
            summary: "Live events over a WebSocket (Upgrade: websocket). Frames: a hello {type:hello, current_seq, replay, ping_interval_s}, then events {seq, type, data} in seq order; {type:reload} and close 4000 when since cannot be resumed. Closes: 4001 session ended, 4002 role changed, 4003 account disabled, 4008 too slow (reconnect with since), 4029 too many sockets for this session or token, 1001 server shutting down, 1008 too many client messages, 1009 message too large. A browser's Origin must be this server's. A refused upgrade is a bare 400; the same request without Upgrade answers the JSON error, or 426 upgrade_required.",
            responses: [("101", "Switching Protocols: the WebSocket is open", nil, ""),
                        ("426", "Upgrade Required: everything was right but the Upgrade header", S.ref("Error"), "application/json")],
            parameters: [["name": "since", "in": "query", "required": false,
                          "description": "The seq of the last event received; missed events are replayed.",
                          "schema": ["type": "integer", "minimum": 0]]]),
    ]

    nonisolated(unsafe) static let document: JSON = {
        var paths: JSON = [:]
        for route in APIRoutes.all {
            guard let op = operations[route.operationID] ?? knowledgeOperations[route.operationID] ?? twilioOperations[route.operationID]
                    ?? appointmentOperations[route.operationID]
                    ?? calendarFeedOperations[route.operationID]
                    ?? googleCalendarOperations[route.operationID] else { preconditionFailure("no OpenAPI entry for \(route)") }
            var operation: JSON = ["operationId": route.operationID, "summary": op.summary,
                                   "description": "Requires: \(route.access).", "tags": [tag(route.path)]]
            var responses: JSON = ["default": ["description": "Error",
                                               "content": ["application/json": ["schema": S.ref("Error")]]]]
            for r in op.responses {
                var response: JSON = ["description": r.description]
                if let schema = r.schema { response["content"] = [r.mediaType: ["schema": schema]] }
                responses[r.status] = response
            }
            operation["responses"] = responses
            if let request = op.request {
                operation["requestBody"] = ["required": true, "content": ["application/json": ["schema": S.ref(request)]]]
            }
            if let raw = op.rawRequest { operation["requestBody"] = ["required": true, "content": raw] }
            var parameters: [JSON] = []
            if route.path.contains("{id}") {
                parameters.append(["name": "id", "in": "path", "required": true, "schema": S.string])
            }
            if op.query {
                parameters.append(["name": "cursor", "in": "query", "required": false, "schema": S.string])
                parameters.append(["name": "limit", "in": "query", "required": false,
                                   "schema": ["type": "integer", "minimum": 1, "maximum": 200]])
            }
            parameters += op.parameters
            if !parameters.isEmpty { operation["parameters"] = parameters }
            if route.access != .public && route.access != .signed { operation["security"] = [["bearer": []], ["session": []]] }
            var item = paths[route.path] as? JSON ?? [:]
            item[route.method.rawValue.lowercased()] = operation
            paths[route.path] = item
        }
        return [
            "openapi": "3.1.0",
            "info": ["title": "Atende API", "version": "1",
                     "description": "The JSON API of Atende. Errors: {\"error\":{\"code\",\"message\",\"field\",\"request_id\"}}. Browser requests that change state send X-Atende-CSRF: 1."],
            "paths": paths,
            "components": [
                "schemas": S.all.merging(S.knowledge) { first, _ in first }.merging(S.twilio) { first, _ in first }
                    .merging(S.appointments) { first, _ in first }
                    .merging(S.calendarFeeds) { first, _ in first }
                    .merging(S.googleCalendar) { first, _ in first },
                "securitySchemes": [
                    "bearer": ["type": "http", "scheme": "bearer", "description": "An API token, atd_…"],
                    "session": ["type": "apiKey", "in": "cookie", "name": "atende_sid",
                                "description": "The browser session (__Host-atende_sid over TLS)."],
                ],
            ],
        ]
    }()

    private static func tag(_ path: String) -> String {
        let parts = path.split(separator: "/")
        if parts.first == "api", parts.count >= 3, parts[1] == "v1" { return String(parts[2]) }
        if parts.first == "calendar" { return "calendar-feeds" }
        return parts.first == "api" ? "reference" : "health"
    }

    /// The document as JSON bytes (built once).
    static let bytes: [UInt8] = {
        // JSONSerialization cannot fail on this literal tree of strings, numbers, arrays and dictionaries.
        let data = try! JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
        return Array(data)
    }()
}
