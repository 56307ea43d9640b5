import Desk
import Foundation
import HTTPTypes
import Hummingbird
import Storage

/// Chats: conversations, their messages, sending, contacts and media. Agents see only the
/// conversations assigned to them (Desk answers "not found" for the others).
struct InboxController {
    let inbox: Inbox
    let outbox: Outbox

    func addRoutes(to routes: RouteRegistrar) {
        routes.add(APIRoutes.listConversations) { request, context in
            let query = request.uri.queryParameters.plain
            let filter = try query["filter"].map { text in
                guard let filter = ConversationFilter(rawValue: text) else {
                    throw DeskError.invalid("filter", "The filter is one of: \(ConversationFilter.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
                return filter
            } ?? .all
            let listing = try inbox.conversations(filter, search: query["q"], page: try PageRequest(query: query), for: context.requester)
            return try jsonResponse(ListView(items: listing.items, next_cursor: listing.nextCursor))
        }
        routes.add(APIRoutes.getConversation) { _, context in
            try jsonResponse(try inbox.conversation(try id(context, "conversation"), for: context.requester))
        }
        routes.add(APIRoutes.updateConversation) { request, context in
            let id = try id(context, "conversation")
            let body = try await request.decodeJSON(as: ConversationPatch.self, context: context)
            var change = ConversationChange(aiEnabled: body.ai_enabled)
            if let status = body.status {
                guard let parsed = ConversationStatus(rawValue: status) else {
                    throw DeskError.invalid("status", "The status is one of: open, pending_human, archived, blocked.")
                }
                change.status = parsed
            }
            switch body.assignee_id {
            case .none: break
            case .some(.none): change.assignee = .some(nil)
            case .some(.some(let text)):
                guard let staff = StaffID(text) else { throw DeskError.invalid("assignee_id", "No enabled staff member has this id.") }
                change.assignee = .some(staff)
            }
            return try jsonResponse(try await inbox.update(id, change, by: context.requester))
        }
        routes.add(APIRoutes.listMessages) { request, context in
            let listing = try inbox.messages(in: try id(context, "conversation"), page: try PageRequest(query: request.uri.queryParameters.plain),
                                             for: context.requester)
            return try jsonResponse(ListView(items: listing.items.map(MessageView.init), next_cursor: listing.nextCursor))
        }
        routes.add(APIRoutes.sendMessage) { request, context in
            struct Template: Decodable { let name: String, language: String, parameters: [String]? }
            struct Body: Decodable { let text: String?, template: Template?, reply_to: String? }
            let conversation = try id(context, "conversation")
            let body = try await request.decodeJSON(as: Body.self, context: context)
            let draft: OutboundDraft
            switch (body.text, body.template) {
            case (let text?, nil): draft = .text(text)
            case (nil, let template?): draft = .template(TemplateUse(name: template.name, language: template.language, parameters: template.parameters ?? []))
            default: throw DeskError.invalid("text", "Send either text or a template.")
            }
            var replyTo: DocumentID?
            if let reply = body.reply_to {
                guard let parsed = DocumentID(string: reply) else { throw DeskError.invalid("reply_to", "The message replied to is not in this conversation.") }
                replyTo = parsed
            }
            let message = try await outbox.send(draft, in: conversation, replyTo: replyTo, by: context.requester)
            return try jsonResponse(MessageView(message), status: .created)
        }
        routes.add(APIRoutes.markRead) { _, context in
            try await inbox.markRead(try id(context, "conversation"), by: context.requester)
            return Response(status: .noContent)
        }
        routes.add(APIRoutes.getMessage) { _, context in
            try jsonResponse(MessageView(try inbox.message(try id(context, "message"), for: context.requester)))
        }
        routes.add(APIRoutes.findMessages) { request, context in
            guard let providerID = request.uri.queryParameters.plain["provider_id"] else {
                throw DeskError.invalid("provider_id", "Give the provider's message id: ?provider_id=wamid.…")
            }
            let message = try inbox.message(providerID: providerID, for: context.requester)
            return try jsonResponse(ListView(items: [MessageView(message)], next_cursor: nil))
        }
        routes.add(APIRoutes.retryMessage) { _, context in
            try jsonResponse(MessageView(try await outbox.retry(try id(context, "message"), by: context.requester)))
        }
        routes.add(APIRoutes.getMedia) { _, context in
            let file = try inbox.media(of: try id(context, "message"), for: context.requester)
            var headers: HTTPFields = [.contentType: file.mimeType, .cacheControl: "private, max-age=3600"]
            // Never rendered inline as a page of ours: a file staff open is a download or an image.
            headers[.contentDisposition] = file.mimeType.hasPrefix("image/") || file.mimeType.hasPrefix("audio/") || file.mimeType.hasPrefix("video/")
                ? "inline" : "attachment"
            headers[HTTPField.Name("Content-Security-Policy")!] = "default-src 'none'; sandbox"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
        }
        routes.add(APIRoutes.listContacts) { request, _ in
            let query = request.uri.queryParameters.plain
            let listing = try inbox.contacts(search: query["q"], page: try PageRequest(query: query))
            return try jsonResponse(ListView(items: listing.items.map(ContactView.init), next_cursor: listing.nextCursor))
        }
        routes.add(APIRoutes.getContact) { _, context in
            try jsonResponse(ContactView(try inbox.contact(try id(context, "contact"))))
        }
        routes.add(APIRoutes.updateContact) { request, context in
            let body = try await request.decodeJSON(as: ContactPatch.self, context: context)
            let change = ContactChange(name: body.name, tags: body.tags, notes: body.notes, blocked: body.blocked, optedOut: body.opted_out)
            return try jsonResponse(ContactView(try await inbox.updateContact(try id(context, "contact"), change, by: context.requester)))
        }
    }

    /// An id that is not one of ours names nothing: 404, as for an unknown one.
    private func id(_ context: StaffContext, _ kind: String) throws -> DocumentID {
        guard let text = context.parameters.get("id"), let id = DocumentID(string: text) else {
            throw APIError(status: .notFound, code: "not_found", message: "No \(kind) has this id.")
        }
        return id
    }
}

/// `PATCH /conversations/{id}`: an absent key leaves a field alone; `"assignee_id": null` unassigns.
struct ConversationPatch: Decodable {
    let assignee_id: String??
    let status: String?
    let ai_enabled: Bool?
    enum CodingKeys: String, CodingKey { case assignee_id, status, ai_enabled }
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        assignee_id = c.contains(.assignee_id) ? .some(try c.decodeIfPresent(String.self, forKey: .assignee_id)) : nil
        status = try c.decodeIfPresent(String.self, forKey: .status)
        ai_enabled = try c.decodeIfPresent(Bool.self, forKey: .ai_enabled)
    }
}

/// `PATCH /contacts/{id}`: `"name": null` clears the name staff gave.
struct ContactPatch: Decodable {
    let name: String??
    let tags: [String]?
    let notes: String?
    let blocked: Bool?
    let opted_out: Bool?
    enum CodingKeys: String, CodingKey { case name, tags, notes, blocked, opted_out }
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = c.contains(.name) ? .some(try c.decodeIfPresent(String.self, forKey: .name)) : nil
        tags = try c.decodeIfPresent([String].self, forKey: .tags)
        notes = try c.decodeIfPresent(String.self, forKey: .notes)
        blocked = try c.decodeIfPresent(Bool.self, forKey: .blocked)
        opted_out = try c.decodeIfPresent(Bool.self, forKey: .opted_out)
    }
}
