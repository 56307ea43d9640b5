import AtendeTesting
import Desk
import Foundation
import Logging
import Storage
import Synchronization
import Testing

/// Meta as Embedded Signup meets it (wire-protocols.md §4.2), played by a `FakeProvider` whose
/// answers are chosen by method and path; `overrides` replaces one endpoint's answer.
struct FakeMeta {
    static let appID = "1234567890123"
    static let configID = "9876543210"
    /// With characters a query must encode (a `+` left bare would reach Meta as a space).
    static let appSecret = "s3cr3t+app/secret=5b1e"
    static let code = "AQD-code+from/facebook=xyz"
    static let token = "EAAG-business-token-7f3a"
    static let waba = "102290129340398"
    static let olderWABA = "102290129340111"
    static let phone = "106540352242922"
    static let phone2 = "106540352242933"
    static let secrets = [appSecret, code, token]

    static func number(_ id: String, name: String = "Clínica Sol", display: String = "+55 11 3333-0100", platform: String = "CLOUD_API") -> String {
        #"{"verified_name":"\#(name)","code_verification_status":"VERIFIED","display_phone_number":"\#(display)","quality_rating":"GREEN","platform_type":"\#(platform)","throughput":{"level":"STANDARD"},"id":"\#(id)"}"#
    }

    static func debugToken(accounts: [String] = [waba, olderWABA], appID: String = appID, valid: Bool = true) -> String {
        let targets = accounts.map { "\"\($0)\"" }.joined(separator: ",")
        return #"{"data":{"app_id":"\#(appID)","type":"SYSTEM_USER","is_valid":\#(valid),"scopes":["whatsapp_business_management","whatsapp_business_messaging"],"granular_scopes":[{"scope":"whatsapp_business_management","target_ids":[\#(targets)]},{"scope":"whatsapp_business_messaging","target_ids":[\#(targets)]}]}}"#
    }

