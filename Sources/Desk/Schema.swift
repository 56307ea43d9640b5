import Storage

/// Every collection Desk keeps, in one place (ARCHITECTURE.md "Desk areas"): the store's schema is
/// built from `Collections.all`, and a new area adds its collections here, with a migration in
/// `Desk.schema` when existing documents must change. Adding an empty collection needs none;
/// adding an index to a collection that holds documents needs its `rebuildIndex` (`migrations`).
enum Collections {
    /// How many decoded documents each collection read for every inbound message keeps
    /// (`DocumentCollection(remembering:)`): a busy day's conversations, about 2 MB each at most.
    enum Memo { static let size = 2048 }

    // Staff, sign-in and the audit log.
    static let staff = DocumentCollection<StaffRecord>(
        "staff", key: { Key($0.id.raw) },
        indexes: [.unique("email", { [Key($0.email)] }), .multi("role", { [Key($0.role.rawValue)] })])
    static let sessions = DocumentCollection<SessionRecord>(
        "sessions", key: { Key($0.digest) }, indexes: [.multi("staff", { [Key($0.staffID.raw)] })])
    static let tokens = DocumentCollection<APITokenRecord>(
        "api_tokens", key: { Key($0.id) }, indexes: [.unique("digest", { [Key($0.digest)] })])
    static let setup = DocumentCollection<SetupRecord>("setup", key: { _ in Key("token") })
    static let audit = DocumentCollection<AuditRecord>("audit", key: { Key($0.id) })

    // Jobs: pending and running ones indexed by the time they are next looked at.
    static let jobs = DocumentCollection<Job>(
        "jobs", key: { Key($0.id) },
        indexes: [
            .multi("next", { $0.state == .failed ? [] : [Job.timeKey($0.nextAt)] }),
            .multi("failed", { $0.state == .failed ? [Key("failed")] : [] }),
        ],
        remembering: Memo.size)

    // Channels: the business numbers (their secrets live in the vault).
    static let channels = DocumentCollection<BusinessNumber>(
        "channels", key: { Key($0.id) }, indexes: [.unique("phone", { [Key($0.phoneNumberID)] })], remembering: 64)
    static let templates = DocumentCollection<MessageTemplate>(
        "templates", key: { Key($0.id) },
        indexes: [.unique("name", { [MessageTemplate.nameKey($0.channelID, $0.name, $0.language)] }),
                  .multi("provider", { $0.providerID.map { [Key($0)] } ?? [] })])

    // Inbox: contacts (one per WhatsApp id), conversations (contact × number) listed by their
    // last activity, and messages listed per conversation in arrival order (their ids are
    // time-ordered) and found by the provider's id (the dedupe key of webhooks).
    static let contacts = DocumentCollection<Contact>(
        "contacts", key: { Key($0.id) }, indexes: [.unique("wa", { [Key($0.waID)] })], remembering: Memo.size)
    static let conversations = DocumentCollection<Conversation>(
        "conversations", key: { Key($0.id) },
        indexes: [.unique("pair", { [Conversation.pairKey($0.contactID, $0.channelID)] }),
                  .multi("recent", { [Key.newestFirst($0.lastMessageAt ?? $0.createdAt)] }),
                  .multi("contact", { [Key($0.contactID)] })],
        remembering: Memo.size)
    static let messages = DocumentCollection<Message>(
        "messages", key: { Key($0.id) },
        indexes: [.multi("conversation", { [Key($0.conversationID)] }),
                  .unique("provider", { $0.providerID.map { [Key($0)] } ?? [] }),
                  // The stored file a message shows: a file any message uses is never swept.
                  .multi("media", { $0.content.media?.digest.map { [Key($0)] } ?? [] })])
    /// Statuses that arrived before their message's provider id was recorded.
    static let earlyStatuses = DocumentCollection<EarlyStatuses>("early_statuses", key: { Key($0.providerID) })
    /// Every webhook POST as received.
    static let webhookLog = DocumentCollection<WebhookLogEntry>("webhook_log", key: { Key($0.id) })
    /// Media files by the SHA-256 (hex) of their bytes: content-addressed, so a file sent twice
    /// is kept once, and inside the store, so backup, verify and restore carry them.
    static let media = RawDatabase("media")
    /// Files staff uploaded to send: the bytes are in `media`; this says what they are and who
    /// uploaded them. Ids are time-ordered, so the sweep reads the oldest first; an upload is
    /// forgotten after `OutboxConfiguration.uploadRetention`, and its file with it unless a
    /// message or another upload uses the same file.
    static let uploads = DocumentCollection<MediaUpload>(
        "uploads", key: { Key($0.id) }, indexes: [.multi("digest", { [Key($0.digest)] })])

