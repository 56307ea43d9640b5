public import Foundation
import Channels
import Logging
public import Storage
import Synchronization

/// Where the WhatsApp Graph API is; settings like the others (flag, environment, file).
public struct WhatsAppSettings: Sendable {
    public var graphURL = "https://graph.facebook.com"
    public var graphVersion = "v22.0"
    /// How long one Graph API call may take before it counts as no answer (and is retried).
    public var timeout: Duration = .seconds(30)
    /// Where Meta reaches this server (`public_url`), to show the webhook URL to paste; nil when
    /// the operator has not said.
    public var publicURL: String?
    /// Embedded Signup ("Connect with Facebook"): the Meta app's id (`whatsapp_app_id`) and its
    /// Facebook Login for Business configuration (`whatsapp_login_config_id`). The app secret is
    /// the vault's `whatsapp.app_secret`. Nil: the dashboard offers only the manual form.
    public var appID: String?
    public var loginConfigID: String?
    public init() {}
}

/// A business number the inbox receives and sends on: a WhatsApp number, or a Twilio number
/// (SMS and calls).
public struct BusinessNumber: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable { case active, paused }
    public enum Kind: String, Codable, Sendable {
        case whatsapp
        /// A Twilio number: texts and calls.
        case sms

        /// Whose consent a send on this kind needs.
        public var consent: ConsentChannel { self == .sms ? .sms : .whatsapp }
    }
    public let id: DocumentID
    public var kind: Kind
    public var name: String
    /// WhatsApp: the phone number id messages are routed by and sent from. Twilio: the number in
    /// E.164 (`+5511…`), which Twilio names in `To`.
    public var phoneNumberID: String
    public var wabaID: String
    public var displayPhone: String?
    public var status: Status
    /// Why sending stopped (the provider refused the token), for the Admin alert.
    public var pausedReason: PauseReason?
    public let createdAt: Date
    public var updatedAt: Date
    /// Connected through Embedded Signup but not yet registered for the Cloud API (it needs the
    /// number's 6-digit PIN). Nil (numbers typed in by hand, older records) is false.
    public var registrationPending: Bool? = nil

    /// Whether the number still waits for its registration PIN.
    public var needsRegistration: Bool { registrationPending ?? false }
}

/// The secrets a WhatsApp number needs, kept only in the vault (never in the channel record,
/// never in a response).
public enum ChannelSecret: String, CaseIterable, Sendable {
    case accessToken = "access_token"
    case appSecret = "app_secret"
    case verifyToken = "verify_token"

    func vaultName(_ channel: DocumentID) -> String { "channel.\(channel).\(rawValue)" }
}

/// What an Admin types to connect a number (create) or change (update: nil keeps the value).
public struct ChannelInput: Sendable {
    public var name: String?
    public var phoneNumberID: String?
    public var wabaID: String?
    public var displayPhone: String?
    public var secrets: [ChannelSecret: String] = [:]
    /// Embedded Signup's: whether the number waits for registration (nil keeps it).
    var registrationPending: Bool?
    public init(name: String? = nil, phoneNumberID: String? = nil, wabaID: String? = nil, displayPhone: String? = nil,
                secrets: [ChannelSecret: String] = [:]) {
        (self.name, self.phoneNumberID, self.wabaID, self.displayPhone, self.secrets) = (name, phoneNumberID, wabaID, displayPhone, secrets)
    }
}

/// Settings → Channels: the business numbers and their vaulted secrets (Admin only).
public final class ChannelSettings: Sendable {
    let core: DeskCore
    let vault: Vault?
    let graph: WhatsAppClient
    let publicURL: String?
    /// The app secrets every signed webhook is checked against, read from the vault at most
    /// once a second (and again after any change here): reading them per request cost more
    /// than the rest of checking the request.
    private let appSecretCache = Mutex<(read: ContinuousClock.Instant, secrets: [[UInt8]])?>(nil)
    static let appSecretLifetime: Duration = .seconds(1)

    init(core: DeskCore, vault: Vault?, graph: WhatsAppClient, publicURL: String?) {
        (self.core, self.vault, self.graph, self.publicURL) = (core, vault, graph, publicURL)
    }

    /// The Graph API's base URL and version this server uses.
    public var graphEndpoint: (url: String, version: String) { (graph.graphURL, graph.version) }

    public func list() throws -> [BusinessNumber] {
        try core.store.read { txn in try Collections.channels.page(limit: 1000, in: txn).items }
    }

    public func get(_ id: DocumentID) throws -> BusinessNumber {
        guard let channel = try core.store.read({ txn in try Collections.channels.get(Key(id), in: txn) }) else {
            throw DeskError(.notFound, "No channel has this id.")
        }
        return channel
    }

    /// The number Meta names in `metadata.phone_number_id`, or nil.
    public func channel(phoneNumberID: String) throws -> BusinessNumber? {
        try core.store.read { txn in try Collections.channels.get(unique: "phone", Key(phoneNumberID), in: txn) }
    }

