public import Foundation
import Logging
public import Storage

/// Limits of the inbox.
public struct InboxConfiguration: Sendable {
    /// Whether a new conversation starts with the assistant allowed to answer.
    public var aiEnabledByDefault = true
    /// The largest inbound file kept (16 MiB: WhatsApp's audio and video limit).
    public var maxMediaBytes = 16 << 20
    /// MIME types whose files are kept (WhatsApp's supported types, §2.8).
    public var mediaTypes: Set<String> = [
        "image/jpeg", "image/png", "image/webp", "audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg",
        "video/mp4", "video/3gpp", "text/plain", "application/pdf", "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ]
    /// The raw webhook log keeps each delivery this long (14 days: long enough to look into a
    /// problem; the messages themselves are kept for ever).
    public var webhookLogRetention: TimeInterval = 14 * 24 * 60 * 60
    public init() {}
}

/// Which conversations a list shows.
public enum ConversationFilter: String, Sendable, CaseIterable {
    case all, mine, unassigned
    case pendingHuman = "pending_human"
    case archived, blocked
}

/// A change staff make to a conversation (nil: unchanged).
public struct ConversationChange: Sendable {
    /// `.some(nil)` unassigns.
    public var assignee: StaffID??
    public var status: ConversationStatus?
    public var aiEnabled: Bool?
    public init(assignee: StaffID?? = nil, status: ConversationStatus? = nil, aiEnabled: Bool? = nil) {
        (self.assignee, self.status, self.aiEnabled) = (assignee, status, aiEnabled)
    }
}

/// A change staff make to a contact (nil: unchanged).
public struct ContactChange: Sendable {
    public var name: String??
    public var tags: [String]?
    public var notes: String?
    public var blocked: Bool?
    public var optedOut: Bool?
    /// Suggested tags staff dismissed: never suggested again. (Accepting one is adding it to `tags`.)
    public var dismissTags: [String]?
    public init(name: String?? = nil, tags: [String]? = nil, notes: String? = nil, blocked: Bool? = nil, optedOut: Bool? = nil,
                dismissTags: [String]? = nil) {
        (self.name, self.tags, self.notes, self.blocked, self.optedOut) = (name, tags, notes, blocked, optedOut)
        self.dismissTags = dismissTags
    }
}

/// Contacts, conversations and messages (seed 004): what webhooks store and staff read and
/// change. Agents see only the conversations assigned to them; everyone with Chats access sees all.
public final class Inbox: Sendable {
    let core: DeskCore
    let channels: ChannelSettings
    let configuration: InboxConfiguration

    init(core: DeskCore, channels: ChannelSettings, configuration: InboxConfiguration) {
        (self.core, self.channels, self.configuration) = (core, channels, configuration)
    }

    // MARK: Reading

    /// Conversations, most recent activity first, that `requester` may see.
    public func conversations(_ filter: ConversationFilter, search: String?, page: PageRequest,
                              for requester: Requester) throws -> Listing<ConversationView> {
        let needle = search.map(Self.fold).flatMap { $0.isEmpty ? nil : $0 }
        if let needle, needle.count > 200 { throw DeskError.invalid("q", "The search text is at most 200 characters.") }
        return try core.store.read { txn in
            var items: [ConversationView] = []
            var after = page.after
            var next: Key?
            scan: while true {
                let batch = try Collections.conversations.page(index: "recent", after: after, limit: 100, in: txn)
                for (offset, conversation) in batch.items.enumerated() {
                    guard Self.may(requester, see: conversation), Self.matches(conversation, filter, requester) else { continue }
                    guard let contact = try Collections.contacts.get(Key(conversation.contactID), in: txn) else { continue }
                    if let needle, !(try Self.matches(conversation, contact: contact, needle: needle, in: txn)) { continue }
                    items.append(ConversationView(conversation, contact: contact))
                    if items.count == page.limit {
                        // The cursor is the index entry of this conversation: its position.
                        if offset < batch.items.count - 1 || batch.nextCursor != nil {
                            next = try Collections.conversations.indexEntries("recent", of: conversation).first
                        }
                        break scan
                    }
                }
                guard let cursor = batch.nextCursor else { break }
                after = cursor
            }
            return Listing(items: items, nextCursor: next?.base64url)
        }
    }

