public import Desk
public import Hummingbird

/// One route and what it requires. Every route the server answers is declared in `APIRoutes.all`
/// and registered through `RouteRegistrar`, which refuses a request before the handler runs
/// unless its principal meets `access` — deny by default. Tests enumerate `APIRoutes.all` × every
/// role, and check that exactly these routes are registered and documented in OpenAPI.
public struct APIRoute: Sendable, Hashable, CustomStringConvertible {
    public enum Access: Sendable, Hashable, CustomStringConvertible {
        /// Anyone, signed in or not.
        case `public`
        /// A provider's webhook: no session or token, the request's signature is its credential
        /// (checked by the handler, which answers 403 without one). Exempt from CSRF.
        case signed
        /// A staff member signed in with a browser session (not an API token).
        case browserSession
        /// Any principal whose role has at least `level` in `area`.
        case area(Area, AccessLevel)
        /// A browser session (not an API token) whose role has at least `level` in `area`: for
        /// steps bound to the session itself, like starting an OAuth connection.
        case sessionArea(Area, AccessLevel)

        public var description: String {
            switch self {
            case .public: "public"
            case .signed: "a provider's signature"
            case .browserSession: "browser session"
            case .area(let area, let level): "\(area.rawValue) \(level.rawValue)"
            case .sessionArea(let area, let level): "\(area.rawValue) \(level.rawValue) in a browser session"
            }
        }
    }

    public let method: HTTPRequest.Method
    /// OpenAPI form: `/api/v1/staff/{id}`.
    public let path: String
    public let access: Access
    public let operationID: String

    public init(_ method: HTTPRequest.Method, _ path: String, _ access: Access, _ operationID: String) {
        self.method = method
        self.path = path
        self.access = access
        self.operationID = operationID
    }

    /// Hummingbird form: `/api/v1/staff/:id`.
    var routerPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : String(part)
        }.joined(separator: "/")
    }

    public var description: String { "\(method) \(path)" }

    /// Whether `principal` (nil: a guest) may call this route.
    public func allows(_ principal: Principal?) -> Bool {
        switch access {
        case .public, .signed: return true
        case .browserSession:
            if case .staff = principal { return true }
            return false
        case .area(let area, let level):
            return principal?.permissions.allows(area, level) ?? false
        case .sessionArea(let area, let level):
            guard case .staff = principal else { return false }
            return principal?.permissions.allows(area, level) ?? false
        }
    }
}

/// The route table: every route of the server, one line each.
public enum APIRoutes {
    public static let healthz = APIRoute(.get, "/healthz", .public, "health")
    public static let readyz = APIRoute(.get, "/readyz", .public, "ready")
    public static let metrics = APIRoute(.get, "/metrics", .area(.dashboard, .full), "metrics")
    /// `/metrics` when `metrics_public = true`.
    public static let publicMetrics = APIRoute(.get, "/metrics", .public, "metrics")
    public static let openAPI = APIRoute(.get, "/api/openapi.json", .public, "openapi")
    public static let docs = APIRoute(.get, "/api/docs", .public, "docs")

    public static let setupStatus = APIRoute(.get, "/api/v1/setup", .public, "getSetup")
    public static let setup = APIRoute(.post, "/api/v1/setup", .public, "completeSetup")
    public static let login = APIRoute(.post, "/api/v1/session", .public, "login")
    public static let session = APIRoute(.get, "/api/v1/session", .browserSession, "getSession")
    public static let logout = APIRoute(.delete, "/api/v1/session", .browserSession, "logout")
    public static let changePassword = APIRoute(.post, "/api/v1/session/password", .browserSession, "changePassword")
    public static let confirmPassword = APIRoute(.post, "/api/v1/session/confirm", .browserSession, "confirmPassword")

