/// An error from the domain. Compare `code`; `message` is safe to show to the person who made
/// the request (it never holds a secret, a password or a token). The web boundary turns each code
/// into one HTTP status (Web/Errors/APIError.swift); the CLI prints `message`.
public struct DeskError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }
        /// The thing asked for does not exist (or the caller may not know it exists).
        public static let notFound = Code("not_found")
        /// A field is missing, malformed or out of range; `field` names it.
        public static let invalidField = Code("invalid_field")
        /// The password is too short, too long for bcrypt, or too common; `field` names it.
        public static let weakPassword = Code("weak_password")
        /// The email is already used by another staff member.
        public static let emailTaken = Code("email_taken")
        /// Email/password do not match an enabled account. Same for every cause, on purpose.
        public static let invalidCredentials = Code("invalid_credentials")
        /// Too many failed logins for this account or address; `retryAfter` says when to retry.
        public static let tooManyAttempts = Code("too_many_attempts")
        /// The server is too busy to take this now (e.g. too many password checks running);
        /// `retryAfter` says when to try again.
        public static let busy = Code("busy")
        /// No valid session or token.
        public static let unauthenticated = Code("unauthenticated")
        /// Signed in, but the role does not allow this.
        public static let forbidden = Code("forbidden")
        /// The setup token is wrong, expired or already used.
        public static let invalidSetupToken = Code("invalid_setup_token")
        /// Setup ran already: an account exists.
        public static let alreadySetUp = Code("already_set_up")
        /// The change would leave no enabled admin.
        public static let lastAdmin = Code("last_admin")
        /// This action needs a browser session, not an API token.
        public static let sessionRequired = Code("session_required")
        /// A sensitive change (roles, access, passwords, tokens) needs the password again: the
        /// session's last sign-in or confirmation is older than the re-authentication window.
        public static let reauthenticationRequired = Code("reauthentication_required")
        /// The thing exists already (a channel with this phone number id, say).
        public static let conflict = Code("conflict")
        /// A free-form message more than 24 h after the customer's last one; `options` names the
        /// approved templates that can be sent instead.
        public static let customerWindowClosed = Code("customer_window_closed")
        /// The contact is blocked or opted out.
        public static let contactUnavailable = Code("contact_unavailable")
        /// Sending on this number is paused (its token was refused) or it is disconnected.
        public static let channelPaused = Code("channel_paused")
        /// The message cannot be sent again (it was not a failed outbound message).
        public static let notRetriable = Code("not_retriable")
        /// A file of a type WhatsApp does not send; `field` names it.
        public static let unsupportedMediaType = Code("unsupported_media_type")
        /// A file over WhatsApp's (or the store's) size cap for its kind; `field` names it.
        public static let fileTooLarge = Code("file_too_large")
        /// The provider (Meta) refused a management call; the message says why.
        public static let providerRefused = Code("provider_refused")
        /// A feature this server was not set up for (Embedded Signup without its Meta app); the
        /// message names the settings to set.
        public static let notConfigured = Code("not_configured")
        /// The store cannot take the change right now (disk failure, closed).
        public static let storeUnavailable = Code("store_unavailable")
        /// The appointment time is not free (taken meanwhile, or outside the hours); `options`
        /// holds the nearest free start times.
        public static let slotTaken = Code("slot_taken")
        /// A bug or an unexpected state; details are in the log.
        public static let `internal` = Code("internal")
        public var description: String { rawValue }
    }

    public let code: Code
    public let message: String
    /// The request field the error is about, in the API's snake_case.
    public let field: String?
    /// For `.tooManyAttempts` and `.busy`: seconds until an attempt may succeed.
    public let retryAfter: Int?
    /// `#fileID:#line` of the throw.
    public let location: String
    /// Choices the caller can make instead (the templates for `customer_window_closed`).
    public let options: [String]?

    public init(_ code: Code, _ message: String, field: String? = nil, retryAfter: Int? = nil, options: [String]? = nil,
                fileID: StaticString = #fileID, line: UInt = #line) {
        self.code = code
        self.options = options
        self.message = message
        self.field = field
        self.retryAfter = retryAfter
        self.location = "\(fileID):\(line)"
    }

    public var description: String { "\(message) [\(code)\(field.map { ", field \($0)" } ?? "")]" }

    public static func invalid(_ field: String, _ message: String, fileID: StaticString = #fileID, line: UInt = #line) -> DeskError {
        DeskError(.invalidField, message, field: field, fileID: fileID, line: line)
    }
}