    /// One conversation, if `requester` may see it (otherwise: not found).
    public func conversation(_ id: DocumentID, for requester: Requester) throws -> ConversationView {
        try core.store.read { txn in try self.visible(id, for: requester, in: txn) }
    }

    /// A conversation's messages, newest first.
    public func messages(in id: DocumentID, page: PageRequest, for requester: Requester) throws -> Listing<Message> {
        try core.store.read { txn in
            _ = try self.visible(id, for: requester, in: txn)
            let result = try Collections.messages.page(index: "conversation", equals: Key(id), after: page.after,
                                                       limit: page.limit, reverse: true, in: txn)
            return Listing(items: result.items, nextCursor: result.nextCursor?.base64url)
        }
    }

    /// One message, if `requester` may see its conversation.
    public func message(_ id: DocumentID, for requester: Requester) throws -> Message {
        try core.store.read { txn in
            guard let message = try Collections.messages.get(Key(id), in: txn) else { throw DeskError(.notFound, "No message has this id.") }
            _ = try self.visible(message.conversationID, for: requester, in: txn)
            return message
        }
    }

    /// The message with the provider's id (an integration's lookup), if `requester` may see it.
    public func message(providerID: String, for requester: Requester) throws -> Message {
        guard (1...256).contains(providerID.utf8.count) else { throw DeskError.invalid("provider_id", "The provider id is 1 to 256 characters.") }
        return try core.store.read { txn in
            guard let message = try Collections.messages.get(unique: "provider", Key(providerID), in: txn) else {
                throw DeskError(.notFound, "No message has this provider id.")
            }
            _ = try self.visible(message.conversationID, for: requester, in: txn)
            return message
        }
    }

    /// A stored media file's bytes and type, for staff who may see the message.
    public func media(of messageID: DocumentID, for requester: Requester) throws -> (bytes: [UInt8], mimeType: String, filename: String?) {
        try core.store.read { txn in
            guard let message = try Collections.messages.get(Key(messageID), in: txn) else { throw DeskError(.notFound, "No message has this id.") }
            _ = try self.visible(message.conversationID, for: requester, in: txn)
            guard let media = message.content.media, let digest = media.digest,
                  let bytes = try Collections.media.get(Key(digest), in: txn) else {
                throw DeskError(.notFound, "This message's file is not stored (yet).")
            }
            return (bytes, media.mimeType ?? "application/octet-stream", media.filename)
        }
    }

    public func contacts(search: String?, page: PageRequest) throws -> Listing<Contact> {
        let needle = search.map(Self.fold).flatMap { $0.isEmpty ? nil : $0 }
        return try core.store.read { txn in
            var items: [Contact] = []
            var after = page.after
            var next: Key?
            scan: while true {
                let batch = try Collections.contacts.page(after: after, limit: 200, in: txn)
                for (offset, contact) in batch.items.enumerated() {
                    if let needle, !Self.matches(contact, needle: needle) { continue }
                    items.append(contact)
                    if items.count == page.limit {
                        if offset < batch.items.count - 1 || batch.nextCursor != nil { next = Key(contact.id) }
                        break scan
                    }
                }
                guard let cursor = batch.nextCursor else { break }
                after = cursor
            }
            return Listing(items: items, nextCursor: next?.base64url)
        }
    }

    public func contact(_ id: DocumentID) throws -> Contact {
        guard let contact = try core.store.read({ txn in try Collections.contacts.get(Key(id), in: txn) }) else {
            throw DeskError(.notFound, "No contact has this id.")
        }
        return contact
    }

    /// Every consent change of a contact (keywords, staff, the provider), oldest first.
    public func consentHistory(of id: DocumentID) throws -> [ConsentChange] {
        try core.store.read { txn in try Consent.history(of: id, in: txn) }
    }

    // MARK: Changing