    public static let listStaff = APIRoute(.get, "/api/v1/staff", .area(.settings, .view), "listStaff")
    public static let assignableStaff = APIRoute(.get, "/api/v1/assignees", .area(.chats, .full), "listAssignees")
    public static let createStaff = APIRoute(.post, "/api/v1/staff", .area(.settings, .full), "createStaff")
    public static let updateStaff = APIRoute(.patch, "/api/v1/staff/{id}", .area(.settings, .full), "updateStaff")
    public static let resetPassword = APIRoute(.post, "/api/v1/staff/{id}/password", .area(.settings, .full), "resetStaffPassword")

    public static let listTokens = APIRoute(.get, "/api/v1/tokens", .area(.settings, .full), "listTokens")
    public static let createToken = APIRoute(.post, "/api/v1/tokens", .area(.settings, .full), "createToken")
    public static let revokeToken = APIRoute(.delete, "/api/v1/tokens/{id}", .area(.settings, .full), "revokeToken")

    public static let listAudit = APIRoute(.get, "/api/v1/audit", .area(.settings, .full), "listAudit")

    // WhatsApp's webhook: signed, not signed in (the signature is checked in the handler).
    public static let whatsappVerify = APIRoute(.get, "/webhooks/whatsapp", .signed, "verifyWhatsAppWebhook")
    public static let whatsappReceive = APIRoute(.post, "/webhooks/whatsapp", .signed, "receiveWhatsAppWebhook")
    // Twilio's webhooks: signed with the account's auth token (checked in the handler).
    public static let twilioSMS = APIRoute(.post, Telephony.paths.sms, .signed, "receiveTwilioSMS")
    public static let twilioStatus = APIRoute(.post, Telephony.paths.status, .signed, "receiveTwilioStatus")
    public static let twilioVoice = APIRoute(.post, Telephony.paths.voice, .signed, "receiveTwilioCall")
    public static let twilioDialStatus = APIRoute(.post, Telephony.paths.dialStatus, .signed, "receiveTwilioDialStatus")
    public static let twilioRecording = APIRoute(.post, Telephony.paths.recording, .signed, "receiveTwilioRecording")

    // Chats: Agents reach only the conversations assigned to them.
    public static let listConversations = APIRoute(.get, "/api/v1/conversations", .area(.chats, .assigned), "listConversations")
    public static let getConversation = APIRoute(.get, "/api/v1/conversations/{id}", .area(.chats, .assigned), "getConversation")
    public static let updateConversation = APIRoute(.patch, "/api/v1/conversations/{id}", .area(.chats, .assigned), "updateConversation")
    public static let listMessages = APIRoute(.get, "/api/v1/conversations/{id}/messages", .area(.chats, .assigned), "listMessages")
    public static let sendMessage = APIRoute(.post, "/api/v1/conversations/{id}/messages", .area(.chats, .assigned), "sendMessage")
    public static let markRead = APIRoute(.post, "/api/v1/conversations/{id}/read", .area(.chats, .assigned), "markConversationRead")
    public static let getMessage = APIRoute(.get, "/api/v1/messages/{id}", .area(.chats, .assigned), "getMessage")
    public static let findMessages = APIRoute(.get, "/api/v1/messages", .area(.chats, .assigned), "findMessages")
    public static let retryMessage = APIRoute(.post, "/api/v1/messages/{id}/retry", .area(.chats, .assigned), "retryMessage")
    public static let getMedia = APIRoute(.get, "/api/v1/media/{id}", .area(.chats, .assigned), "getMedia")
    public static let uploadMedia = APIRoute(.post, "/api/v1/uploads", .area(.chats, .assigned), "uploadMedia")
    public static let listContacts = APIRoute(.get, "/api/v1/contacts", .area(.chats, .view), "listContacts")
    public static let getContact = APIRoute(.get, "/api/v1/contacts/{id}", .area(.chats, .view), "getContact")
    public static let updateContact = APIRoute(.patch, "/api/v1/contacts/{id}", .area(.chats, .full), "updateContact")
    public static let listTemplates = APIRoute(.get, "/api/v1/templates", .area(.chats, .assigned), "listTemplates")
    public static let syncTemplates = APIRoute(.post, "/api/v1/templates/sync", .area(.campaigns, .full), "syncTemplates")
    public static let getTemplate = APIRoute(.get, "/api/v1/templates/{id}", .area(.chats, .assigned), "getTemplate")
    public static let createTemplate = APIRoute(.post, "/api/v1/templates", .area(.campaigns, .full), "createTemplate")
    public static let updateTemplate = APIRoute(.patch, "/api/v1/templates/{id}", .area(.campaigns, .full), "updateTemplate")
    public static let deleteTemplate = APIRoute(.delete, "/api/v1/templates/{id}", .area(.campaigns, .full), "deleteTemplate")

