import AtendeCrypto
import Channels
public import Foundation
public import Storage

/// A file staff uploaded to send, kept in the media store (so it is in backups, and the thread
/// shows it) under its SHA-256.
public struct MediaUpload: Codable, Sendable, Equatable {
    public let id: DocumentID
    public let kind: MediaKind
    public let mimeType: String
    public let filename: String?
    public let size: Int
    /// SHA-256 (hex) of the bytes: their key in the media store.
    public let digest: String
    /// The staff member (or token owner) who uploaded it: only they can send it.
    public let uploadedBy: String?
    public let createdAt: Date
}

extension Outbox {
    /// The largest file of `kind` staff may send: WhatsApp's cap for the kind (§2.8), within the
    /// largest file the store keeps (`InboxConfiguration.maxMediaBytes`, the same for inbound
    /// files: on a 1 GiB machine a file is held in memory a few times while it is sent).
    public func uploadLimit(for kind: MediaKind) -> Int {
        min(kind.whatsAppLimit, inbox.configuration.maxMediaBytes)
    }

    /// The kind a file of `mimeType` is sent as and its size cap.
    /// - Throws: `unsupported_media_type` naming the type and what WhatsApp takes.
    public func uploadRule(for mimeType: String) throws -> (kind: MediaKind, limit: Int) {
        let type = Inbox.baseType(mimeType)
        guard let kind = MediaKind.of(mimeType: type) else {
            throw DeskError(.unsupportedMediaType,
                            "WhatsApp cannot send files of type \(type.isEmpty ? "(none given)" : String(type.prefix(100))). It takes JPEG and PNG images, WebP stickers, MP4 and 3GPP video, AAC, AMR, MP3, M4A and OGG audio, and PDF, text, Word, Excel and PowerPoint documents.",
                            field: "file")
        }
        return (kind, uploadLimit(for: kind))
    }

    /// Keeps a file staff will send: checks its type and size against WhatsApp's rules and
    /// stores it. The upload to WhatsApp happens when the message is sent.
    /// - Throws: `unsupported_media_type`, `file_too_large`, `invalid_field` (`file`, `filename`).
    public func upload(_ bytes: [UInt8], mimeType: String, filename: String?, by requester: Requester) async throws -> MediaUpload {
        let (kind, limit) = try uploadRule(for: mimeType)
        guard !bytes.isEmpty else { throw DeskError.invalid("file", "The file is empty.") }
        guard bytes.count <= limit else { throw Self.tooLarge(kind, limit: limit, size: bytes.count) }
        if let filename { try MediaKind.checkFilename(filename, field: "filename") }
        let digest = try SHA256.hash(bytes).hexString
        let upload = MediaUpload(id: core.newID(), kind: kind, mimeType: Inbox.baseType(mimeType), filename: filename, size: bytes.count,
                                 digest: digest, uploadedBy: requester.personID?.description ?? requester.actor?.id, createdAt: core.now)
        try await core.store.write { txn in
            if try Collections.media.get(Key(digest), in: txn) == nil { try Collections.media.put(bytes, for: Key(digest), in: txn) }
            try Collections.uploads.put(upload, in: txn)
        }
        return upload
    }

    /// `file_too_large` for a file of `kind` over `limit` (its size when known).
    public static func tooLarge(_ kind: MediaKind, limit: Int, size: Int?) -> DeskError {
        let megabytes = { (bytes: Int) in String(format: "%.1f MB", Double(bytes) / 1_000_000) }
        return DeskError(.fileTooLarge,
                         "\(kind.rawValue.capitalized) files are at most \(megabytes(limit)) on WhatsApp\(size.map { "; this one is \(megabytes($0))" } ?? "").",
                         field: "file")
    }

    /// The stored content of a media draft, inside the send's transaction.
    func content(of draft: MediaDraft, by requester: Requester, in txn: borrowing some TransactionReading & ~Copyable) throws -> (MessageContent, String) {
        try draft.validate()
        var attachment: MediaAttachment
        switch draft.source {
        case .link(let link):
            let kind = draft.kind!             // validate() requires a kind with a link
            attachment = MediaAttachment(kind: kind.rawValue, link: link, filename: draft.filename)
        case .upload(let id):
            guard let upload = try Collections.uploads.get(Key(id), in: txn),
                  upload.uploadedBy == (requester.personID?.description ?? requester.actor?.id) else {
                throw DeskError.invalid("media.upload_id", "No file you uploaded has this id; upload it first.")
            }
            if let kind = draft.kind, kind != upload.kind {
                throw DeskError.invalid("media.kind", "This file (\(upload.mimeType)) can only be sent as \(upload.kind.rawValue).")
            }
            guard upload.size <= uploadLimit(for: upload.kind) else { throw Self.tooLarge(upload.kind, limit: uploadLimit(for: upload.kind), size: upload.size) }
            try MediaDraft(kind: upload.kind, source: draft.source, caption: draft.caption, filename: draft.filename).validate()
            // The file's name goes with the upload to WhatsApp; a document also shows it (§2.2).
            attachment = MediaAttachment(kind: upload.kind.rawValue, mimeType: upload.mimeType,
                                         filename: upload.kind == .document ? (draft.filename ?? upload.filename) : upload.filename)
            attachment.digest = upload.digest
            attachment.size = upload.size
        }
        attachment.caption = draft.caption
        // As inbound files are shown: the caption, or a document's name.
        let content = MessageContent(text: draft.caption ?? (attachment.kind == "document" ? attachment.filename : nil), media: attachment)
        return (content, attachment.kind)
    }

    // MARK: The send job's upload step

    /// For a message whose file is in our store: uploads it to WhatsApp once and records the
    /// media id on the message before it is sent, so a job run again (a retry, or after a crash)
    /// sends with that id instead of uploading again. Nil when there is nothing to upload (a link,
    /// or the id is recorded); otherwise the message updated with the id, or the failure.
    func uploadIfNeeded(_ message: Message, phoneNumberID: String, token: String) async throws -> Result<Message, SendFailure>? {
        guard message.direction == .outbound, let media = message.content.media, media.providerMediaID == nil,
              media.link == nil, let digest = media.digest else { return nil }
        guard let bytes = try core.store.read({ txn in try Collections.media.get(Key(digest), in: txn) }) else {
            return .failure(SendFailure(.rejected, .fail, message: "the file is no longer in the store"))
        }
        let filename = media.filename ?? "\(media.kind).\(Self.fileExtension(media.mimeType))"
        switch await graph.uploadMedia(bytes, mimeType: media.mimeType ?? "application/octet-stream", filename: filename,
                                       from: phoneNumberID, token: token) {
        case .failure(let failure):
            return .failure(failure)
        case .success(let mediaID):
            let updated = try await core.store.write { txn -> Message in
                guard var current = try Collections.messages.get(Key(message.id), in: txn) else { return message }
                current.content.media?.providerMediaID = mediaID
                try Collections.messages.put(current, in: txn)
                return current
            }
            return .success(updated)
        }
    }

    static func fileExtension(_ mimeType: String?) -> String {
        switch mimeType {
        case "image/jpeg": "jpg"
        case "image/png": "png"
        case "image/webp": "webp"
        case "video/mp4", "audio/mp4": "mp4"
        case "video/3gpp": "3gp"
        case "audio/mpeg": "mp3"
        case "audio/ogg": "ogg"
        case "audio/aac": "aac"
        case "audio/amr": "amr"
        case "application/pdf": "pdf"
        case "text/plain": "txt"
        default: "bin"
        }
    }
}