    /// Assigns, changes the status of, or turns the assistant on or off for a conversation.
    public func update(_ id: DocumentID, _ change: ConversationChange, by requester: Requester) async throws -> ConversationView {
        if requester.role.permissions.chats < .full, let assignee = change.assignee, assignee != requester.personID {
            throw DeskError(.forbidden, "Agents can only assign conversations to themselves.")
        }
        let audit = core.auditRecord(.conversationUpdated, object: "conversation:\(id)", by: requester)
        let (view, before) = try await core.store.write { txn -> (ConversationView, StaffID?) in
            var view = try self.visible(id, for: requester, in: txn)
            var conversation = view.conversation
            let before = conversation.assigneeID
            if let assignee = change.assignee {
                if let assignee {
                    guard let staff = try Collections.staff.get(Key(assignee.raw), in: txn), !staff.disabled else {
                        throw DeskError.invalid("assignee_id", "No enabled staff member has this id.")
                    }
                }
                conversation.assigneeID = assignee
            }
            if let status = change.status {
                conversation.status = status
                if status != .pendingHuman { conversation.handoffReason = nil }
                // Blocking is about the person: the contact is blocked on every number.
                if (status == .blocked) != view.contact.blocked {
                    var contact = view.contact
                    contact.blocked = status == .blocked
                    contact.updatedAt = self.core.now
                    try Collections.contacts.put(contact, in: txn)
                    view = ConversationView(conversation, contact: contact)
                }
            }
            if let aiEnabled = change.aiEnabled { conversation.aiEnabled = aiEnabled }
            try Collections.conversations.put(conversation, in: txn)
            try self.core.audit(audit, in: txn)
            return (ConversationView(conversation, contact: view.contact), before)
        }
        // The Agent it was taken from is told too, so their list drops it.
        core.publish(.conversationUpdated(view, alsoTo: before))
        return view
    }

    /// Staff opened the conversation: unread goes to zero, and WhatsApp is told the customer's
    /// last message was read (a job, so a slow provider never holds the request).
    public func markRead(_ id: DocumentID, by requester: Requester) async throws {
        let job = try core.jobs.make(Outbox.readReceiptJob, payload: ["conversation": id.description], id: "read.\(id)")
        let view = try await core.store.write { txn -> ConversationView? in
            let view = try self.visible(id, for: requester, in: txn)
            guard view.conversation.unread > 0 else { return nil }
            var conversation = view.conversation
            conversation.unread = 0
            try Collections.conversations.put(conversation, in: txn)
            try self.core.jobs.schedule(job, in: txn)
            return ConversationView(conversation, contact: view.contact)
        }
        if let view {
            core.jobs.wake()
            core.publish(.conversationUpdated(view))
        }
    }

    public func updateContact(_ id: DocumentID, _ change: ContactChange, by requester: Requester) async throws -> Contact {
        if case .some(.some(let name)) = change.name, !(1...100).contains(name.trimmingCharacters(in: .whitespaces).count) {
            throw DeskError.invalid("name", "The name must be 1 to 100 characters (null clears it).")
        }
        /// Tags, given or dismissed: at most 20, each 1 to 40 characters.
        func tagsAreValid(_ tags: [String], trimmed: Bool) -> Bool {
            tags.count <= 20 && tags.allSatisfy { (1...40).contains(trimmed ? $0.trimmingCharacters(in: .whitespaces).count : $0.count) }
        }
        if let tags = change.tags, !tagsAreValid(tags, trimmed: false) {
            throw DeskError.invalid("tags", "At most 20 tags of 1 to 40 characters.")
        }
        if let notes = change.notes, notes.count > 5000 { throw DeskError.invalid("notes", "Notes are at most 5000 characters.") }
        if let dismissed = change.dismissTags, !tagsAreValid(dismissed, trimmed: true) {
            throw DeskError.invalid("dismiss_tags", "Dismiss at most 20 suggested tags of 1 to 40 characters.")
        }
        let at = core.now
        let audit = core.auditRecord(.contactUpdated, object: "contact:\(id)", by: requester)
        let ledgerID = core.newID()
        let (contact, conversations) = try await core.store.write { txn -> (Contact, [ConversationView]) in
            guard var contact = try Collections.contacts.get(Key(id), in: txn) else { throw DeskError(.notFound, "No contact has this id.") }
            let before = contact
            if let name = change.name { contact.name = name.map { $0.trimmingCharacters(in: .whitespaces) } }
            if let tags = change.tags { contact.tags = Array(NSOrderedSet(array: tags.map { $0.trimmingCharacters(in: .whitespaces) })) as? [String] ?? tags }
            if let notes = change.notes { contact.notes = notes }
            if let optedOut = change.optedOut, optedOut != contact.optedOut {
                contact.optedOut = optedOut
                try Consent.record(ConsentChange(id: ledgerID, contactID: id, channel: "all", optedOut: optedOut, source: .staff,
                                                 detail: requester.personID?.description, at: at), in: txn)
            }
            for tag in change.dismissTags ?? [] { contact.intelligence?.dismiss(tag.trimmingCharacters(in: .whitespaces)) }
            // An accepted suggestion is a tag now, no longer a suggestion.
            if let intelligence = contact.intelligence { contact.intelligence?.suggestedTags = intelligence.suggestions(besides: contact.tags) }
            var touched: [ConversationView] = []
            if let blocked = change.blocked, blocked != contact.blocked {
                contact.blocked = blocked
                let page = try Collections.conversations.page(index: "contact", equals: Key(id), limit: 1000, in: txn)
                for var conversation in page.items {
                    conversation.status = blocked ? .blocked : (conversation.status == .blocked ? .open : conversation.status)
                    try Collections.conversations.put(conversation, in: txn)
                    touched.append(ConversationView(conversation, contact: contact))
                }
            }
            // Opting out lowers the score at once: no assistant turn runs for an opted-out contact.
            if let optedOut = change.optedOut, contact.intelligence != nil, optedOut != before.optedOut {
                contact = try ContactIntelligence.reassessed(contact, at: at, in: txn)
            }
            contact.updatedAt = at
            try Collections.contacts.put(contact, in: txn)
            try self.core.audit(audit, in: txn)
            return (contact, touched)
        }
        for view in conversations { core.publish(.conversationUpdated(view)) }
        return contact
    }

