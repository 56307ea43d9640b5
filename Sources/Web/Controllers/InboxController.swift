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
            let conversation = try id(context, "conversation")
            let body = try await request.decodeJSON(as: SendMessageBody.self, context: context)
            var replyTo: DocumentID?
            if let reply = body.reply_to {
                guard let parsed = DocumentID(string: reply) else { throw DeskError.invalid("reply_to", "The message replied to is not in this conversation.") }
                replyTo = parsed
            }
            let message = try await outbox.send(try body.draft(), in: conversation, replyTo: replyTo, by: context.requester)
            return try jsonResponse(MessageView(message), status: .created)
        }
        routes.add(APIRoutes.uploadMedia) { request, context in
            // The body is the file itself, its type in Content-Type: no multipart to parse, and
            // the type and size are checked before a byte is read.
            let rule = try outbox.uploadRule(for: request.headers[.contentType] ?? "")
            if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > rule.limit {
                throw Outbox.tooLarge(rule.kind, limit: rule.limit, size: length)
            }
            let buffer = try await request.collectedBody(upTo: rule.limit) { Outbox.tooLarge(rule.kind, limit: rule.limit, size: nil) }
            let upload = try await outbox.upload(Array(buffer.readableBytesView), mimeType: request.headers[.contentType] ?? "",
                                                 filename: request.uri.queryParameters.plain["filename"], by: context.requester)
            return try jsonResponse(UploadView(upload), status: .created)
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
            let change = ContactChange(name: body.name, tags: body.tags, notes: body.notes, blocked: body.blocked, optedOut: body.opted_out,
                                       dismissTags: body.dismiss_tags)
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

/// `POST /conversations/{id}/messages`: exactly one of text, template, media or interactive.
struct SendMessageBody: Decodable {
    struct Template: Decodable { let name: String, language: String, parameters: [String]? }
    struct Media: Decodable { let kind: String?, upload_id: String?, link: String?, caption: String?, filename: String? }
    struct Choice: Decodable { let id: String, title: String, description: String? }
    struct Section: Decodable { let title: String?, rows: [Choice] }
    struct Interactive: Decodable {
        let type: String, body: String, header: String?, footer: String?
        let buttons: [Choice]?, button: String?, sections: [Section]?
    }
    let text: String?
    let template: Template?
    let media: Media?
    let interactive: Interactive?
    let reply_to: String?

    func draft() throws -> OutboundDraft {
        let given = [text != nil, template != nil, media != nil, interactive != nil].filter { $0 }.count
        guard given == 1 else { throw DeskError.invalid("text", "Send exactly one of text, template, media or interactive.") }
        if let text { return .text(text) }
        if let template { return .template(TemplateUse(name: template.name, language: template.language, parameters: template.parameters ?? [])) }
        if let media {
            var kind: MediaKind?
            if let name = media.kind {
                guard let parsed = MediaKind(rawValue: name) else {
                    throw DeskError.invalid("media.kind", "The kind is one of: image, audio, video, document, sticker.")
                }
                kind = parsed
            }
            let source: MediaDraft.Source
            switch (media.upload_id, media.link) {
            case (let upload?, nil):
                guard let id = DocumentID(string: upload) else {
                    throw DeskError.invalid("media.upload_id", "No file you uploaded has this id; upload it first.")
                }
                source = .upload(id)
            case (nil, let link?): source = .link(link)
            default: throw DeskError.invalid("media.upload_id", "Give exactly one of upload_id (a file uploaded to /api/v1/uploads) or link.")
            }
            return .media(MediaDraft(kind: kind, source: source, caption: media.caption, filename: media.filename))
        }
        let interactive = interactive!
        let choice = { (c: Choice) in InteractiveContent.Choice(id: c.id, title: c.title, description: c.description) }
        switch interactive.type {
        case "button":
            var content = InteractiveContent.buttons(body: interactive.body, header: interactive.header, footer: interactive.footer,
                                                     (interactive.buttons ?? []).map(choice))
            content.button = interactive.button
            content.sections = (interactive.sections ?? []).map { InteractiveContent.Section(title: $0.title, rows: $0.rows.map(choice)) }
            return .interactive(content)
        case "list":
            guard let button = interactive.button else {
                throw DeskError.invalid("interactive.button", "A list needs the label of the button that opens it.")
            }
            var content = InteractiveContent.list(body: interactive.body, button: button, header: interactive.header, footer: interactive.footer,
                                                  (interactive.sections ?? []).map { InteractiveContent.Section(title: $0.title, rows: $0.rows.map(choice)) })
            content.buttons = (interactive.buttons ?? []).map(choice)
            return .interactive(content)
        default:
            throw DeskError.invalid("interactive.type", "The type is button (reply buttons) or list.")
        }
    }
}

/// The Upload object: a file kept to be sent.
struct UploadView: Encodable {
    let upload: MediaUpload
    init(_ upload: MediaUpload) { self.upload = upload }
    enum CodingKeys: String, CodingKey { case id, kind, mime_type, filename, size, created_at }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(upload.id.description, forKey: .id)
        try c.encode(upload.kind.rawValue, forKey: .kind)
        try c.encode(upload.mimeType, forKey: .mime_type)
        try c.encode(upload.filename, forKey: .filename)
        try c.encode(upload.size, forKey: .size)
        try c.encode(upload.createdAt.formatted(.iso8601), forKey: .created_at)
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
    /// Suggested tags staff dismissed.
    let dismiss_tags: [String]?
    enum CodingKeys: String, CodingKey { case name, tags, notes, blocked, opted_out, dismiss_tags }
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = c.contains(.name) ? .some(try c.decodeIfPresent(String.self, forKey: .name)) : nil
        tags = try c.decodeIfPresent([String].self, forKey: .tags)
        notes = try c.decodeIfPresent(String.self, forKey: .notes)
        blocked = try c.decodeIfPresent(Bool.self, forKey: .blocked)
        opted_out = try c.decodeIfPresent(Bool.self, forKey: .opted_out)
        dismiss_tags = try c.decodeIfPresent([String].self, forKey: .dismiss_tags)
    }
}