    // Settings → Channels.
    public static let listChannels = APIRoute(.get, "/api/v1/channels", .area(.settings, .view), "listChannels")
    public static let createChannel = APIRoute(.post, "/api/v1/channels", .area(.settings, .full), "createChannel")
    public static let getChannel = APIRoute(.get, "/api/v1/channels/{id}", .area(.settings, .view), "getChannel")
    public static let updateChannel = APIRoute(.patch, "/api/v1/channels/{id}", .area(.settings, .full), "updateChannel")
    public static let deleteChannel = APIRoute(.delete, "/api/v1/channels/{id}", .area(.settings, .full), "deleteChannel")
    public static let testChannel = APIRoute(.post, "/api/v1/channels/{id}/test", .area(.settings, .full), "testChannel")
    public static let registerChannel = APIRoute(.post, "/api/v1/channels/{id}/register", .area(.settings, .full), "registerChannel")
    public static let getEmbeddedSignup = APIRoute(.get, "/api/v1/channels/embedded-signup", .area(.settings, .full), "getEmbeddedSignup")
    public static let connectWithFacebook = APIRoute(.post, "/api/v1/channels/embedded-signup", .area(.settings, .full), "connectWithFacebook")
    public static let getTwilio = APIRoute(.get, "/api/v1/channels/twilio", .area(.settings, .view), "getTwilio")
    public static let updateTwilio = APIRoute(.put, "/api/v1/channels/twilio", .area(.settings, .full), "updateTwilio")
    public static let testTwilio = APIRoute(.post, "/api/v1/channels/twilio/test", .area(.settings, .full), "testTwilio")

