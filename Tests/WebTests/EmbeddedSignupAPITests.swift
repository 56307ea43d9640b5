import AtendeTesting
import Desk
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Web

/// The JSON face of "Connect with Facebook": the public configuration, the code posted by the
/// dashboard, the PIN afterwards, errors that name the problem, and the browser policy that
/// opens for Facebook's SDK only when the server is set up for it.
@Suite struct EmbeddedSignupAPITests {
    static let appID = "1234567890123", configID = "9876543210", appSecret = "app-secret-5b1e-d0c4"
    static let code = "AQD-code-from-facebook", token = "EAAG-business-token-7f3a"
    static let waba = "102290129340398", phone = "106540352242922"
    static let secrets = [appSecret, code, token]

    /// Meta, every step answered well unless `register` or `exchange` say otherwise.
    static func meta(_ graph: FakeProvider, platform: String = "CLOUD_API", exchange: FakeProvider.Answer? = nil,
                     register: FakeProvider.Answer? = nil) {
        graph.answer(routing: { request in
            switch "\(request.method) \(request.path)" {
            case "GET /v22.0/oauth/access_token": return exchange ?? .json(#"{"access_token":"\#(token)","token_type":"bearer"}"#)
            case "GET /v22.0/debug_token":
                return .json(#"{"data":{"app_id":"\#(appID)","is_valid":true,"granular_scopes":[{"scope":"whatsapp_business_management","target_ids":["\#(waba)"]}]}}"#)
            case "GET /v22.0/\(waba)/phone_numbers":
                return .json(#"{"data":[{"id":"\#(phone)","display_phone_number":"+55 11 3333-0100","verified_name":"Clínica Sol","platform_type":"\#(platform)"}]}"#)
            case "POST /v22.0/\(waba)/subscribed_apps": return .json(#"{"success":true}"#)
            case "POST /v22.0/\(phone)/register": return register ?? .json(#"{"success":true}"#)
            default: return .json(#"{"error":{"message":"Unknown path","code":100}}"#, status: 404)
            }
        })
    }

    static func configured(_ graphURL: String) -> DeskConfiguration {
        var desk = DeskConfiguration()
        desk.whatsapp.graphURL = graphURL
        desk.whatsapp.timeout = .seconds(30)   // the fake answers at once; a starved 2-core CI box may not
        (desk.whatsapp.appID, desk.whatsapp.loginConfigID) = (appID, configID)
        return desk
    }

    @Test func unconfiguredTheDashboardLearnsWhatToSetAndThePolicyStaysClosed() async throws {
        try await TestDesk.with { t in
            try await t.server.makeApplication().test(.router) { client in
                let response = try await client.execute(uri: "/api/v1/channels/embedded-signup", method: .get, headers: t.headers(for: .session(.admin)))
                #expect(response.status == .ok)
                let json = try response.json()
                #expect(json["enabled"] as? Bool == false && json["app_id"] is NSNull && json["graph_version"] as? String == "v22.0")
                #expect(json["missing"] as? [String] == ["whatsapp_app_id", "whatsapp_login_config_id", "whatsapp.app_secret"])
                let csp = response.headers[.contentSecurityPolicy] ?? ""
                #expect(!csp.contains("facebook") && response.headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] == "same-origin")

                let post = try await client.execute(uri: "/api/v1/channels/embedded-signup", method: .post,
                                                    headers: t.headers(for: .session(.admin)), body: body(["code": Self.code]))
                #expect(post.status == .conflict && post.error?.code == "not_configured")
                #expect(post.error?.message.contains("whatsapp_app_id") ?? false)
            }
        }
    }

    @Test func anAdminConnectsWithTheCodeAndNoSecretComesBack() async throws {
        let graph = FakeProvider()
        Self.meta(graph)
        try await graph.run { url in
            try await TestDesk.with(desk: Self.configured(url), vaultSecrets: [EmbeddedSignup.appSecretName: Self.appSecret]) { t in
                try await t.server.makeApplication().test(.router) { client in
                    let admin = t.headers(for: .session(.admin))
                    let config = try await client.execute(uri: "/api/v1/channels/embedded-signup", method: .get, headers: admin)
                    let configJSON = try config.json()
                    #expect(configJSON["enabled"] as? Bool == true && configJSON["app_id"] as? String == Self.appID)
                    #expect(configJSON["config_id"] as? String == Self.configID && (configJSON["missing"] as? [String])?.isEmpty == true)
                    let csp = config.headers[.contentSecurityPolicy] ?? ""
                    #expect(csp.contains("script-src 'self' https://connect.facebook.net;") && csp.contains("frame-src https://*.facebook.com;"))
                    #expect(csp.contains("connect-src 'self' https://*.facebook.com;") && csp.contains("frame-ancestors 'none'"))
                    #expect(config.headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] == "same-origin-allow-popups")

                    let first = try await client.execute(uri: "/api/v1/channels/embedded-signup", method: .post, headers: admin,
                                                         body: body(["code": Self.code, "waba_id": Self.waba, "phone_number_id": Self.phone]))
                    #expect(first.status == .created, "\(first.text)")
                    let json = try first.json()
                    #expect(json["waba_id"] as? String == Self.waba)
                    let item = try #require((json["items"] as? [[String: Any]])?.first)
                    #expect(item["created"] as? Bool == true && item["registration"] as? String == "not_needed" && item["registration_error"] is NSNull)
                    let channel = try #require(item["channel"] as? [String: Any])
                    #expect(channel["phone_number_id"] as? String == Self.phone && channel["registration_pending"] as? Bool == false)
                    #expect(channel["secrets"] as? [String: Bool] == ["access_token": true, "app_secret": true, "verify_token": true])

                    // The same number again: 200, the same channel, not a second one.
                    let again = try await client.execute(uri: "/api/v1/channels/embedded-signup", method: .post, headers: admin, body: body(["code": Self.code]))
                    #expect(again.status == .ok)
                    let list = try await client.execute(uri: "/api/v1/channels", method: .get, headers: admin)
                    #expect((try list.json()["items"] as? [Any])?.count == 1)
                    let audit = try await client.execute(uri: "/api/v1/audit", method: .get, headers: admin)
                    #expect(audit.text.contains("channel.signed_up"))
                    for answer in [config.text, first.text, again.text, list.text, audit.text] {
                        for secret in Self.secrets { #expect(!answer.contains(secret)) }
                    }
                }
            }
        }
    }

    @Test func anExpiredCodeAndAWrongPINNameTheirFields() async throws {
        let graph = FakeProvider()
        Self.meta(graph, platform: "NOT_APPLICABLE",
                  exchange: nil, register: .json(#"{"error":{"message":"(#133005) Two step verification PIN Mismatch","code":133005}}"#, status: 400))
        try await graph.run { url in
            try await TestDesk.with(desk: Self.configured(url), vaultSecrets: [EmbeddedSignup.appSecretName: Self.appSecret]) { t in
                try await t.server.makeApplication().test(.router) { client in
                    let admin = t.headers(for: .session(.admin))
                    let connected = try await client.execute(uri: "/api/v1/channels/embedded-signup", method: .post, headers: admin, body: body(["code": Self.code]))
                    #expect(connected.status == .created)
                    let item = try #require((try connected.json()["items"] as? [[String: Any]])?.first)
                    #expect(item["registration"] as? String == "pin_required")
                    let id = try #require((item["channel"] as? [String: Any])?["id"] as? String)

                    let badPIN = try await client.execute(uri: "/api/v1/channels/\(id)/register", method: .post, headers: admin, body: body(["pin": "12"]))
                    #expect(badPIN.status == .unprocessableContent && badPIN.error?.field == "pin")
                    let wrong = try await client.execute(uri: "/api/v1/channels/\(id)/register", method: .post, headers: admin, body: body(["pin": "123456"]))
                    #expect(wrong.status == .unprocessableContent && wrong.error?.field == "pin", "\(wrong.text)")
                    #expect(wrong.error?.message.contains("two-step verification PIN") ?? false)
                    let missing = try await client.execute(uri: "/api/v1/channels/01J00000000000000000000000/register", method: .post, headers: admin,
                                                           body: body(["pin": "123456"]))
                    #expect(missing.status == .notFound)
                }
            }
        }
        let expired = FakeProvider()
        Self.meta(expired, exchange: .json(#"{"error":{"message":"This authorization code has expired.","type":"OAuthException","code":100}}"#, status: 400))
        try await expired.run { url in
            try await TestDesk.with(desk: Self.configured(url), vaultSecrets: [EmbeddedSignup.appSecretName: Self.appSecret]) { t in
                try await t.server.makeApplication().test(.router) { client in
                    let response = try await client.execute(uri: "/api/v1/channels/embedded-signup", method: .post,
                                                            headers: t.headers(for: .token(.admin)), body: body(["code": Self.code]))
                    #expect(response.status == .unprocessableContent && response.error?.field == "code", "\(response.text)")
                    #expect(response.error?.message.contains("30 seconds") ?? false)
                    for secret in Self.secrets { #expect(!response.text.contains(secret)) }
                }
            }
        }
    }

    @Test func aStepMetaRefusesIsNamedInA502() async throws {
        let graph = FakeProvider()
        graph.answer(routing: { request in
            switch request.path {
            case "/v22.0/oauth/access_token": return .json(#"{"access_token":"\#(Self.token)"}"#)
            default: return .json(#"{"error":{"message":"Invalid OAuth access token.","code":190}}"#, status: 400)
            }
        })
        try await graph.run { url in
            try await TestDesk.with(desk: Self.configured(url), vaultSecrets: [EmbeddedSignup.appSecretName: Self.appSecret]) { t in
                try await t.server.makeApplication().test(.router) { client in
                    let response = try await client.execute(uri: "/api/v1/channels/embedded-signup", method: .post,
                                                            headers: t.headers(for: .session(.admin)), body: body(["code": Self.code]))
                    #expect(response.status == .badGateway && response.error?.code == "provider_refused")
                    #expect(response.error?.message.hasPrefix("Step 2 of 5, finding the WhatsApp Business Account") ?? false, "\(response.text)")
                    let manager = try await client.execute(uri: "/api/v1/channels/embedded-signup", method: .post,
                                                           headers: t.headers(for: .session(.manager)), body: body(["code": Self.code]))
                    #expect(manager.status == .forbidden)
                }
            }
        }
    }
}
