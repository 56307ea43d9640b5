public import Foundation
import Channels
import Logging
public import Storage

/// A WhatsApp message template of one business number's account (§3), as last synced or as the
/// status webhook reported it.
public struct MessageTemplate: Codable, Sendable, Equatable {
    public let id: DocumentID
    public let channelID: DocumentID
    /// Meta's template id.
    public var providerID: String?
    public var name: String
    public var language: String
    public var category: String
    /// `APPROVED`, `PENDING`, `REJECTED`, `PAUSED`, … (only APPROVED can be sent).
    public var status: String
    /// Why Meta rejected or paused it, when it said.
    public var statusReason: String?
    /// The `components` array as Meta holds it (JSON text).
    public var components: String
    public var updatedAt: Date

    static func nameKey(_ channel: DocumentID, _ name: String, _ language: String) -> Key {
        Key(Key(channel), Key(name), Key(language))
    }

    /// The body's text, `{{1}}`… as written.
    public var body: String {
        let parsed = (try? JSONSerialization.jsonObject(with: Data(components.utf8))) as? [[String: Any]] ?? []
        return parsed.first { ($0["type"] as? String)?.uppercased() == "BODY" }?["text"] as? String ?? ""
    }

    /// How many positional parameters the body takes (the highest `{{n}}`).
    public var parameterCount: Int {
        var highest = 0
        var rest = Substring(body)
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            guard let close = rest.range(of: "}}") else { break }
            if let n = Int(rest[..<close.lowerBound].trimmingCharacters(in: .whitespaces)) { highest = max(highest, n) }
            rest = rest[close.upperBound...]
        }
        return highest
    }

    /// The body with the values filled in (the preview staff see, and the text kept in the thread).
    public func render(_ parameters: [String]) -> String {
        var text = body
        for (index, value) in parameters.enumerated() { text = text.replacingOccurrences(of: "{{\(index + 1)}}", with: value) }
        return text
    }
}

/// Templates, managed here (Settings and the composer's picker): synced from each number's
/// account, submitted for approval, deleted, and kept current by the status webhook.
public final class Templates: Sendable {
    let core: DeskCore
    let channels: ChannelSettings
    let graph: WhatsAppClient

    init(core: DeskCore, channels: ChannelSettings, graph: WhatsAppClient) {
        (self.core, self.channels, self.graph) = (core, channels, graph)
    }

    public func list(channel: DocumentID?) throws -> [MessageTemplate] {
        try core.store.read { txn in
            try Collections.templates.page(limit: 5000, in: txn).items.filter { channel == nil || $0.channelID == channel }
        }
    }

    /// What a sync did: how many templates are stored now, and each number it could not read.
    public struct SyncReport: Sendable {
        public var stored = 0
        /// One sentence per number Meta refused (or that has no token), naming the number.
        public var failures: [String] = []
    }

    /// Reads every connected number's templates from Meta and stores them; templates Meta no
    /// longer has are removed. A number Meta refuses is reported and the others still sync;
    /// when every number fails, the sync fails (502 `provider_refused`).
    @discardableResult
    public func sync(by requester: Requester) async throws -> SyncReport {
        var report = SyncReport()
        // Templates are WhatsApp's: Twilio numbers have none.
        let numbers = try channels.list().filter { $0.kind == .whatsapp }
        var tokenless = 0
        for channel in numbers {
            guard let token = try channels.secret(.accessToken, of: channel.id) else {
                report.failures.append("\(channel.name): no access token is set.")
                tokenless += 1
                continue
            }
            let remote: [GraphTemplate]
            switch await graph.templates(waba: channel.wabaID, token: token) {
            case .success(let found): remote = found
            case .failure(let failure):
                report.failures.append("\(channel.name): " + Self.refused("list the templates", failure).message)
                continue
            }
            let at = core.now
            let ids = remote.map { _ in core.newID() }
            let audit = core.auditRecord(.templatesSynced, object: "channel:\(channel.id)", by: requester)
            report.stored += try await core.store.write { txn -> Int in
                var keep = Set<Key>()
                for (template, newID) in zip(remote, ids) {
                    let key = MessageTemplate.nameKey(channel.id, template.name, template.language)
                    keep.insert(key)
                    var stored = try Collections.templates.get(unique: "name", key, in: txn)
                        ?? MessageTemplate(id: newID, channelID: channel.id, providerID: nil, name: template.name, language: template.language,
                                           category: "", status: "", statusReason: nil, components: "[]", updatedAt: at)
                    (stored.providerID, stored.category, stored.status, stored.components, stored.updatedAt) =
                        (template.id, template.category, template.status.uppercased(), template.components, at)
                    stored.statusReason = template.rejectedReason
                    try Collections.templates.put(stored, in: txn)
                }
                for stale in try Collections.templates.page(limit: 5000, in: txn).items
                where stale.channelID == channel.id && !keep.contains(MessageTemplate.nameKey(channel.id, stale.name, stale.language)) {
                    try Collections.templates.delete(Key(stale.id), in: txn)
                }
                try self.core.audit(audit, in: txn)
                return remote.count
            }
        }
        if !numbers.isEmpty, report.failures.count == numbers.count {
            // Meta was never asked when no number has a token: that is ours to fix, not Meta's refusal.
            throw DeskError(tokenless == numbers.count ? .notConfigured : .providerRefused, report.failures.joined(separator: " "))
        }
        return report
    }