    // The assistant: its settings, its model's key, and "try a question".
    public static let getAssistantSettings = APIRoute(.get, "/api/v1/assistant/settings", .area(.assistant, .view), "getAssistantSettings")
    public static let updateAssistantSettings = APIRoute(.put, "/api/v1/assistant/settings", .area(.assistant, .full), "updateAssistantSettings")
    public static let setLLMKey = APIRoute(.put, "/api/v1/assistant/llm-key", .area(.assistant, .full), "setAssistantModelKey")
    public static let deleteLLMKey = APIRoute(.delete, "/api/v1/assistant/llm-key", .area(.assistant, .full), "deleteAssistantModelKey")
    public static let tryAssistant = APIRoute(.post, "/api/v1/assistant/try", .area(.assistant, .view), "tryAssistant")
    // Assistant → Knowledge: read with Assistant view, changed with Assistant full.
    public static let listFAQs = APIRoute(.get, "/api/v1/knowledge/faqs", .area(.assistant, .view), "listKnowledgeFAQs")
    public static let createFAQ = APIRoute(.post, "/api/v1/knowledge/faqs", .area(.assistant, .full), "createKnowledgeFAQ")
    public static let getFAQ = APIRoute(.get, "/api/v1/knowledge/faqs/{id}", .area(.assistant, .view), "getKnowledgeFAQ")
    public static let updateFAQ = APIRoute(.put, "/api/v1/knowledge/faqs/{id}", .area(.assistant, .full), "updateKnowledgeFAQ")
    public static let deleteFAQ = APIRoute(.delete, "/api/v1/knowledge/faqs/{id}", .area(.assistant, .full), "deleteKnowledgeFAQ")
    public static let listDocuments = APIRoute(.get, "/api/v1/knowledge/documents", .area(.assistant, .view), "listKnowledgeDocuments")
    public static let createDocument = APIRoute(.post, "/api/v1/knowledge/documents", .area(.assistant, .full), "createKnowledgeDocument")
    public static let getDocument = APIRoute(.get, "/api/v1/knowledge/documents/{id}", .area(.assistant, .view), "getKnowledgeDocument")
    public static let updateDocument = APIRoute(.put, "/api/v1/knowledge/documents/{id}", .area(.assistant, .full), "updateKnowledgeDocument")
    public static let deleteDocument = APIRoute(.delete, "/api/v1/knowledge/documents/{id}", .area(.assistant, .full), "deleteKnowledgeDocument")
    public static let importKnowledge = APIRoute(.post, "/api/v1/knowledge/import", .area(.assistant, .full), "importKnowledge")
    public static let searchKnowledge = APIRoute(.post, "/api/v1/knowledge/search", .area(.assistant, .view), "searchKnowledge")
    public static let knowledgeStatus = APIRoute(.get, "/api/v1/knowledge/status", .area(.assistant, .view), "getKnowledgeStatus")
    // Appointments: everyone in Chats books and reads (Agents: the appointments of conversations
    // assigned to them and those they perform); Admins and Managers set services and availability.
    public static let listServices = APIRoute(.get, "/api/v1/services", .area(.chats, .assigned), "listServices")
    public static let createService = APIRoute(.post, "/api/v1/services", .area(.dashboard, .full), "createService")
    public static let updateService = APIRoute(.patch, "/api/v1/services/{id}", .area(.dashboard, .full), "updateService")
    public static let deleteService = APIRoute(.delete, "/api/v1/services/{id}", .area(.dashboard, .full), "deleteService")
    public static let listAvailability = APIRoute(.get, "/api/v1/availability", .area(.chats, .assigned), "listAvailability")
    public static let updateAvailability = APIRoute(.put, "/api/v1/availability/{id}", .area(.dashboard, .full), "updateAvailability")
    public static let getCalendarSettings = APIRoute(.get, "/api/v1/calendar/settings", .area(.chats, .assigned), "getCalendarSettings")
    public static let updateCalendarSettings = APIRoute(.put, "/api/v1/calendar/settings", .area(.dashboard, .full), "updateCalendarSettings")
    public static let listSlots = APIRoute(.get, "/api/v1/slots", .area(.chats, .assigned), "listSlots")
    public static let listAppointments = APIRoute(.get, "/api/v1/appointments", .area(.chats, .assigned), "listAppointments")
    public static let createAppointment = APIRoute(.post, "/api/v1/appointments", .area(.chats, .assigned), "createAppointment")
    public static let getAppointment = APIRoute(.get, "/api/v1/appointments/{id}", .area(.chats, .assigned), "getAppointment")
    public static let updateAppointment = APIRoute(.patch, "/api/v1/appointments/{id}", .area(.chats, .assigned), "updateAppointment")
    public static let cancelAppointment = APIRoute(.post, "/api/v1/appointments/{id}/cancel", .area(.chats, .assigned), "cancelAppointment")
    public static let contactAppointments = APIRoute(.get, "/api/v1/contacts/{id}/appointments", .area(.chats, .assigned), "listContactAppointments")

