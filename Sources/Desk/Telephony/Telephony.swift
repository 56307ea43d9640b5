import Foundation
import Channels
import Logging
import Storage
import Synchronization

/// Twilio for one business (seed 001, "never miss a call"): the account and its numbers, texts in
/// and out (through the inbox and the one dispatcher), calls forwarded to the business phone, and
/// the missed-call text-back. Webhooks are signed with the account's auth token over the URL
/// Twilio called, which only `public_url` tells: without it nothing from Twilio is accepted.
public final class Telephony: Sendable {
    static let authTokenName = "twilio.auth_token"
    /// The webhook paths Twilio is told to call (shown in Settings to paste into its console).
    public static let paths = (sms: "/webhooks/twilio/sms", status: "/webhooks/twilio/status", voice: "/webhooks/twilio/voice",
                               dialStatus: "/webhooks/twilio/dial-status", recording: "/webhooks/twilio/recording")

    let core: DeskCore
    let inbox: Inbox
    let vault: Vault?
    let client: TwilioClient
    /// Where Twilio reaches this server, without a trailing slash; nil when the operator has not said.
    public let publicURL: String?
    /// The account SID and auth token, read at most once a second (and again after a change).
    private let credentialCache = Mutex<(read: ContinuousClock.Instant, value: Credentials?)?>(nil)

    struct Credentials: Sendable { let accountSID: String, authToken: String }

