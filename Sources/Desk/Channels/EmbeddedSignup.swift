import Foundation
import Channels
import Logging
public import Storage

/// Settings → Channels → "Connect with Facebook" (Meta's Embedded Signup v4, wire-protocols.md
/// §4.2): the browser gets a short-lived code from Facebook's pop-up; this exchanges it for the
/// customer's business token, finds the WhatsApp account and its numbers, subscribes our app to
/// the account's webhooks, connects each number through `ChannelSettings` (the same path as the
/// form, so the token is vaulted the same way) and registers it for the Cloud API when a PIN is
/// given. A number connected before is updated with the new token, never duplicated.
///
/// Every step before saving only reads or is idempotent at Meta (subscribing twice is harmless),
/// so a failure there leaves nothing here: the Admin starts again. Registration comes after
/// saving and can be finished later (`register`), so a number waiting for its PIN is a visible,
/// resumable state (`BusinessNumber.registrationPending`), never a half-made channel.
public final class EmbeddedSignup: Sendable {
    /// The vault entry holding the Meta app's secret (`atende secret set whatsapp.app_secret`).
    public static let appSecretName = "whatsapp.app_secret"

    let core: DeskCore
    let channels: ChannelSettings
    let vault: Vault?
    let graph: WhatsAppClient
    let appID: String?
    let loginConfigID: String?