    static let success = FakeProvider.Answer.json(#"{"success":true}"#)

    /// Routes `graph`'s answers: every step succeeds unless `overrides` says otherwise
    /// (keys are "METHOD /path").
    static func play(_ graph: FakeProvider, numbers: [String] = [number(phone)], debug: String = debugToken(),
                     overrides: [String: FakeProvider.Answer] = [:],
                     intercept: @escaping @Sendable (FakeProvider.Recorded) -> FakeProvider.Answer? = { _ in nil }) {
        let numbersBody = #"{"data":[\#(numbers.joined(separator: ","))],"paging":{"cursors":{"before":"a","after":"b"}}}"#
        graph.answer(routing: { request in
            let key = "\(request.method) \(request.path)"
            if let answer = intercept(request) ?? overrides[key] { return answer }
            switch key {
            case "GET /v22.0/oauth/access_token": return .json(#"{"access_token":"\#(token)","token_type":"bearer"}"#)
            case "GET /v22.0/debug_token": return .json(debug)
            case "GET /v22.0/\(waba)/phone_numbers", "GET /v22.0/\(olderWABA)/phone_numbers": return .json(numbersBody)
            case "POST /v22.0/\(waba)/subscribed_apps", "POST /v22.0/\(olderWABA)/subscribed_apps": return success
            case "POST /v22.0/\(phone)/register", "POST /v22.0/\(phone2)/register": return success
            case "GET /v22.0/\(phone)", "GET /v22.0/\(phone2)": return .json(#"{"display_phone_number":"+55 11 3333-0100","id":"\#(phone)"}"#)
            default: return .json(#"{"error":{"message":"Unknown path","type":"OAuthException","code":100}}"#, status: 404)
            }
        })
    }
}

/// A Desk with a vault, pointed at a fake Graph API, optionally set up for Embedded Signup.
struct SignupFixture {
    let desk: Desk
    let vault: Vault
    let owner: Requester
    let logs: LogRecorder

    static func with<R>(graphURL: String, configured: Bool = true, appSecret: Bool = true,
                        _ body: (SignupFixture) async throws -> R) async throws -> R {
        let logs = LogRecorder()
        return try await withOwnedDesk({ configuration in
            configuration.whatsapp.graphURL = graphURL
            if configured { (configuration.whatsapp.appID, configuration.whatsapp.loginConfigID) = (FakeMeta.appID, FakeMeta.configID) }
        }, logger: logs.logger(), prepare: { vault in
            if appSecret { try await vault.set(EmbeddedSignup.appSecretName, value: FakeMeta.appSecret) }
        }) { desk, vault, _, requester in
            try await body(SignupFixture(desk: desk, vault: vault, owner: requester, logs: logs))
        }
    }

    /// The channel secrets sealed in the vault (names only).
    func channelSecretNames() throws -> [String] { try vault.names().filter { $0.hasPrefix("channel.") } }

    /// The access token a channel's calls carry now, read back through "Test connection".
    func tokenUsed(by channel: BusinessNumber, graph: FakeProvider) async throws -> String? {
        _ = try await desk.channels.test(channel.id)
        return graph.requests.last?.headers["authorization"]
    }

    func auditActions() throws -> [String] {
        try desk.listAudit(try PageRequest(cursor: nil, limit: 200)).items.map(\.action.rawValue)
    }
}

@Suite struct EmbeddedSignupTests {
    @Test func theCodeBecomesAConnectedNumberThroughExactlyTheDocumentedCalls() async throws {
        let graph = FakeProvider()
        FakeMeta.play(graph)
        try await graph.run { url in
            try await SignupFixture.with(graphURL: url) { f in
                let outcome = try await f.desk.signup.connect(
                    .init(code: FakeMeta.code, wabaID: FakeMeta.waba, phoneNumberID: FakeMeta.phone), by: f.owner)
                #expect(outcome.wabaID == FakeMeta.waba)
                let connected = try #require(outcome.numbers.first)
                #expect(outcome.numbers.count == 1 && connected.created && connected.registration == .notNeeded)
                let channel = connected.channel
                #expect(channel.name == "Clínica Sol" && channel.phoneNumberID == FakeMeta.phone && channel.wabaID == FakeMeta.waba)
                #expect(channel.displayPhone == "+55 11 3333-0100" && channel.status == .active && !channel.needsRegistration)

                let calls = graph.requests
                try #require(calls.count == 4, "\(calls.map { "\($0.method) \($0.path)" })")
                // 1. The exchange: server to server, the secret and code in the query Meta asks for, nothing else.
                #expect(calls[0].method == "GET" && calls[0].path == "/v22.0/oauth/access_token")
                #expect(calls[0].query == "client_id=\(FakeMeta.appID)&client_secret=s3cr3t%2Bapp%2Fsecret%3D5b1e&code=AQD-code%2Bfrom%2Ffacebook%3Dxyz")
                #expect(calls[0].headers["authorization"] == nil && calls[0].body.isEmpty)
                // 2. debug_token: the business token as input_token (Meta's API takes it there), the app token in the header.
                #expect(calls[1].method == "GET" && calls[1].path == "/v22.0/debug_token")
                #expect(calls[1].query == "input_token=\(FakeMeta.token)")
                #expect(calls[1].headers["authorization"] == "Bearer \(FakeMeta.appID)|\(FakeMeta.appSecret)")
                // 3. The numbers, with the business token in the header only.
                #expect(calls[2].method == "GET" && calls[2].path == "/v22.0/\(FakeMeta.waba)/phone_numbers")
                #expect(calls[2].query == "fields=id,display_phone_number,verified_name,platform_type")
                #expect(calls[2].headers["authorization"] == "Bearer \(FakeMeta.token)")
                // 4. The subscription: no body.
                #expect(calls[3].method == "POST" && calls[3].path == "/v22.0/\(FakeMeta.waba)/subscribed_apps")
                #expect(calls[3].query.isEmpty && calls[3].body.isEmpty && calls[3].headers["authorization"] == "Bearer \(FakeMeta.token)")
                for call in calls[2...] { #expect(!call.query.contains(FakeMeta.token) && !call.query.contains("access_token")) }

                // The business token is the channel's, the configured app's secret checks its webhooks,
                // and a verify token was made up for it.
                #expect(try f.channelSecretNames().sorted() == ["access_token", "app_secret", "verify_token"].map { "channel.\(channel.id).\($0)" })
                #expect(f.desk.channels.appSecrets() == [Array(FakeMeta.appSecret.utf8)])
                #expect(try await f.tokenUsed(by: channel, graph: graph) == "Bearer \(FakeMeta.token)")
                let actions = try f.auditActions()
                #expect(actions.contains("channel.signed_up") && !actions.contains("channel.created"))
            }
        }
    }

    @Test func withoutThePopUpsMessageTheNewestAccountIsFoundAndEachNumberConnected() async throws {
        let graph = FakeProvider()
        FakeMeta.play(graph, numbers: [FakeMeta.number(FakeMeta.phone), FakeMeta.number(FakeMeta.phone2, name: "", display: "+55 11 3333-0200")])
        try await graph.run { url in
            try await SignupFixture.with(graphURL: url) { f in
                let outcome = try await f.desk.signup.connect(.init(code: FakeMeta.code), by: f.owner)
                #expect(outcome.wabaID == FakeMeta.waba)      // target_ids[0]: the newest
                #expect(outcome.numbers.map(\.channel.phoneNumberID) == [FakeMeta.phone, FakeMeta.phone2])
                #expect(outcome.numbers.map(\.channel.name) == ["Clínica Sol", "+55 11 3333-0200"])
                #expect(try f.desk.channels.list().count == 2)
            }
        }
    }

    @Test func aNumberConnectedBeforeGetsTheNewTokenAndKeepsItsVerifyToken() async throws {
        let graph = FakeProvider()
        FakeMeta.play(graph)
        try await graph.run { url in
            try await SignupFixture.with(graphURL: url) { f in
                let before = try await f.desk.channels.create(
                    ChannelInput(name: "Front desk", phoneNumberID: FakeMeta.phone, wabaID: FakeMeta.olderWABA,
                                 secrets: [.accessToken: "EAAG-old-token", .appSecret: "old-app-secret", .verifyToken: "my-verify"]), by: f.owner)
                let outcome = try await f.desk.signup.connect(.init(code: FakeMeta.code, wabaID: FakeMeta.waba), by: f.owner)
                let connected = try #require(outcome.numbers.first)
                #expect(!connected.created && connected.channel.id == before.id)
                #expect(connected.channel.name == "Front desk" && connected.channel.wabaID == FakeMeta.waba)
                #expect(try f.desk.channels.list().map(\.id) == [before.id])
                #expect(try await f.tokenUsed(by: before, graph: graph) == "Bearer \(FakeMeta.token)")
                #expect(f.desk.channels.isVerifyToken("my-verify"))
                #expect(f.desk.channels.appSecrets() == [Array(FakeMeta.appSecret.utf8)])

                // Again (a second pop-up for the same number): still one channel.
                let again = try await f.desk.signup.connect(.init(code: FakeMeta.code), by: f.owner)
                #expect(again.numbers.map(\.channel.id) == [before.id] && !again.numbers[0].created)
                #expect(try f.desk.channels.list().count == 1)
            }
        }
    }

    struct FailingStep: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let overrides: [String: FakeProvider.Answer]
        var debug = FakeMeta.debugToken()
        var numbers = [FakeMeta.number(FakeMeta.phone)]
        var request = EmbeddedSignup.Request(code: FakeMeta.code)
        /// "code" for a refused code (422 on the field), else the step named in the message.
        let expect: String
        let words: String
    }

    static func graphError(_ code: Int, _ message: String, _ status: Int) -> FakeProvider.Answer {
        .json(#"{"error":{"message":"\#(message)","type":"OAuthException","code":\#(code),"fbtrace_id":"Az8"}}"#, status: status)
    }

    @Test(arguments: [
        FailingStep(testDescription: "an expired code is refused on the code field",
                    overrides: ["GET /v22.0/oauth/access_token": graphError(100, "This authorization code has expired.", 400)],
                    expect: "code", words: "expired or was already used"),
        FailingStep(testDescription: "a used code is refused on the code field",
                    overrides: ["GET /v22.0/oauth/access_token": graphError(100, "This authorization code has been used.", 400)],
                    expect: "code", words: "click Connect with Facebook again"),
        FailingStep(testDescription: "a wrong app secret names the settings to check",
                    overrides: ["GET /v22.0/oauth/access_token": graphError(1, "Error validating client secret.", 400)],
                    expect: "Step 1 of 5", words: "whatsapp.app_secret"),
        FailingStep(testDescription: "an invalid token at debug_token stops at step 2",
                    overrides: ["GET /v22.0/debug_token": graphError(190, "Invalid OAuth access token.", 400)],
                    expect: "Step 2 of 5", words: "did not grant"),
        FailingStep(testDescription: "a login that granted no WhatsApp account stops at step 2",
                    overrides: [:], debug: FakeMeta.debugToken(accounts: []), expect: "Step 2 of 5", words: "whatsapp_business_management"),
        FailingStep(testDescription: "a token of another app stops at step 2",
                    overrides: [:], debug: FakeMeta.debugToken(appID: "555"), expect: "Step 2 of 5", words: "not valid for this app"),
        FailingStep(testDescription: "an account the login did not grant stops at step 2",
                    overrides: [:], request: .init(code: FakeMeta.code, wabaID: "999"), expect: "Step 2 of 5", words: "not among"),
        FailingStep(testDescription: "a missing permission on the numbers stops at step 3",
                    overrides: ["GET /v22.0/\(FakeMeta.waba)/phone_numbers": graphError(200, "Requires whatsapp_business_management permission", 403)],
                    expect: "Step 3 of 5", words: "did not grant"),
        FailingStep(testDescription: "an account without numbers stops at step 3",
                    overrides: [:], numbers: [], expect: "Step 3 of 5", words: "has no phone number"),
        FailingStep(testDescription: "a number the account does not hold stops at step 3",
                    overrides: [:], request: .init(code: FakeMeta.code, phoneNumberID: "111"), expect: "Step 3 of 5", words: "is not in account"),
        FailingStep(testDescription: "Meta down while subscribing stops at step 4",
                    overrides: ["POST /v22.0/\(FakeMeta.waba)/subscribed_apps": graphError(2, "Service temporarily unavailable", 503)],
                    expect: "Step 4 of 5", words: "try again in a minute"),
        FailingStep(testDescription: "a subscription answered without success stops at step 4",
                    overrides: ["POST /v22.0/\(FakeMeta.waba)/subscribed_apps": .json(#"{"success":false}"#)],
                    expect: "Step 4 of 5", words: "Meta refused"),
    ])
    func eachFailingStepIsNamedAndNothingIsSaved(_ scenario: FailingStep) async throws {
        let graph = FakeProvider()
        FakeMeta.play(graph, numbers: scenario.numbers, debug: scenario.debug, overrides: scenario.overrides)
        try await graph.run { url in
            try await SignupFixture.with(graphURL: url) { f in
                let error = await expectDeskError(scenario.expect == "code" ? .invalidField : .providerRefused) {
                    _ = try await f.desk.signup.connect(scenario.request, by: f.owner)
                }
                let message = error?.message ?? ""
                if scenario.expect == "code" {
                    #expect(error?.field == "code")
                } else {
                    #expect(message.hasPrefix(scenario.expect), "\(message)")
                }
                #expect(message.contains(scenario.words), "\(message)")
                #expect(message.contains("Nothing was saved"), "\(message)")
                for secret in FakeMeta.secrets { #expect(!message.contains(secret)) }
                #expect(try f.desk.channels.list().isEmpty)
                #expect(try f.channelSecretNames().isEmpty)
                let actions = try f.auditActions()
                #expect(!actions.contains("channel.signed_up"))
                for line in f.logs.lines { for secret in FakeMeta.secrets { #expect(!line.contains(secret), "\(line)") } }
            }
        }
    }

    @Test func aNumberNewToTheCloudAPIWaitsForItsPINAndAWrongOneCanBeTriedAgain() async throws {
        let graph = FakeProvider()
        let wrongOnce = Wrong()
        FakeMeta.play(graph, numbers: [FakeMeta.number(FakeMeta.phone, platform: "NOT_APPLICABLE")]) { request in
            request.path == "/v22.0/\(FakeMeta.phone)/register" && wrongOnce.take()
                ? EmbeddedSignupTests.graphError(133005, "Two step verification PIN Mismatch", 400) : nil
        }
        try await graph.run { url in
            try await SignupFixture.with(graphURL: url) { f in
                let outcome = try await f.desk.signup.connect(.init(code: FakeMeta.code), by: f.owner)
                let connected = try #require(outcome.numbers.first)
                #expect(connected.registration == .pinRequired && connected.channel.needsRegistration)
                #expect(!graph.requests.contains { $0.path.hasSuffix("/register") })
                #expect(try f.desk.channels.get(connected.channel.id).needsRegistration)

                let wrong = await expectDeskError(.invalidField) { _ = try await f.desk.signup.register(connected.channel.id, pin: "000000", by: f.owner) }
                #expect(wrong?.field == "pin" && (wrong?.message.contains("two-step verification PIN") ?? false))
                #expect(try f.desk.channels.get(connected.channel.id).needsRegistration)

                let registered = try await f.desk.signup.register(connected.channel.id, pin: "581063", by: f.owner)
                #expect(!registered.needsRegistration)
                let call = try #require(graph.requests.last)
                #expect(call.method == "POST" && call.path == "/v22.0/\(FakeMeta.phone)/register")
                #expect(call.headers["authorization"] == "Bearer \(FakeMeta.token)" && call.headers["content-type"] == "application/json")
                #expect(call.text == #"{"messaging_product":"whatsapp","pin":"581063"}"#)
                let actions = try f.auditActions()
                #expect(actions.contains("channel.registered"))
            }
        }
    }

    @Test func aPINGivenWithTheCodeRegistersAtOnce() async throws {
        let graph = FakeProvider()
        FakeMeta.play(graph, numbers: [FakeMeta.number(FakeMeta.phone, platform: "NOT_APPLICABLE")])
        try await graph.run { url in
            try await SignupFixture.with(graphURL: url) { f in
                let outcome = try await f.desk.signup.connect(.init(code: FakeMeta.code, pin: "581063"), by: f.owner)
                #expect(outcome.numbers.map(\.registration) == [.registered])
                let stored = try f.desk.channels.get(outcome.numbers[0].channel.id)
                #expect(!stored.needsRegistration)
                #expect(graph.requests.map(\.path).last == "/v22.0/\(FakeMeta.phone)/register")
            }
        }
    }

    @Test(arguments: [
        (133006, "verified first"), (133016, "too many registration attempts"), (133015, "about 5 minutes"), (132000, "Meta refused"), (131000, "try again in a minute"),
    ])
    func registrationRefusalsSayWhatToDo(code: Int, words: String) async throws {
        let graph = FakeProvider()
        FakeMeta.play(graph, numbers: [FakeMeta.number(FakeMeta.phone, platform: "NOT_APPLICABLE")],
                      overrides: ["POST /v22.0/\(FakeMeta.phone)/register": EmbeddedSignupTests.graphError(code, "refused \(code)", 400)])
        try await graph.run { url in
            try await SignupFixture.with(graphURL: url) { f in
                // With the code: the number is saved, its registration failed and says why.
                let outcome = try await f.desk.signup.connect(.init(code: FakeMeta.code, pin: "581063"), by: f.owner)
                let connected = try #require(outcome.numbers.first)
                #expect(connected.registration == .failed && connected.channel.needsRegistration)
                #expect(connected.registrationError?.contains(words) ?? false, "\(connected.registrationError ?? "")")
                // Later, alone: a provider refusal with the same words.
                let error = await expectDeskError(.providerRefused) { _ = try await f.desk.signup.register(connected.channel.id, pin: "581063", by: f.owner) }
                #expect(error?.message.contains(words) ?? false)
            }
        }
    }

    @Test func withoutTheAppOrItsSecretNothingIsAskedAndTheMissingSettingsAreNamed() async throws {
        let graph = FakeProvider()
        FakeMeta.play(graph)
        try await graph.run { url in
            try await SignupFixture.with(graphURL: url, configured: true, appSecret: false) { f in
                let config = f.desk.signup.configuration()
                #expect(!config.enabled && config.missing == ["whatsapp.app_secret"] && config.appID == FakeMeta.appID)
                let error = await expectDeskError(.notConfigured) { _ = try await f.desk.signup.connect(.init(code: FakeMeta.code), by: f.owner) }
                #expect(error?.message.contains("whatsapp.app_secret") ?? false)
            }
            try await SignupFixture.with(graphURL: url, configured: false) { f in
                let config = f.desk.signup.configuration()
                #expect(!config.enabled && config.missing == ["whatsapp_app_id", "whatsapp_login_config_id"] && !f.desk.signup.isConfigured)
                await expectDeskError(.notConfigured) { _ = try await f.desk.signup.connect(.init(code: FakeMeta.code), by: f.owner) }
            }
            #expect(graph.requests.isEmpty)
        }
    }

    @Test(arguments: [
        (EmbeddedSignup.Request(code: ""), "code"), (EmbeddedSignup.Request(code: "a b"), "code"),
        (EmbeddedSignup.Request(code: "ok", wabaID: "12a"), "waba_id"), (EmbeddedSignup.Request(code: "ok", phoneNumberID: "-1"), "phone_number_id"),
        (EmbeddedSignup.Request(code: "ok", pin: "12345"), "pin"), (EmbeddedSignup.Request(code: "ok", pin: "12345a"), "pin"),
    ])
    func malformedInputIsRefusedBeforeMetaIsAsked(request: EmbeddedSignup.Request, field: String) async throws {
        let graph = FakeProvider()
        FakeMeta.play(graph)
        try await graph.run { url in
            try await SignupFixture.with(graphURL: url) { f in
                let error = await expectDeskError(.invalidField) { _ = try await f.desk.signup.connect(request, by: f.owner) }
                #expect(error?.field == field)
                #expect(graph.requests.isEmpty)
            }
        }
    }

    @Test func noSecretReachesTheLogOnSuccess() async throws {
        let graph = FakeProvider()
        FakeMeta.play(graph, numbers: [FakeMeta.number(FakeMeta.phone, platform: "NOT_APPLICABLE")])
        try await graph.run { url in
            try await SignupFixture.with(graphURL: url) { f in
                _ = try await f.desk.signup.connect(.init(code: FakeMeta.code, pin: "581063"), by: f.owner)
                #expect(f.logs.lines.contains { $0.contains("connected with Facebook") })
                for line in f.logs.lines { for secret in FakeMeta.secrets + ["581063"] { #expect(!line.contains(secret), "\(line)") } }
            }
        }
    }
}

/// Refuses the first time only.
final class Wrong: Sendable {
    private let used = Mutex(false)
    func take() -> Bool { used.withLock { was in defer { was = true }; return !was } }
}