    /// The Channel object the API and live events carry for `channel`.
    public func view(_ channel: BusinessNumber) -> ChannelView {
        ChannelView(channel, secrets: secretsSet(channel.id), publicURL: publicURL)
    }

    /// Which of the secrets are set.
    public func secretsSet(_ id: DocumentID) -> [ChannelSecret: Bool] {
        let names = Set((try? vault?.names()) ?? [])
        return Dictionary(uniqueKeysWithValues: ChannelSecret.allCases.map { ($0, names.contains($0.vaultName(id))) })
    }

    func secret(_ secret: ChannelSecret, of id: DocumentID) throws -> String? {
        guard let vault else { return nil }
        let name = secret.vaultName(id)
        guard try vault.names().contains(name) else { return nil }
        return try vault.revealString(name)
    }

    /// Every connected number's app secret, for the webhook signature (one endpoint may serve
    /// several Meta apps: each app's secret is tried).
    public func appSecrets() -> [[UInt8]] {
        let now = ContinuousClock.now
        if let cached = appSecretCache.withLock({ $0 }), now - cached.read < Self.appSecretLifetime { return cached.secrets }
        guard let vault, let names = try? Set(vault.names()) else { return [] }
        let secrets = ((try? list()) ?? []).compactMap { channel in
            let name = ChannelSecret.appSecret.vaultName(channel.id)
            return names.contains(name) ? try? vault.reveal(name) : nil
        }
        appSecretCache.withLock { $0 = (now, secrets) }
        return secrets
    }

    /// After a number or its secrets change: the next webhook reads the secrets again.
    private func forgetAppSecrets() { appSecretCache.withLock { $0 = nil } }

    /// Whether `token` is the verify token of a connected number (constant time per number).
    public func isVerifyToken(_ token: String) -> Bool {
        var matched = false
        for channel in (try? list()) ?? [] {
            if let expected = try? secret(.verifyToken, of: channel.id),
               WhatsAppVerification.challenge(mode: "subscribe", token: token, challenge: "ok", verifyToken: expected) != nil {
                matched = true
            }
        }
        return matched
    }

    /// Connects a number: checks the fields, seals the secrets, stores the channel.
    public func create(_ input: ChannelInput, by requester: Requester) async throws -> BusinessNumber {
        try await create(input, action: .channelCreated, by: requester)
    }

    /// `create`, audited as `action` (Embedded Signup says how the number came).
    func create(_ input: ChannelInput, action: AuditAction, by requester: Requester) async throws -> BusinessNumber {
        guard let vault else { throw DeskError(.storeUnavailable, "The vault is not open; channels cannot be connected.") }
        let name = try Self.name(input.name ?? "")
        let phoneNumberID = try Self.digits(input.phoneNumberID ?? "", field: "phone_number_id")
        let wabaID = try Self.digits(input.wabaID ?? "", field: "waba_id")
        for secret in ChannelSecret.allCases where (input.secrets[secret] ?? "").isEmpty {
            throw DeskError.invalid(secret.rawValue, "The \(secret.rawValue) is required.")
        }
        try Self.checkSecrets(input.secrets)
        let at = core.now
        let channel = BusinessNumber(id: core.newID(), kind: .whatsapp, name: name, phoneNumberID: phoneNumberID,
                                     wabaID: wabaID, displayPhone: try input.displayPhone.map(Self.displayPhone),
                                     status: .active, pausedReason: nil, createdAt: at, updatedAt: at,
                                     registrationPending: input.registrationPending == true ? true : nil)
        if try self.channel(phoneNumberID: phoneNumberID) != nil {
            throw DeskError(.conflict, "A channel with this phone number id is already connected.", field: "phone_number_id")
        }
        // Secrets first: a crash between the two leaves sealed secrets nobody uses, never a
        // channel without its secrets.
        for (secret, value) in input.secrets { try await vault.set(secret.vaultName(channel.id), value: value) }
        let audit = core.auditRecord(action, object: "channel:\(channel.id)", by: requester)
        do {
            try await core.store.write { txn in
                try Collections.channels.insert(channel, in: txn)
                try self.core.audit(audit, in: txn)
            }
        } catch let error as StorageError where error.code == .keyExists {
            throw DeskError(.conflict, "A channel with this phone number id is already connected.", field: "phone_number_id")
        }
        forgetAppSecrets()
        core.publish(.channelUpdated(view(channel)))
        return channel
    }

    /// Changes a number's fields or secrets; `status: .active` resumes a paused number.
    public func update(_ id: DocumentID, _ input: ChannelInput, resume: Bool, by requester: Requester) async throws -> BusinessNumber {
        try await update(id, input, resume: resume, action: .channelUpdated, by: requester)
    }