    init(core: DeskCore, channels: ChannelSettings, vault: Vault?, graph: WhatsAppClient, settings: WhatsAppSettings) {
        (self.core, self.channels, self.vault, self.graph) = (core, channels, vault, graph)
        appID = settings.appID.flatMap { $0.isEmpty ? nil : $0 }
        loginConfigID = settings.loginConfigID.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// What the browser needs to open Facebook's pop-up (nothing secret), and what is missing.
    public struct PublicConfiguration: Sendable, Equatable {
        public let enabled: Bool
        public let appID: String?
        public let loginConfigID: String?
        public let graphVersion: String
        /// The settings still to set: `whatsapp_app_id`, `whatsapp_login_config_id`, `whatsapp.app_secret`.
        public let missing: [String]
    }

    /// Whether the app id and configuration are set (the Content-Security-Policy opens for
    /// Facebook's SDK only then).
    public var isConfigured: Bool { appID != nil && loginConfigID != nil }

    public func configuration() -> PublicConfiguration {
        var missing: [String] = []
        if appID == nil { missing.append("whatsapp_app_id") }
        if loginConfigID == nil { missing.append("whatsapp_login_config_id") }
        if appSecret() == nil { missing.append(Self.appSecretName) }
        return PublicConfiguration(enabled: missing.isEmpty, appID: appID, loginConfigID: loginConfigID,
                                   graphVersion: graph.version, missing: missing)
    }

    /// What the browser sends: the pop-up's code, the ids of its FINISH message when it came,
    /// and the number's PIN when the Admin gave one.
    public struct Request: Sendable {
        public var code: String
        public var wabaID: String?
        public var phoneNumberID: String?
        public var pin: String?
        public init(code: String, wabaID: String? = nil, phoneNumberID: String? = nil, pin: String? = nil) {
            (self.code, self.wabaID, self.phoneNumberID, self.pin) = (code, wabaID, phoneNumberID, pin)
        }
    }

    /// One number the signup connected.
    public struct Connected: Sendable {
        public enum Registration: String, Sendable {
            /// Registered now with the PIN given.
            case registered
            /// Already on the Cloud API.
            case notNeeded = "not_needed"
            /// Needs the number's 6-digit PIN (`register`).
            case pinRequired = "pin_required"
            /// Tried with the PIN given and refused; `registrationError` says why.
            case failed
        }
        public let channel: BusinessNumber
        /// False when the number was connected before and only got the new token.
        public let created: Bool
        public let registration: Registration
        public let registrationError: String?
    }

    public struct Outcome: Sendable {
        public let wabaID: String
        public let numbers: [Connected]
    }

    /// The steps, named in every failure so the Admin knows how far it got.
    enum Step: Int, CustomStringConvertible {
        case exchange = 1, discover, listNumbers, subscribe, save
        var description: String {
            switch self {
            case .exchange: "exchanging Facebook's code for a token"
            case .discover: "finding the WhatsApp Business Account"
            case .listNumbers: "reading the account's phone numbers"
            case .subscribe: "subscribing Atende to the account's messages"
            case .save: "saving the number"
            }
        }
    }

    /// Runs the whole signup. Only the `save` step writes here; see the type's summary.
    /// - Throws: `DeskError`: `not_configured`, `invalid_field` (`code` expired or used, a
    ///   malformed id or PIN), `provider_refused` naming the step and what to do.
    public func connect(_ request: Request, by requester: Requester) async throws -> Outcome {
        let config = configuration()
        guard config.enabled, let appID, let appSecret = appSecret() else {
            throw DeskError(.notConfigured, "Connecting with Facebook is not set up on this server: set \(config.missing.joined(separator: ", ")) (README, Channels).")
        }
        let code = try Self.code(request.code)
        let wantedWABA = try Self.optionalID(request.wabaID, field: "waba_id")
        let wantedNumber = try Self.optionalID(request.phoneNumberID, field: "phone_number_id")
        let pin = try request.pin.flatMap { $0.isEmpty ? nil : try Self.pin($0) }

        let token = try await step(.exchange) { await graph.exchangeCode(code, appID: appID, appSecret: appSecret) }
        let info = try await step(.discover) { await graph.debugToken(token, appID: appID, appSecret: appSecret) }
        guard info.isValid, info.appID == nil || info.appID == appID else {
            throw failure(.discover, "Meta says the new token is not valid for this app. Nothing was saved; click Connect with Facebook again.")
        }
        guard !info.managedAccounts.isEmpty else {
            throw failure(.discover, "The Facebook login did not grant access to a WhatsApp Business Account (whatsapp_business_management). Nothing was saved; connect again and allow every permission asked for.")
        }
        if let wantedWABA, !info.managedAccounts.contains(wantedWABA) {
            throw failure(.discover, "The account the pop-up finished with (\(wantedWABA)) is not among those the login granted. Nothing was saved; connect again.")
        }
        let waba = wantedWABA ?? info.managedAccounts[0]

        var numbers = try await step(.listNumbers) { await graph.phoneNumbers(waba: waba, token: token) }
        if let wantedNumber {
            numbers = numbers.filter { $0.id == wantedNumber }
            guard !numbers.isEmpty else {
                throw failure(.listNumbers, "The number the pop-up finished with (\(wantedNumber)) is not in account \(waba). Nothing was saved; connect again.")
            }
        }
        guard !numbers.isEmpty else {
            throw failure(.listNumbers, "WhatsApp Business Account \(waba) has no phone number yet. Nothing was saved; add one in WhatsApp Manager (or in the pop-up), then connect again.")
        }
        try await step(.subscribe) { await graph.subscribeApp(waba: waba, token: token) }

        var connected: [Connected] = []
        for number in numbers {
            let (channel, created) = try await save(number, waba: waba, token: token, appSecret: appSecret, by: requester)
            connected.append(await registerIfAsked(channel, created: created, pin: pin, token: token, by: requester))
        }
        core.logger.info("connected with Facebook", metadata: [
            "atende.waba.id": "\(waba)", "atende.channel.ids": "\(connected.map { $0.channel.id.description }.joined(separator: ","))"])
        return Outcome(wabaID: waba, numbers: connected)
    }

    /// Registers a connected number for the Cloud API with its 6-digit PIN (the rest of a signup
    /// whose number waited for it, or a retry after a wrong PIN).
    public func register(_ id: DocumentID, pin: String, by requester: Requester) async throws -> BusinessNumber {
        let pin = try Self.pin(pin)
        let channel = try channels.get(id)
        guard let token = try channels.secret(.accessToken, of: id) else {
            throw DeskError.invalid("access_token", "This number has no access token; connect it again.")
        }
        switch await graph.register(phoneNumberID: channel.phoneNumberID, pin: pin, token: token) {
        case .success:
            var input = ChannelInput()
            input.registrationPending = false
            return try await channels.update(id, input, resume: false, action: .channelRegistered, by: requester)
        case .failure(let failure):
            core.logger.notice("registering a number failed", metadata: ["atende.channel.id": "\(id)", "atende.reason": "\(failure.reason)",
                                                                         "atende.provider.code": "\(failure.providerCode.map(String.init) ?? "")"])
            throw Self.registrationError(failure)
        }
    }

    // MARK: Steps

    private func save(_ number: GraphPhoneNumber, waba: String, token: String, appSecret: String,
                      by requester: Requester) async throws -> (BusinessNumber, Bool) {
        let display = number.displayPhoneNumber.flatMap { try? ChannelSettings.displayPhone($0) }
        var input = ChannelInput(wabaID: waba, displayPhone: display, secrets: [.accessToken: token, .appSecret: appSecret])
        input.registrationPending = !number.isOnCloudAPI
        do {
            if let existing = try channels.channel(phoneNumberID: number.id) {
                return (try await channels.update(existing.id, input, resume: true, action: .channelSignedUp, by: requester), false)
            }
            input.name = Self.name(for: number)
            input.phoneNumberID = number.id
            input.secrets[.verifyToken] = Secrets.randomToken(bytes: 24)
            return (try await channels.create(input, action: .channelSignedUp, by: requester), true)
        } catch let error as DeskError where error.code != .storeUnavailable {
            throw failure(.save, "\(error.message) Meta's side is done; click Connect with Facebook again to retry.")
        }
    }

    private func registerIfAsked(_ channel: BusinessNumber, created: Bool, pin: String?, token: String,
                                 by requester: Requester) async -> Connected {
        guard channel.needsRegistration else { return Connected(channel: channel, created: created, registration: .notNeeded, registrationError: nil) }
        guard let pin else { return Connected(channel: channel, created: created, registration: .pinRequired, registrationError: nil) }
        do {
            let registered = try await register(channel.id, pin: pin, by: requester)
            return Connected(channel: registered, created: created, registration: .registered, registrationError: nil)
        } catch {
            let message = (error as? DeskError)?.message ?? "The number could not be registered."
            return Connected(channel: channel, created: created, registration: .failed, registrationError: message)
        }
    }

    /// Runs one Graph call of `step`, turning its failure into words for the Admin.
    private func step<T>(_ step: Step, _ call: () async -> Result<T, SignupFailure>) async throws -> T {
        switch await call() {
        case .success(let value): return value
        case .failure(let failure):
            core.logger.notice("connecting with Facebook failed", metadata: [
                "atende.signup.step": "\(step.rawValue)", "atende.reason": "\(failure.reason)",
                "atende.provider.code": "\(failure.providerCode.map(String.init) ?? "")"])
            if failure.reason == .codeRejected {
                throw DeskError.invalid("code", "Facebook's code expired or was already used (it lasts about 30 seconds). Nothing was saved; click Connect with Facebook again.")
            }
            throw self.failure(step, "\(Self.words(for: failure)) Nothing was saved; click Connect with Facebook again.")
        }
    }

    private func failure(_ step: Step, _ words: String) -> DeskError {
        DeskError(.providerRefused, "Step \(step.rawValue) of \(Step.save.rawValue), \(step): \(words)")
    }

    /// What a failure means, in plain words, with Meta's own beneath.
    static func words(for failure: SignupFailure) -> String {
        let meta = " (Meta: \(failure.message))"
        switch failure.reason {
        case .appRejected:
            return "Meta refused this server's app id or app secret: check whatsapp_app_id and the vault's whatsapp.app_secret.\(meta)"
        case .missingPermission:
            return "The Facebook login did not grant Atende what it needs on the WhatsApp account (whatsapp_business_management, whatsapp_business_messaging).\(meta)"
        case .unavailable:
            return "Meta did not answer in time or asked to slow down; try again in a minute.\(meta)"
        default:
            return "Meta refused.\(meta)"
        }
    }

    static func registrationError(_ failure: SignupFailure) -> DeskError {
        let meta = " (Meta: \(failure.message))"
        switch failure.reason {
        case .wrongPIN:
            return DeskError.invalid("pin", "That is not this number's two-step verification PIN. Enter the PIN set for it (WhatsApp Manager → Phone numbers → Two-step verification can reset it).")
        case .verifyFirst:
            return DeskError(.providerRefused, "The number must be verified first (the code sent by SMS or voice, in WhatsApp Manager); then register it again.\(meta)")
        case .tooManyAttempts:
            return DeskError(.providerRefused, "Meta has seen too many registration attempts for this number; wait a few hours before trying again.\(meta)")
        case .recentlyDeleted:
            return DeskError(.providerRefused, "This number was removed from an account moments ago; try registering again in about 5 minutes.\(meta)")
        default:
            return DeskError(.providerRefused, "Registering the number for the Cloud API failed: \(words(for: failure))")
        }
    }

    // MARK: Checks

    private func appSecret() -> String? {
        guard let vault, (try? vault.names().contains(Self.appSecretName)) == true else { return nil }
        return try? vault.revealString(Self.appSecretName)
    }

    static func code(_ value: String) throws(DeskError) -> String {
        guard (1...4096).contains(value.utf8.count), value.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw DeskError.invalid("code", "The code is the one Facebook's pop-up returned: printable text without spaces.")
        }
        return value
    }

    static func optionalID(_ value: String?, field: String) throws(DeskError) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return try ChannelSettings.digits(value, field: field)
    }

    static func pin(_ value: String) throws(DeskError) -> String {
        guard value.count == 6, value.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw DeskError.invalid("pin", "The PIN is 6 digits.")
        }
        return value
    }

    /// The number's verified name, else its display phone, else its id, fit for a channel name.
    static func name(for number: GraphPhoneNumber) -> String {
        let candidates = [number.verifiedName, number.displayPhoneNumber].compactMap { $0 }.map { text in
            String(String(text.unicodeScalars.filter { $0.properties.generalCategory != .control }).trimmingCharacters(in: .whitespaces).prefix(100))
        }
        return candidates.first { !$0.isEmpty } ?? "WhatsApp \(number.id)"
    }
}