    public func get(_ id: DocumentID) throws -> MessageTemplate {
        guard let template = try core.store.read({ txn in try Collections.templates.get(Key(id), in: txn) }) else {
            throw DeskError(.notFound, "No template has this id.")
        }
        return template
    }

    /// Submits a new template to the number's account for approval (§3.1) and keeps it, PENDING
    /// (or as Meta answered), until the status webhook or a sync moves it.
    public func create(_ draft: TemplateDraft, by requester: Requester) async throws -> MessageTemplate {
        let channel = try channels.get(draft.channelID)
        let checked = try draft.checked()
        let token = try accessToken(channel)
        let exists = try core.store.read { txn in
            try Collections.templates.get(unique: "name", MessageTemplate.nameKey(channel.id, checked.name, checked.language), in: txn) != nil
        }
        if exists { throw DeskError(.conflict, "A template \(checked.name) (\(checked.language)) already exists on this number.", field: "name") }
        let answer = await graph.createTemplate(waba: channel.wabaID, name: checked.name, language: checked.language,
                                                category: checked.category, components: checked.componentsArray, token: token)
        let created: (id: String, status: String)
        switch answer {
        case .success(let value): created = value
        case .failure(let failure): throw TemplateRefusal.error("create the template", failure, components: checked.componentsArray)
        }
        let at = core.now
        let template = MessageTemplate(id: core.newID(), channelID: channel.id, providerID: created.id.isEmpty ? nil : created.id,
                                       name: checked.name, language: checked.language, category: checked.category,
                                       status: created.status.uppercased(), statusReason: nil, components: checked.components, updatedAt: at)
        let audit = core.auditRecord(.templateCreated, object: "template:\(template.id)", by: requester)
        do {
            try await core.store.write { txn in
                try Collections.templates.insert(template, in: txn)
                try self.core.audit(audit, in: txn)
            }
        } catch let error as StorageError where error.code == .keyExists {
            // Two creates of one name at once: Meta took one of them; a sync shows which.
            throw DeskError(.conflict, "A template \(checked.name) (\(checked.language)) was just created on this number; sync to see it.", field: "name")
        }
        core.publish(.templateUpdated(template))
        return template
    }

    /// Replaces a template's components (only approved, rejected or paused ones can be edited;
    /// Meta reviews it again, so it is PENDING until the status webhook says otherwise).
    public func edit(_ id: DocumentID, components: String, by requester: Requester) async throws -> MessageTemplate {
        var template = try get(id)
        guard ["APPROVED", "REJECTED", "PAUSED"].contains(template.status) else {
            throw DeskError(.conflict, "A \(template.status.lowercased()) template cannot be edited; only approved, rejected or paused ones can.")
        }
        guard let providerID = template.providerID else { throw DeskError(.conflict, "This template has no Meta id yet; sync the templates first.") }
        let checked = try TemplateDraft(channelID: template.channelID, name: template.name, language: template.language,
                                        category: template.category, components: components).checked()
        let token = try accessToken(try channels.get(template.channelID))
        if case .failure(let failure) = await graph.editTemplate(id: providerID, components: checked.componentsArray, token: token) {
            throw TemplateRefusal.error("edit the template", failure, components: checked.componentsArray)
        }
        (template.components, template.status, template.statusReason, template.updatedAt) = (checked.components, "PENDING", nil, core.now)
        let updated = template
        let audit = core.auditRecord(.templateUpdated, object: "template:\(id)", by: requester)
        try await core.store.write { txn in
            guard try Collections.templates.get(Key(id), in: txn) != nil else { throw DeskError(.notFound, "No template has this id.") }
            try Collections.templates.put(updated, in: txn)
            try self.core.audit(audit, in: txn)
        }
        core.publish(.templateUpdated(updated))
        return updated
    }

