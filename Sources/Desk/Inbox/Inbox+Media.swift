import AtendeCrypto
import Channels
import Foundation
import Storage

extension Inbox {
    public static let mediaFetchJob: JobKind = "media.fetch"

    func registerJobs() {
        core.jobs.register(Self.mediaFetchJob) { [unowned self] job in try await self.fetchMedia(job) }
    }

    /// Downloads an inbound file with the number's token (§2.8) and keeps it in the store under
    /// its SHA-256 — within the size cap and the type allow-list; otherwise the message says why
    /// the file is not there. Idempotent: a message whose file is kept is done.
    func fetchMedia(_ job: Job) async throws -> JobOutcome {
        struct Ref: Codable { let message: String }
        guard let id = DocumentID(string: try job.input(as: Ref.self).message) else { return .fail(reason: "bad payload") }
        let loaded = try core.store.read { txn -> (Message, BusinessNumber)? in
            guard let message = try Collections.messages.get(Key(id), in: txn),
                  let conversation = try Collections.conversations.get(Key(message.conversationID), in: txn),
                  let channel = try Collections.channels.get(Key(conversation.channelID), in: txn) else { return nil }
            return (message, channel)
        }
        guard let (message, channel) = loaded, let media = message.content.media, media.digest == nil,
              media.unavailableReason == nil, let mediaID = media.providerMediaID else { return .done }
        guard let token = try channels.secret(.accessToken, of: channel.id) else {
            try await markUnavailable(id, reason: "no access token is set for this number")
            return .done
        }
        let graph = channels.graph
        let located: GraphMedia
        switch await graph.media(mediaID, token: token) {
        case .success(let found): located = found
        case .failure(let failure): return try await outcome(of: failure, for: id, job: job)
        }
        if let size = located.size, size > configuration.maxMediaBytes {
            try await markUnavailable(id, reason: "the file is \(size) bytes; files over \(configuration.maxMediaBytes) bytes are not kept")
            return .done
        }
        let downloaded: (bytes: [UInt8], mimeType: String?)
        switch await graph.download(located.url, token: token) {
        case .success(let file): downloaded = file
        case .failure(let failure): return try await outcome(of: failure, for: id, job: job)
        }
        try await keep(downloaded.bytes, mimeType: located.mimeType ?? media.mimeType ?? downloaded.mimeType, for: id)
        return .done
    }

    /// Keeps a downloaded file under its SHA-256 and points `id`'s message at it — within the
    /// size cap and the type allow-list; otherwise the message says why the file is not there.
    func keep(_ bytes: [UInt8], mimeType: String?, for id: DocumentID) async throws {
        guard bytes.count <= configuration.maxMediaBytes else {
            try await markUnavailable(id, reason: "files over \(configuration.maxMediaBytes) bytes are not kept")
            return
        }
        let mimeType = Self.baseType(mimeType ?? "")
        guard configuration.mediaTypes.contains(mimeType) else {
            try await markUnavailable(id, reason: "files of type \(mimeType.isEmpty ? "unknown" : mimeType) are not kept")
            return
        }
        let digest = try SHA256.hash(bytes).hexString
        let result = try await core.store.write { txn -> (Message, Conversation)? in
            guard var current = try Collections.messages.get(Key(id), in: txn), current.content.media?.digest == nil,
                  let conversation = try Collections.conversations.get(Key(current.conversationID), in: txn) else { return nil }
            if try Collections.media.get(Key(digest), in: txn) == nil { try Collections.media.put(bytes, for: Key(digest), in: txn) }
            current.content.media?.digest = digest
            current.content.media?.size = bytes.count
            current.content.media?.mimeType = mimeType
            try Collections.messages.put(current, in: txn)
            return (current, conversation)
        }
        if let (updated, conversation) = result { core.publish(.messageUpdated(updated, in: conversation)) }
    }

    func outcome(of failure: SendFailure, for id: DocumentID, job: Job, provider: String = "WhatsApp") async throws -> JobOutcome {
        if failure.action == .retry, job.attempts < core.jobs.policy.maxAttempts {
            return .retry(reason: failure.description, after: failure.retryAfter)
        }
        try await markUnavailable(id, reason: "\(provider) did not give the file: \(failure.reason)")
        return .done
    }

    func markUnavailable(_ id: DocumentID, reason: String) async throws {
        let result = try await core.store.write { txn -> (Message, Conversation)? in
            guard var current = try Collections.messages.get(Key(id), in: txn), current.content.media?.digest == nil,
                  let conversation = try Collections.conversations.get(Key(current.conversationID), in: txn) else { return nil }
            current.content.media?.unavailableReason = reason
            try Collections.messages.put(current, in: txn)
            return (current, conversation)
        }
        if let (updated, conversation) = result { core.publish(.messageUpdated(updated, in: conversation)) }
    }

    /// `audio/ogg; codecs=opus` → `audio/ogg`.
    static func baseType(_ mime: String) -> String {
        String(mime.split(separator: ";").first ?? "").trimmingCharacters(in: .whitespaces).lowercased()
    }
}
