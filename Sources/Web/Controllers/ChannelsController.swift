import Desk
import Foundation
import Hummingbird
import Storage

/// Settings → Channels (Admin): connect a WhatsApp number, change or rotate its secrets (never
/// shown again), test the connection, disconnect. And the templates the composer offers.
struct ChannelsController {
    let channels: ChannelSettings
    let templates: Templates

    func addRoutes(to routes: RouteRegistrar) {
        routes.add(APIRoutes.listChannels) { _, _ in
            let views = try channels.list().map { channels.view($0) }
            return try jsonResponse(ListView(items: views, next_cursor: nil))
        }
        routes.add(APIRoutes.getChannel) { _, context in
            let channel = try channels.get(try id(context))
            return try jsonResponse(channels.view(channel))
        }
        routes.add(APIRoutes.createChannel) { request, context in
            let body = try await request.decodeJSON(as: ChannelBody.self, context: context)
            let channel = try await channels.create(body.input, by: context.requester)
            return try jsonResponse(channels.view(channel), status: .created)
        }
        routes.add(APIRoutes.updateChannel) { request, context in
            let body = try await request.decodeJSON(as: ChannelBody.self, context: context)
            if let status = body.status, status != "active" {
                throw DeskError.invalid("status", "Only \"active\" can be set (a channel is paused by the provider refusing its token).")
            }
            let channel = try await channels.update(try id(context), body.input, resume: body.status == "active", by: context.requester)
            return try jsonResponse(channels.view(channel))
        }
        routes.add(APIRoutes.deleteChannel) { _, context in
            try await channels.delete(try id(context), by: context.requester)
            return Response(status: .noContent)
        }
        routes.add(APIRoutes.testChannel) { _, context in
            let details = try await channels.test(try id(context))
            return try jsonResponse(ChannelTestView(ok: true, details: details))
        }
        routes.add(APIRoutes.listTemplates) { request, _ in
            var channel: DocumentID?
            if let text = request.uri.queryParameters.plain["channel_id"] {
                guard let parsed = DocumentID(string: text) else { throw DeskError.invalid("channel_id", "No channel has this id.") }
                channel = parsed
            }
            return try jsonResponse(ListView(items: try templates.list(channel: channel).map(TemplateView.init), next_cursor: nil))
        }
        routes.add(APIRoutes.syncTemplates) { _, context in
            let report = try await templates.sync(by: context.requester)
            return try jsonResponse(TemplateSyncView(items: try templates.list(channel: nil).map(TemplateView.init), failures: report.failures))
        }
        routes.add(APIRoutes.getTemplate) { _, context in
            try jsonResponse(TemplateView(try templates.get(try id(context, "template"))))
        }
        routes.add(APIRoutes.createTemplate) { request, context in
            let body = try await request.decodeJSON(as: TemplateCreateBody.self, context: context)
            guard let channel = DocumentID(string: body.channel_id) else { throw DeskError.invalid("channel_id", "No channel has this id.") }
            let draft = TemplateDraft(channelID: channel, name: body.name, language: body.language, category: body.category,
                                      components: body.components.text)
            return try jsonResponse(TemplateView(try await templates.create(draft, by: context.requester)), status: .created)
        }
        routes.add(APIRoutes.updateTemplate) { request, context in
            let body = try await request.decodeJSON(as: TemplateUpdateBody.self, context: context)
            let template = try await templates.edit(try id(context, "template"), components: body.components.text, by: context.requester)
            return try jsonResponse(TemplateView(template))
        }
        routes.add(APIRoutes.deleteTemplate) { _, context in
            try await templates.delete(try id(context, "template"), by: context.requester)
            return Response(status: .noContent)
        }
    }

    private func id(_ context: StaffContext, _ object: String = "channel") throws -> DocumentID {
        guard let text = context.parameters.get("id"), let id = DocumentID(string: text) else {
            throw APIError(status: .notFound, code: "not_found", message: "No \(object) has this id.")
        }
        return id
    }
}

/// The body of create and update: secrets are write-only.
struct ChannelBody: Decodable {
    let name: String?, phone_number_id: String?, waba_id: String?, display_phone: String?
    let access_token: String?, app_secret: String?, verify_token: String?
    let status: String?

    var input: ChannelInput {
        var secrets: [ChannelSecret: String] = [:]
        secrets[.accessToken] = access_token
        secrets[.appSecret] = app_secret
        secrets[.verifyToken] = verify_token
        return ChannelInput(name: name, phoneNumberID: phone_number_id, wabaID: waba_id, displayPhone: display_phone, secrets: secrets)
    }
}

struct ChannelTestView: Encodable {
    let ok: Bool
    let details: [String: String]
}

/// The body of POST /api/v1/templates: `components` as Meta defines them (§3.1).
struct TemplateCreateBody: Decodable {
    let channel_id: String, name: String, language: String, category: String
    let components: JSONValue
}

/// The body of PATCH /api/v1/templates/{id}: edits replace all components.
struct TemplateUpdateBody: Decodable {
    let components: JSONValue
}

/// The answer of a sync: every template stored now, and the numbers Meta refused.
struct TemplateSyncView: Encodable {
    let items: [TemplateView]
    let failures: [String]
}
