import Desk
import Foundation
import Hummingbird
import Storage

/// Settings → Channels → "Connect with Facebook" (Admin): what the browser needs to open Meta's
/// pop-up, the code it brings back, and the PIN that registers a number afterwards.
struct EmbeddedSignupController {
    let signup: EmbeddedSignup
    let channels: ChannelSettings

    func addRoutes(to routes: RouteRegistrar) {
        routes.add(APIRoutes.getEmbeddedSignup) { _, _ in
            try jsonResponse(EmbeddedSignupConfigView(signup.configuration()))
        }
        routes.add(APIRoutes.connectWithFacebook) { request, context in
            let body = try await request.decodeJSON(as: EmbeddedSignupBody.self, context: context)
            let outcome = try await signup.connect(
                EmbeddedSignup.Request(code: body.code, wabaID: body.waba_id, phoneNumberID: body.phone_number_id, pin: body.pin),
                by: context.requester)
            let created = outcome.numbers.contains { $0.created }
            return try jsonResponse(EmbeddedSignupView(outcome, channels: channels), status: created ? .created : .ok)
        }
        routes.add(APIRoutes.registerChannel) { request, context in
            guard let text = context.parameters.get("id"), let id = DocumentID(string: text) else {
                throw APIError(status: .notFound, code: "not_found", message: "No channel has this id.")
            }
            let body = try await request.decodeJSON(as: RegisterBody.self, context: context)
            return try jsonResponse(channels.view(try await signup.register(id, pin: body.pin, by: context.requester)))
        }
    }
}

/// The body of POST /api/v1/channels/embedded-signup: the pop-up's code (it lives ~30 s), the
/// ids of its FINISH message when the browser got one, and the number's PIN when given.
struct EmbeddedSignupBody: Decodable {
    let code: String
    let waba_id: String?, phone_number_id: String?, pin: String?
}

struct RegisterBody: Decodable {
    let pin: String
}

/// GET /api/v1/channels/embedded-signup: public values only (never the app secret).
struct EmbeddedSignupConfigView: Encodable {
    let enabled: Bool
    let app_id: String?, config_id: String?
    let graph_version: String
    let missing: [String]

    init(_ config: EmbeddedSignup.PublicConfiguration) {
        (enabled, app_id, config_id, graph_version, missing) = (config.enabled, config.appID, config.loginConfigID, config.graphVersion, config.missing)
    }

    enum CodingKeys: String, CodingKey { case enabled, app_id, config_id, graph_version, missing }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(enabled, forKey: .enabled); try c.encode(app_id, forKey: .app_id); try c.encode(config_id, forKey: .config_id)
        try c.encode(graph_version, forKey: .graph_version); try c.encode(missing, forKey: .missing)
    }
}

/// What a signup connected: the account and each number with what became of it.
struct EmbeddedSignupView: Encodable {
    struct Item: Encodable {
        let channel: ChannelView
        let created: Bool
        let registration: String
        let registration_error: String?

        enum CodingKeys: String, CodingKey { case channel, created, registration, registration_error }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(channel, forKey: .channel); try c.encode(created, forKey: .created)
            try c.encode(registration, forKey: .registration); try c.encode(registration_error, forKey: .registration_error)
        }
    }
    let waba_id: String
    let items: [Item]

    init(_ outcome: EmbeddedSignup.Outcome, channels: ChannelSettings) {
        waba_id = outcome.wabaID
        items = outcome.numbers.map { Item(channel: channels.view($0.channel), created: $0.created,
                                           registration: $0.registration.rawValue, registration_error: $0.registrationError) }
    }
}