    // MARK: Visibility

    /// The conversation and its contact if `requester` may see it; "not found" otherwise, so an
    /// Agent cannot learn which ids exist.
    func visible(_ id: DocumentID, for requester: Requester, in txn: borrowing some TransactionReading & ~Copyable) throws -> ConversationView {
        guard let conversation = try Collections.conversations.get(Key(id), in: txn), Self.may(requester, see: conversation),
              let contact = try Collections.contacts.get(Key(conversation.contactID), in: txn) else {
            throw DeskError(.notFound, "No conversation has this id.")
        }
        return ConversationView(conversation, contact: contact)
    }

    static func may(_ requester: Requester, see conversation: Conversation) -> Bool {
        switch requester.role.permissions.chats {
        case .full, .view: true
        case .assigned: conversation.assigneeID != nil && conversation.assigneeID == requester.personID
        case .none: false
        }
    }

    static func matches(_ conversation: Conversation, _ filter: ConversationFilter, _ requester: Requester) -> Bool {
        switch filter {
        case .all: conversation.status != .archived && conversation.status != .blocked
        case .mine: conversation.assigneeID != nil && conversation.assigneeID == requester.personID && conversation.status != .archived
        case .unassigned: conversation.assigneeID == nil && (conversation.status == .open || conversation.status == .pendingHuman)
        case .pendingHuman: conversation.status == .pendingHuman
        case .archived: conversation.status == .archived
        case .blocked: conversation.status == .blocked
        }
    }

    private static func matches(_ conversation: Conversation, contact: Contact, needle: String,
                                in txn: borrowing some TransactionReading & ~Copyable) throws -> Bool {
        if matches(contact, needle: needle) { return true }
        // Message text: the conversation's last 500 messages.
        let page = try Collections.messages.page(index: "conversation", equals: Key(conversation.id), limit: 500, reverse: true, in: txn)
        return page.items.contains { message in message.content.text.map { fold($0).contains(needle) } ?? false }
    }

    static func matches(_ contact: Contact, needle: String) -> Bool {
        [contact.name, contact.profileName, contact.phone, contact.waID].contains { $0.map { fold($0).contains(needle) } ?? false }
    }

    /// Case- and accent-insensitive form for search ("João" finds "joao").
    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).trimmingCharacters(in: .whitespaces)
    }
}

extension Requester {
    /// The person behind a request: the signed-in staff member, or the owner of the token.
    public var personID: StaffID? { staffID ?? ownerID }
}

extension Conversation {
    static func pairKey(_ contact: DocumentID, _ channel: DocumentID) -> Key { Key(Key(contact), Key(channel)) }
}
