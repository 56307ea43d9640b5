public import Foundation
public import Logging
public import Storage
import Assistant
import Channels
import Synchronization

/// How long things live; every value has a safe default (reliability.md §B9).
public struct DeskConfiguration: Sendable {
    /// A session unused this long ends (30 min).
    public var sessionIdleTimeout: TimeInterval = 30 * 60
    /// A session ends this long after sign-in, used or not (12 h).
    public var sessionAbsoluteTimeout: TimeInterval = 12 * 60 * 60
    /// The first-run setup link works this long (1 h).
    public var setupTokenLifetime: TimeInterval = 60 * 60
    /// How often a session's or token's "last used" time is written (not on every request).
    public var touchInterval: TimeInterval = 60
    /// Sensitive changes (roles, disabling, password resets, new tokens) need the password to
    /// have been entered in the session within this long (10 min; reliability.md §B9).
    public var reauthenticationWindow: TimeInterval = 10 * 60
    /// Sessions one staff member may hold at once (devices, browsers); signing in beyond it ends
    /// the least recently used.
    public var maxSessionsPerAccount = 10
    /// Failed sign-ins stay in the audit log this long (30 days), so failures alone cannot grow
    /// the store without bound; everything else in the audit log is kept.
    public var failedSignInRetention: TimeInterval = 30 * 24 * 60 * 60
    public var throttle = LoginThrottle.Policy()
    /// Sizes of the live-event replay window and of each subscriber's queue.
    public var live = LiveEventHub.Configuration()
    /// Where the WhatsApp Graph API is (tests and operators point it elsewhere).
    public var whatsapp = WhatsAppSettings()
    /// Where the Twilio REST API is (`twilio_api_url`).
    public var twilio = TwilioAPISettings()
    /// Where Google's OAuth and Calendar APIs are (`google_*_url`).
    public var google = GoogleCalendarSettings()
    public var inbox = InboxConfiguration()
    public var outbox = OutboxConfiguration()
    public var knowledge = KnowledgeConfiguration()
    public init() {}
}

/// The domain facade Web and Appliance call. Here: staff accounts, roles, sessions, API tokens,
/// first-run setup and the audit log, all kept in the store, and the live events it publishes.
public final class Desk: Sendable {
    public let store: Store
    public let configuration: DeskConfiguration
    let hasher: any PasswordHasher
    let clock: any DeskClock
    let logger: Logger
    let policy = PasswordPolicy()
    let throttle: Mutex<LoginThrottle>
    /// How many failed sign-ins reach the audit log (bounded; see `recordFailedPassword`).
    let failureAudit = Mutex(FailureAuditBudget())
    /// The live stream: Desk publishes after each commit and revokes subscriptions when access
    /// changes; Web fans it out over WebSockets.
    public let live: LiveEventHub
    /// Everything that happens later: scheduled in the caller's transaction, run by `JobRunner`.
    public let jobs: Jobs
    /// What every area shares: the store, the clock, the audit log and the live hub.
    let core: DeskCore
    /// Business numbers (WhatsApp today) and their vaulted secrets.
    public let channels: ChannelSettings
    /// "Connect with Facebook": Meta's Embedded Signup, ending in `channels`.
    public let signup: EmbeddedSignup
    /// Contacts, conversations and messages; the webhooks' one write transaction.
    public let inbox: Inbox
    /// Every send: stored with its job in one commit, dispatched by the job.
    public let outbox: Outbox
    /// Twilio: SMS, calls and the missed-call text-back.
    public let telephony: Telephony
    /// WhatsApp templates: synced, submitted, kept current by their webhook.
    public let templates: Templates
    /// Assistant → Knowledge: FAQ entries and documents, and the live index the assistant
    /// searches (`knowledge.retriever`).
    public let knowledge: Knowledge
    /// The calendar: services, availability, appointments and their reminders.
    public let appointments: Appointments
    /// Two-way sync of appointments and busy times with Google Calendar.
    public let googleCalendar: GoogleCalendar
    /// The assistant at work: human-first turns, answers, hand-offs, and its settings.
    public let attendant: Attendant
    /// A real hash of a random password, verified against when the email is unknown so that the
    /// answer takes as long as for a wrong password (no user enumeration by timing).
    private let decoy = Mutex<String?>(nil)

    /// The databases Desk keeps; the store's schema must include them.
    public static let databases: [any DatabaseDescriptor] = Collections.all
    /// The schema version of Desk's databases (bump with a migration).
    public static let schemaVersion = 2
    /// What brings an older store up to `schemaVersion`; pass them with Desk's databases.
    public static let migrations: [Int: Schema.Migration] = Collections.migrations
    /// A schema with Desk's databases alone (the daemon may add others).
    public static var schema: Schema { Schema(version: schemaVersion, databases: databases, migrations: migrations) }