    // Knowledge: FAQ entries and documents (time-ordered ids: key order is creation order), and
    // the meta document naming the embedder the index was made with.
    // An import file's ids are unique per collection, so importing a file again replaces its entries.
    static let knowledgeFAQs = DocumentCollection<FAQEntry>(
        "knowledge_faqs", key: { Key($0.id) }, indexes: [.unique("external", { $0.externalID.map { [Key($0)] } ?? [] })])
    static let knowledgeDocuments = DocumentCollection<KnowledgeDocument>(
        "knowledge_documents", key: { Key($0.id) }, indexes: [.unique("external", { $0.externalID.map { [Key($0)] } ?? [] })])
    static let knowledgeMeta = DocumentCollection<KnowledgeIndexMeta>("knowledge_meta", key: { _ in KnowledgeIndexMeta.key })

    // The assistant: its settings (one document) and where it stands in each conversation.
    static let assistantSettings = DocumentCollection<AssistantSettings>("assistant_settings", key: { _ in AssistantSettingsKey.key },
                                                                         remembering: 2)
    static let assistantStates = DocumentCollection<AssistantState>("assistant_states", key: { Key($0.conversationID) })

    // Consent: every opt-out and opt-in, per contact, kept for ever.
    static let consentLedger = DocumentCollection<ConsentChange>(
        "consent_ledger", key: { Key($0.id) }, indexes: [.multi("contact", { [Key($0.contactID)] })])

    // Twilio: the account's settings (one document; the auth token is in the vault), and when
    // each caller last got a missed-call text-back (the once-per-period rule).
    static let twilioSetup = DocumentCollection<TwilioSetup>("twilio_setup", key: { _ in TwilioSetup.key })
    static let textBacks = DocumentCollection<TextBackRecord>("call_text_backs", key: { Key($0.caller) })

    // Appointments: the calendar's settings (one document), services, each staff member's week
    // and time off, the appointments (by staff member and start for the collision check, by start
    // for the calendar views, by contact for their history), and where each booking chat stands.
    static let calendarSetup = DocumentCollection<CalendarSetup>("calendar_setup", key: { _ in CalendarSetup.key })
    static let services = DocumentCollection<BookableService>("services", key: { Key($0.id) })
    static let staffAvailability = DocumentCollection<StaffAvailability>("staff_availability", key: { Key($0.staffID) })
    static let appointments = DocumentCollection<Appointment>(
        "appointments", key: { Key($0.id) },
        indexes: [.multi("staff_start", { $0.status.holdsTime ? [Appointment.staffKey($0.staffID, $0.start)] : [] }),
                  .multi("start", { [Job.timeKey($0.start)] }),
                  .multi("contact", { [Key($0.contactID)] })])
    static let bookingDialogues = DocumentCollection<BookingDialogue>("booking_dialogues", key: { Key($0.conversationID) })
    /// Each staff member's calendar feed (at most one), found by the digest of its token.
    static let calendarFeeds = DocumentCollection<CalendarFeedRecord>(
        "calendar_feeds", key: { Key($0.staffID) }, indexes: [.unique("digest", { [Key($0.digest)] })])
    // Google Calendar sync: its settings (one document; the client secret and refresh token are
    // in the vault), each staff member's busy times as Google last said, and where each
    // appointment's event stands (by calendar and start, so our own events are told apart from
    // other busy time).
    static let googleCalendarSetup = DocumentCollection<GoogleCalendarSetup>("google_calendar_setup", key: { _ in GoogleCalendarSetup.key })
    static let googleBusy = DocumentCollection<GoogleBusyRecord>("google_busy", key: { Key($0.staffID) })
    static let googleEvents = DocumentCollection<GoogleEventRecord>(
        "google_events", key: { Key($0.appointmentID) },
        indexes: [.multi("calendar_start", { record in
            guard let calendarID = record.calendarID, let start = record.start else { return [] }
            return [GoogleEventRecord.calendarKey(calendarID, start)]
        })])

    /// Schema version → the step that brings a store of the version before up to it.
    static let migrations: [Int: Schema.Migration] = [
        // 2: the indexes that tell the upload sweep which files are still in use.
        2: { txn in
            try messages.rebuildIndex("media", in: txn)
            try uploads.rebuildIndex("digest", in: txn)
        },
    ]

    static let all: [any DatabaseDescriptor] = [staff, sessions, tokens, setup, audit, jobs, channels, templates,
                                                contacts, conversations, messages, earlyStatuses, webhookLog, media, uploads,
                                                knowledgeFAQs, knowledgeDocuments, knowledgeMeta, assistantSettings, assistantStates,
                                                consentLedger, twilioSetup, textBacks,
                                                calendarSetup, services, staffAvailability, appointments, bookingDialogues, calendarFeeds,
                                                googleCalendarSetup, googleBusy, googleEvents]
}