    /// `update`, audited as `action`.
    func update(_ id: DocumentID, _ input: ChannelInput, resume: Bool, action: AuditAction,
                by requester: Requester) async throws -> BusinessNumber {
        guard let vault else { throw DeskError(.storeUnavailable, "The vault is not open; channels cannot be changed.") }
        var channel = try get(id)
        if let name = input.name { channel.name = try Self.name(name) }
        if let phone = input.phoneNumberID { channel.phoneNumberID = try Self.digits(phone, field: "phone_number_id") }
        if let waba = input.wabaID { channel.wabaID = try Self.digits(waba, field: "waba_id") }
        if let display = input.displayPhone { channel.displayPhone = display.isEmpty ? nil : try Self.displayPhone(display) }
        for (secret, value) in input.secrets where value.isEmpty {
            throw DeskError.invalid(secret.rawValue, "The \(secret.rawValue) cannot be empty; leave it out to keep it.")
        }
        try Self.checkSecrets(input.secrets)
        if resume || input.secrets[.accessToken] != nil { (channel.status, channel.pausedReason) = (.active, nil) }
        if let pending = input.registrationPending { channel.registrationPending = pending ? true : nil }
        channel.updatedAt = core.now
        for (secret, value) in input.secrets { try await vault.set(secret.vaultName(id), value: value) }
        let audit = core.auditRecord(action, object: "channel:\(id)", by: requester)
        let updated = channel
        do {
            try await core.store.write { txn in
                guard try Collections.channels.get(Key(id), in: txn) != nil else { throw DeskError(.notFound, "No channel has this id.") }
                try Collections.channels.put(updated, in: txn)
                try self.core.audit(audit, in: txn)
            }
        } catch let error as StorageError where error.code == .keyExists {
            throw DeskError(.conflict, "A channel with this phone number id is already connected.", field: "phone_number_id")
        }
        forgetAppSecrets()
        core.publish(.channelUpdated(view(updated)))
        return updated
    }

    /// Disconnects a number and deletes its secrets and templates. Its conversations stay
    /// (history is kept); sends still queued on it fail as `channel_paused`.
    public func delete(_ id: DocumentID, by requester: Requester) async throws {
        _ = try get(id)
        let audit = core.auditRecord(.channelDeleted, object: "channel:\(id)", by: requester)
        try await core.store.write { txn in
            _ = try Collections.channels.delete(Key(id), in: txn)
            for template in try Collections.templates.page(limit: 5000, in: txn).items where template.channelID == id {
                try Collections.templates.delete(Key(template.id), in: txn)
            }
            try self.core.audit(audit, in: txn)
        }
        forgetAppSecrets()
        for secret in ChannelSecret.allCases { _ = try? await vault?.delete(secret.vaultName(id)) }
        forgetAppSecrets()
        core.publish(.channelDeleted(id: id.description))
    }

    /// Stops sends on a number whose token the provider refused; Admins see why (live event).
    func pause(_ id: DocumentID, reason: PauseReason) async throws {
        let at = core.now
        let paused = try await core.store.write { txn -> BusinessNumber? in
            guard var channel = try Collections.channels.get(Key(id), in: txn), channel.status == .active else { return nil }
            (channel.status, channel.pausedReason, channel.updatedAt) = (.paused, reason, at)
            try Collections.channels.put(channel, in: txn)
            return channel
        }
        if let paused {
            core.logger.error("channel paused: the provider refused its token", metadata: [
                "atende.channel.id": "\(id)", "atende.reason": "\(reason.reason)",
                "atende.provider.code": "\(reason.providerCode.map(String.init) ?? "none")", "atende.provider.message": "\(reason.providerMessage)",
            ])
            core.publish(.channelUpdated(view(paused)))
        }
    }

    /// "Test connection": reads the number's details with the vaulted token.
    public func test(_ id: DocumentID) async throws -> [String: String] {
        let channel = try get(id)
        guard let token = try secret(.accessToken, of: id) else { throw DeskError.invalid("access_token", "No access token is set.") }
        switch await graph.phoneNumber(channel.phoneNumberID, token: token) {
        case .success(let details): return details
        case .failure(let failure):
            throw DeskError(.providerRefused, "WhatsApp refused: \(failure.reason) — \(failure.message)")
        }
    }

    // MARK: Checks

    static func name(_ value: String) throws(DeskError) -> String {
        let name = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(name.count), !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw DeskError.invalid("name", "The name must be 1 to 100 characters.")
        }
        return name
    }

    static func digits(_ value: String, field: String) throws(DeskError) -> String {
        guard (1...32).contains(value.count), value.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw DeskError.invalid(field, "The \(field) is the number Meta shows: digits only.")
        }
        return value
    }

    static func displayPhone(_ value: String) throws(DeskError) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        guard (1...32).contains(trimmed.count), trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || "+ -()".contains($0)) }) else {
            throw DeskError.invalid("display_phone", "The display phone may hold digits, spaces, +, - and parentheses.")
        }
        return trimmed
    }

    static func checkSecrets(_ secrets: [ChannelSecret: String]) throws(DeskError) {
        for (secret, value) in secrets {
            guard value.utf8.count <= 4096, !value.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F }) else {
                throw DeskError.invalid(secret.rawValue, "The \(secret.rawValue) must be printable text without spaces (at most 4096 bytes).")
            }
        }
    }
}