    init(core: DeskCore, inbox: Inbox, vault: Vault?, client: TwilioClient, publicURL: String?) {
        (self.core, self.inbox, self.vault, self.client) = (core, inbox, vault, client)
        self.publicURL = publicURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    // MARK: Settings

    /// The settings as stored (defaults before an Admin saved any).
    public func setup() throws -> TwilioSetup {
        try core.store.read { txn in try Collections.twilioSetup.get(TwilioSetup.key, in: txn) } ?? TwilioSetup()
    }

    /// The Twilio numbers (channels of kind `sms`).
    public func numbers() throws -> [BusinessNumber] {
        try core.store.read { txn in try Self.numbers(in: txn) }
    }

    static func numbers(in txn: borrowing some TransactionReading & ~Copyable) throws -> [BusinessNumber] {
        try Collections.channels.page(limit: 1000, in: txn).items.filter { $0.kind == .sms }
    }

    /// The Twilio settings object of the API.
    public func view() throws -> TwilioSetupView {
        let business = try core.store.read { txn in try AssistantSettingsKey.settings(in: txn).businessName }
        return TwilioSetupView(setup: try setup(), numbers: try numbers(), authTokenSet: (try? vault?.names().contains(Self.authTokenName)) == true,
                               publicURL: publicURL, apiURL: client.apiURL, business: business)
    }

    /// Changes the settings: checks every field first, seals the auth token, then stores the
    /// settings and the numbers (added or removed) in one commit.
    public func update(_ input: TwilioSetupInput, by requester: Requester) async throws -> TwilioSetupView {
        guard let vault else { throw DeskError(.storeUnavailable, "The vault is not open; Twilio cannot be connected.") }
        var setup = try self.setup()
        if let sid = input.accountSID {
            guard TwilioClient.isAccountSID(sid) else {
                throw DeskError.invalid("account_sid", "The Account SID is AC followed by 32 hexadecimal digits, as the Twilio console shows it.")
            }
            setup.accountSID = sid
        }
        if let token = input.authToken {
            guard (16...128).contains(token.utf8.count), token.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
                throw DeskError.invalid("auth_token", "The auth token is the 32 characters the Twilio console shows, without spaces.")
            }
        }
        if let forward = input.forwardTo { setup.forwardTo = try forward.map { try Self.e164($0, field: "forward_to") } }
        if let ring = input.ringSeconds {
            guard (5...60).contains(ring) else { throw DeskError.invalid("ring_seconds", "Calls ring the business phone for 5 to 60 seconds.") }
            setup.ringSeconds = ring
        }
        if let enabled = input.textBackEnabled { setup.textBackEnabled = enabled }
        if let texts = input.textBack {
            for (language, text) in texts {
                guard ["pt", "es", "en"].contains(language) else { throw DeskError.invalid("text_back", "Text-backs are in pt, es or en.") }
                guard text.count <= 640 else { throw DeskError.invalid("text_back", "A text-back is at most 640 characters (4 SMS segments).") }
            }
            setup.textBack = texts.filter { !$0.value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        }
        if let hours = input.textBackPeriodHours {
            guard (1...168).contains(hours) else { throw DeskError.invalid("text_back_period_hours", "The period is 1 to 168 hours.") }
            setup.textBackPeriodHours = hours
        }
        if let quiet = input.quietHours {
            if let quiet {
                guard TwilioSetup.QuietHours.minutes(quiet.start) != nil, TwilioSetup.QuietHours.minutes(quiet.end) != nil, quiet.start != quiet.end else {
                    throw DeskError.invalid("quiet_hours", "Quiet hours are two different times as HH:mm, like 22:00 to 07:00.")
                }
            }
            setup.quietHours = quiet
        }
        if let during = input.textBackDuringQuietHours { setup.textBackDuringQuietHours = during }
        if let voicemail = input.voicemail { setup.voicemail = voicemail }
        if let template = input.textBackTemplate {
            if let template {
                guard (1...512).contains(template.name.count), template.name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }),
                      (2...15).contains(template.language.count) else {
                    throw DeskError.invalid("text_back_template", "A template is named as in WhatsApp (lower case, digits, _) with its language, like pt_BR.")
                }
            }
            setup.textBackTemplate = template
        }
        if let via = input.textBackVia { setup.textBackVia = via == .sms ? nil : via }
        if setup.textBackVia == .whatsapp, setup.textBackTemplate == nil {
            throw DeskError.invalid("text_back_template", "To text back on WhatsApp, choose the approved template to send.")
        }
        let numbers = try input.numbers.map { list -> [String] in
            guard list.count <= 20 else { throw DeskError.invalid("numbers", "At most 20 Twilio numbers.") }
            let checked = try list.map { try Self.e164($0, field: "numbers") }
            guard Set(checked).count == checked.count else { throw DeskError.invalid("numbers", "A number is listed twice.") }
            return checked
        }
        let at = core.now
        setup.updatedAt = at
        if let token = input.authToken { try await vault.set(Self.authTokenName, value: token) }
        let audit = core.auditRecord(.twilioUpdated, object: "twilio", by: requester)
        let ids = (0..<(numbers?.count ?? 0)).map { _ in core.newID() }
        let stored = setup
        let changed = try await core.store.write { txn -> (added: [BusinessNumber], removed: [DocumentID]) in
            try Collections.twilioSetup.put(stored, in: txn)
            try self.core.audit(audit, in: txn)
            let existing = try Self.numbers(in: txn)
            // New credentials resume numbers a refused token paused.
            if input.authToken != nil || input.accountSID != nil {
                for var channel in existing where channel.status == .paused {
                    (channel.status, channel.pausedReason, channel.updatedAt) = (.active, nil, at)
                    try Collections.channels.put(channel, in: txn)
                }
            }
            guard let numbers else { return ([], []) }
            var added: [BusinessNumber] = []
            for (number, id) in zip(numbers, ids) where !existing.contains(where: { $0.phoneNumberID == number }) {
                if try Collections.channels.get(unique: "phone", Key(number), in: txn) != nil {
                    throw DeskError(.conflict, "\(number) is already connected as another channel.", field: "numbers")
                }
                let channel = BusinessNumber(id: id, kind: .sms, name: "SMS \(number)", phoneNumberID: number, wabaID: "",
                                             displayPhone: number, status: .active, pausedReason: nil, createdAt: at, updatedAt: at)
                try Collections.channels.insert(channel, in: txn)
                added.append(channel)
            }
            let removed = existing.filter { !numbers.contains($0.phoneNumberID) }.map(\.id)
            for id in removed { _ = try Collections.channels.delete(Key(id), in: txn) }
            return (added, removed)
        }
        forgetCredentials()
        for channel in changed.added { core.publish(.channelUpdated(ChannelView(channel, secrets: [:], publicURL: publicURL))) }
        for id in changed.removed { core.publish(.channelDeleted(id: id.description)) }
        return try view()
    }

    /// "Test connection": reads the account with the saved SID and token.
    public func test() async throws -> TwilioClient.Account {
        guard let credentials = try credentials() else {
            throw DeskError(.notConfigured, "Save the Account SID and auth token first.")
        }
        switch await client.account(sid: credentials.accountSID, authToken: credentials.authToken) {
        case .success(let account): return account
        case .failure(let failure): throw DeskError(.providerRefused, "Twilio refused: \(failure.reason) — \(failure.message)")
        }
    }

    func registerJobs() {
        core.jobs.register(Self.mediaFetchJob) { [unowned self] job in try await self.fetchMedia(job) }
    }

    /// The account SID and the unsealed auth token, or nil until both are set.
    func credentials() throws -> Credentials? {
        let now = ContinuousClock.now
        if let cached = credentialCache.withLock({ $0 }), now - cached.read < .seconds(1) { return cached.value }
        var value: Credentials?
        if let vault, let sid = try setup().accountSID, try vault.names().contains(Self.authTokenName) {
            value = Credentials(accountSID: sid, authToken: try vault.revealString(Self.authTokenName))
        }
        credentialCache.withLock { $0 = (now, value) }
        return value
    }

    private func forgetCredentials() { credentialCache.withLock { $0 = nil } }

    // MARK: Webhooks

    /// Why a webhook is refused, or nil when its signature is Twilio's: checked over `public_url`
    /// with the path and query as received, and the form's every parameter.
    public func refusal(signature: String?, path: String, query: String?, parameters: [(name: String, value: String)]) -> String? {
        guard let publicURL else { return "public_url is not set, so Twilio's signatures cannot be checked" }
        guard let credentials = try? credentials() else { return "Twilio is not connected (no Account SID or auth token)" }
        let url = publicURL + path + (query.map { $0.isEmpty ? "" : "?" + $0 } ?? "")
        guard TwilioSignature.isValid(signature, url: url, parameters: parameters, authToken: credentials.authToken) else {
            return "the X-Twilio-Signature header does not match"
        }
        return nil
    }

    /// The URL Twilio is given for `path` (status callbacks, `<Dial action>`), or nil without `public_url`.
    func url(_ path: String) -> String? { publicURL.map { $0 + path } }

    // MARK: Checks

    static func e164(_ value: String, field: String) throws(DeskError) -> String {
        let trimmed = value.filter { !" -()".contains($0) }
        guard trimmed.hasPrefix("+"), (8...16).contains(trimmed.count), trimmed.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }),
              trimmed.dropFirst().first != "0" else {
            throw DeskError.invalid(field, "A phone number is in international form: + then the country code and number, like +5511987654321.")
        }
        return trimmed
    }
}