    /// Deletes a template at Meta (this language only) and here.
    public func delete(_ id: DocumentID, by requester: Requester) async throws {
        let template = try get(id)
        if let providerID = template.providerID {
            let channel = try channels.get(template.channelID)
            let token = try accessToken(channel)
            if case .failure(let failure) = await graph.deleteTemplate(waba: channel.wabaID, id: providerID, name: template.name, token: token) {
                throw Self.refused("delete the template", failure)
            }
        }
        let audit = core.auditRecord(.templateDeleted, object: "template:\(id)", by: requester)
        try await core.store.write { txn in
            _ = try Collections.templates.delete(Key(id), in: txn)
            try self.core.audit(audit, in: txn)
        }
        core.publish(.templateDeleted(id: id.description))
    }

    private func accessToken(_ channel: BusinessNumber) throws -> String {
        guard let token = try channels.secret(.accessToken, of: channel.id) else {
            throw DeskError(.conflict, "The number \(channel.name) has no access token; set one in Settings → Channels.")
        }
        return token
    }

    /// A refusal about the account, not a field of the request (listing, deleting).
    private static func refused(_ what: String, _ failure: SendFailure) -> DeskError {
        DeskError(.providerRefused, "WhatsApp refused to \(what): \(failure.message)" + (failure.providerCode.map { " (code \($0))" } ?? ""))
    }

    // MARK: Used by the inbox and the outbox

    /// The approved template `use` names on `channel`, with the right number of parameters.
    static func approved(_ use: TemplateUse, channel: DocumentID, in txn: borrowing some TransactionReading & ~Copyable) throws -> MessageTemplate {
        guard let template = try Collections.templates.get(unique: "name", MessageTemplate.nameKey(channel, use.name, use.language), in: txn) else {
            throw DeskError.invalid("template", "No template \(use.name) (\(use.language)) is known for this number; sync the templates.")
        }
        guard template.status == "APPROVED" else {
            throw DeskError.invalid("template", "The template \(use.name) is \(template.status.lowercased()); only approved templates can be sent.")
        }
        guard use.parameters.count == template.parameterCount else {
            throw DeskError.invalid("template", "The template \(use.name) takes \(template.parameterCount) parameters; \(use.parameters.count) were given.")
        }
        guard use.parameters.allSatisfy({ (1...1024).contains($0.count) && !$0.contains("\n") }) else {
            throw DeskError.invalid("template", "Each parameter is 1 to 1024 characters on one line.")
        }
        return template
    }

    /// The approved templates of `channel` ("name (language)"), for `customer_window_closed`.
    static func approvedNames(channel: DocumentID, in txn: borrowing some TransactionReading & ~Copyable) throws -> [String] {
        try Collections.templates.page(limit: 5000, in: txn).items
            .filter { $0.channelID == channel && $0.status == "APPROVED" }
            .map { "\($0.name) (\($0.language))" }
    }

    /// Applies a `message_template_status_update` webhook change (§3.4); returns 1 if a stored
    /// template changed.
    static func apply(statusUpdate change: WhatsAppWebhook.Change, in txn: borrowing WriteTransaction, at: Date) throws -> [MessageTemplate] {
        guard let value = (try? JSONSerialization.jsonObject(with: Data(change.rawValue.utf8))) as? [String: Any],
              let event = value["event"] as? String else { return [] }
        let providerID = (value["message_template_id"] as? NSNumber)?.stringValue ?? value["message_template_id"] as? String
        guard let providerID else { return [] }
        let page = try Collections.templates.page(index: "provider", equals: Key(providerID), limit: 10, in: txn)
        var changed: [MessageTemplate] = []
        for var template in page.items {
            template.status = event.uppercased()
            template.statusReason = (value["reason"] as? String).flatMap { $0 == "NONE" ? nil : $0 }
                ?? ((value["other_info"] as? [String: Any])?["title"] as? String)
            template.updatedAt = at
            try Collections.templates.put(template, in: txn)
            changed.append(template)
        }
        return changed
    }
}