    // MARK: Calendar feeds (issue 12 part 5) — begin
    // Each staff member's iCalendar feed: the routes are open to every role; Desk lets each manage
    // their own feed and Admins and Managers (dashboard full) anyone's. The `.ics` routes are
    // public: the secret in the path is the credential (redacted in logs, see `LoggedPath`).
    public static let listCalendarFeeds = APIRoute(.get, "/api/v1/calendar-feeds", .area(.dashboard, .view), "listCalendarFeeds")
    public static let createCalendarFeed = APIRoute(.post, "/api/v1/calendar-feeds", .area(.dashboard, .view), "createCalendarFeed")
    /// `{id}` is the staff member's id (one feed each).
    public static let revokeCalendarFeed = APIRoute(.delete, "/api/v1/calendar-feeds/{id}", .area(.dashboard, .view), "revokeCalendarFeed")
    public static let calendarFeed = APIRoute(.get, "/calendar/feeds/{token}.ics", .public, "getCalendarFeed")
    /// The link in the booking confirmation: `{token}` is the appointment's own secret.
    public static let appointmentCalendar = APIRoute(.get, "/calendar/appointments/{id}/{token}.ics", .public, "getAppointmentCalendar")
    static let calendarFeedRoutes = [listCalendarFeeds, createCalendarFeed, revokeCalendarFeed, calendarFeed, appointmentCalendar]
    // MARK: Calendar feeds — end

    // MARK: Google Calendar (issue 12 part 5) — begin
    // The OAuth client and each staff member's calendar; connecting needs an admin's browser
    // session (the state is bound to it). The callback is public: Google sends the browser there,
    // and the handler checks the session itself.
    public static let getGoogleCalendar = APIRoute(.get, "/api/v1/calendar/google", .area(.settings, .view), "getGoogleCalendar")
    public static let updateGoogleCalendar = APIRoute(.put, "/api/v1/calendar/google", .area(.settings, .full), "updateGoogleCalendar")
    public static let connectGoogleCalendar = APIRoute(.get, "/api/v1/calendar/google/connect", .sessionArea(.settings, .full), "connectGoogleCalendar")
    public static let disconnectGoogleCalendar = APIRoute(.post, "/api/v1/calendar/google/disconnect", .area(.settings, .full), "disconnectGoogleCalendar")
    public static let syncGoogleCalendar = APIRoute(.post, "/api/v1/calendar/google/sync", .area(.settings, .full), "syncGoogleCalendar")
    public static let googleCalendarCallback = APIRoute(.get, GoogleCalendar.callbackPath, .public, "googleCalendarCallback")
    static let googleCalendarRoutes = [getGoogleCalendar, updateGoogleCalendar, connectGoogleCalendar, disconnectGoogleCalendar,
                                       syncGoogleCalendar, googleCalendarCallback]
    // MARK: Google Calendar — end

    /// The live-events WebSocket (its plain GET explains refusals; see `LiveController`).
    public static let live = APIRoute(.get, "/api/v1/live", .area(.dashboard, .view), "live")

    public static let all: [APIRoute] = [
        healthz, readyz, metrics, openAPI, docs,
        setupStatus, setup, login, session, logout, changePassword, confirmPassword,
        listStaff, assignableStaff, createStaff, updateStaff, resetPassword,
        listTokens, createToken, revokeToken, listAudit, live,
        whatsappVerify, whatsappReceive, twilioSMS, twilioStatus, twilioVoice, twilioDialStatus, twilioRecording,
        listConversations, getConversation, updateConversation, listMessages, sendMessage, markRead,
        getMessage, findMessages, retryMessage, getMedia, uploadMedia, listContacts, getContact, updateContact,
        listTemplates, syncTemplates, getTemplate, createTemplate, updateTemplate, deleteTemplate,
        listChannels, createChannel, getChannel, updateChannel, deleteChannel, testChannel,
        registerChannel, getEmbeddedSignup, connectWithFacebook, getTwilio, updateTwilio, testTwilio,
        getAssistantSettings, updateAssistantSettings, setLLMKey, deleteLLMKey, tryAssistant,
        listFAQs, createFAQ, getFAQ, updateFAQ, deleteFAQ, listDocuments, createDocument, getDocument, updateDocument,
        deleteDocument, importKnowledge, searchKnowledge, knowledgeStatus,
        listServices, createService, updateService, deleteService, listAvailability, updateAvailability,
        getCalendarSettings, updateCalendarSettings, listSlots, listAppointments, createAppointment, getAppointment,
        updateAppointment, cancelAppointment, contactAppointments,
    ] + calendarFeedRoutes + googleCalendarRoutes
}