/// The Twilio settings object: what is set (never the auth token), the numbers, and the webhook
/// URLs to paste into the Twilio console — null, with `public_url_missing`, when the operator has
/// not set `public_url`.
public struct TwilioSetupView: Encodable, Sendable {
    let setup: TwilioSetup
    let numbers: [BusinessNumber]
    let authTokenSet: Bool
    let publicURL: String?
    let apiURL: String
    /// The business's name, which the default text-backs say.
    let business: String

    private enum CodingKeys: String, CodingKey {
        case account_sid, auth_token_set, numbers, forward_to, ring_seconds, text_back_enabled, text_back, text_back_defaults
        case text_back_period_hours, quiet_hours, text_back_during_quiet_hours, voicemail, webhooks, public_url_missing, api_url
        case text_back_via, text_back_template
        case connected, updated_at
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(setup.accountSID, forKey: .account_sid)
        try c.encode(authTokenSet, forKey: .auth_token_set)
        try c.encode(setup.accountSID != nil && authTokenSet, forKey: .connected)
        try c.encode(numbers.map { ChannelView($0, secrets: [:], publicURL: publicURL) }, forKey: .numbers)
        try c.encode(setup.forwardTo, forKey: .forward_to)
        try c.encode(setup.ringSeconds, forKey: .ring_seconds)
        try c.encode(setup.textBackEnabled, forKey: .text_back_enabled)
        try c.encode(setup.textBack, forKey: .text_back)
        try c.encode(Dictionary(uniqueKeysWithValues: ["pt", "es", "en"].map { ($0, TwilioSetup.defaultTextBack(in: $0, business: business)) }),
                     forKey: .text_back_defaults)
        try c.encode(setup.textBackPeriodHours, forKey: .text_back_period_hours)
        try c.encode(setup.quietHours.map { ["start": $0.start, "end": $0.end] }, forKey: .quiet_hours)
        try c.encode(setup.textBackDuringQuietHours, forKey: .text_back_during_quiet_hours)
        try c.encode(setup.voicemail, forKey: .voicemail)
        try c.encode((setup.textBackVia ?? .sms).rawValue, forKey: .text_back_via)
        try c.encode(setup.textBackTemplate.map { ["name": $0.name, "language": $0.language] }, forKey: .text_back_template)
        let paths = Telephony.paths
        try c.encode(publicURL.map { url in ["sms": url + paths.sms, "voice": url + paths.voice, "status": url + paths.status] },
                     forKey: .webhooks)
        try c.encode(publicURL == nil, forKey: .public_url_missing)
        try c.encode(apiURL, forKey: .api_url)
        try c.encode(setup.updatedAt.map(APITime.string), forKey: .updated_at)
    }
}