    public init(store: Store, hasher: any PasswordHasher, clock: any DeskClock = SystemDeskClock(),
                configuration: DeskConfiguration = DeskConfiguration(), vault: Vault? = nil, logger: Logger) {
        self.store = store
        self.hasher = TruncationSafeHasher(inner: hasher)
        self.clock = clock
        self.configuration = configuration
        self.logger = logger
        self.throttle = Mutex(LoginThrottle(policy: configuration.throttle))
        self.live = LiveEventHub(configuration: configuration.live)
        self.jobs = Jobs(store: store, clock: clock, logger: logger)
        let core = DeskCore(store: store, clock: clock, live: live, jobs: jobs, logger: logger)
        self.core = core
        var http = CurlClient.Configuration()
        http.timeout = configuration.whatsapp.timeout
        let graph = WhatsAppClient(http: CurlClient(configuration: http), graphURL: configuration.whatsapp.graphURL, version: configuration.whatsapp.graphVersion)
        self.channels = ChannelSettings(core: core, vault: vault, graph: graph, publicURL: configuration.whatsapp.publicURL)
        self.signup = EmbeddedSignup(core: core, channels: channels, vault: vault, graph: graph, settings: configuration.whatsapp)
        self.inbox = Inbox(core: core, channels: channels, configuration: configuration.inbox)
        self.templates = Templates(core: core, channels: channels, graph: graph)
        var twilioHTTP = CurlClient.Configuration()
        twilioHTTP.timeout = configuration.twilio.timeout
        self.telephony = Telephony(core: core, inbox: inbox, vault: vault,
                                   client: TwilioClient(http: CurlClient(configuration: twilioHTTP), apiURL: configuration.twilio.apiURL),
                                   publicURL: configuration.whatsapp.publicURL)
        self.outbox = Outbox(core: core, inbox: inbox, channels: channels, graph: graph, telephony: telephony, configuration: configuration.outbox)
        self.knowledge = Knowledge(core: core, configuration: configuration.knowledge)
        self.appointments = Appointments(core: core, inbox: inbox, outbox: outbox, publicURL: configuration.whatsapp.publicURL)
        var googleHTTP = CurlClient.Configuration()
        googleHTTP.timeout = configuration.google.timeout
        self.googleCalendar = GoogleCalendar(core: core, vault: vault,
                                             client: GoogleClient(http: CurlClient(configuration: googleHTTP), authURL: configuration.google.authURL,
                                                                  oauthURL: configuration.google.oauthURL, calendarURL: configuration.google.calendarURL),
                                             settings: configuration.google, publicURL: configuration.whatsapp.publicURL)
        self.attendant = Attendant(core: core, inbox: inbox, outbox: outbox, vault: vault, http: CurlClient(),
                                   retriever: knowledge.retriever, appointments: appointments)
        inbox.registerJobs()
        outbox.registerJobs()
        telephony.registerJobs()
        knowledge.registerJobs()
        attendant.registerJobs()
        appointments.registerJobs()
        googleCalendar.registerJobs()
    }

    /// Publishes a live event (one of `LiveEvents`) after a commit. The change is already
    /// durable, so an event that cannot be encoded is logged, not thrown: the request succeeded.
    func publish(_ event: LiveEvents) { core.publish(event) }

    var now: Date { clock.now }

    func decoyHash() async throws -> String {
        if let hash = decoy.withLock({ $0 }) { return hash }
        let hash = try await hasher.hash(Secrets.randomToken(bytes: 16))
        decoy.withLock { $0 = $0 ?? hash }
        return hash
    }

    /// A new audit record for `action` on `object` by `requester`, stamped now.
    func auditRecord(_ action: AuditAction, object: String, by requester: Requester) -> AuditRecord {
        core.auditRecord(action, object: object, by: requester)
    }
}

/// One page of a list and the cursor for the next (nil on the last page).
public struct Listing<Item: Sendable>: Sendable {
    public let items: [Item]
    public let nextCursor: String?
}

/// Limits and cursors of list requests, checked once.
public struct PageRequest: Sendable {
    public let after: Key?
    public let limit: Int

    /// - Throws: `.invalidField` naming `cursor` or `limit`.
    public init(cursor: String?, limit: Int?) throws(DeskError) {
        let limit = limit ?? 50
        guard (1...200).contains(limit) else { throw DeskError.invalid("limit", "The limit must be between 1 and 200.") }
        self.limit = limit
        if let cursor, !cursor.isEmpty {
            // Our keys are short; a long "cursor" is not one of ours (and LMDB refuses keys over 511 bytes).
            guard cursor.utf8.count <= 344, let key = Key(base64url: cursor), !key.bytes.isEmpty else {
                throw DeskError.invalid("cursor", "The cursor is not one this server gave out.")
            }
            after = key
        } else {
            after = nil
        }
    }
}
