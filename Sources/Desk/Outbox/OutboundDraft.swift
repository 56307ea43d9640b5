import Foundation
public import Storage

/// What staff (later the assistant and campaigns) send.
public enum OutboundDraft: Sendable, Equatable {
    case text(String)
    case template(TemplateUse)
    /// A file: one staff uploaded (kept in our media store) or a public https link.
    case media(MediaDraft)
    /// Reply buttons or a list (wire-protocols.md §2.2).
    case interactive(InteractiveContent)

    /// Free-form: only inside the 24-hour customer window (§2.6); a template goes any time.
    var isFreeForm: Bool {
        if case .template = self { return false }
        return true
    }
}

/// A file to send. Exactly one source: an upload's id, or a link.
public struct MediaDraft: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        /// A file staff uploaded (`Outbox.upload`); sent by uploading it to WhatsApp first.
        case upload(DocumentID)
        /// A public https URL WhatsApp fetches itself.
        case link(String)
    }

    /// image, audio, video, document or sticker; nil takes the upload's (a link needs one).
    public var kind: MediaKind?
    public var source: Source
    /// Image, video and document only.
    public var caption: String?
    /// Documents only; defaults to the uploaded file's name.
    public var filename: String?

    public init(kind: MediaKind? = nil, source: Source, caption: String? = nil, filename: String? = nil) {
        (self.kind, self.source, self.caption, self.filename) = (kind, source, caption, filename)
    }

    /// Checks what does not need the store; errors name the field (`media.caption`, …).
    func validate() throws {
        if case .link(let link) = source {
            guard kind != nil else { throw DeskError.invalid("media.kind", "Say which kind of file the link is: image, audio, video, document or sticker.") }
            guard link.count <= 2048, let url = URL(string: link), url.scheme?.lowercased() == "https", let host = url.host, !host.isEmpty else {
                throw DeskError.invalid("media.link", "The link must be a public https:// address of at most 2048 characters.")
            }
        }
        if let caption {
            if let kind, !kind.hasCaption {
                throw DeskError.invalid("media.caption", "WhatsApp shows no caption with \(kind.rawValue == "audio" ? "audio" : "a sticker"); leave it out.")
            }
            guard caption.count <= 1024 else { throw DeskError.invalid("media.caption", "A caption is at most 1024 characters.") }
        }
        if let filename {
            if let kind, kind != .document { throw DeskError.invalid("media.filename", "Only a document carries a file name.") }
            try MediaKind.checkFilename(filename, field: "media.filename")
        }
    }
}

/// The kinds of file WhatsApp sends, with its type allow-list and size caps (wire-protocols.md
/// §2.8). A file outside them would fail at Meta (131053), so it is refused when staff upload it.
public enum MediaKind: String, Sendable, Codable, CaseIterable {
    case image, audio, video, document, sticker

    /// The MIME types WhatsApp accepts for this kind.
    public var mimeTypes: Set<String> {
        switch self {
        case .image: ["image/jpeg", "image/png"]
        case .audio: ["audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"]
        case .video: ["video/mp4", "video/3gpp"]
        case .sticker: ["image/webp"]
        case .document: [
            "text/plain", "application/pdf", "application/msword",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/vnd.ms-excel",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.ms-powerpoint",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        ]
        }
    }

    /// WhatsApp's cap for this kind, in bytes. Meta writes "MB" without saying which; the
    /// decimal reading is the smaller, so a file we take is never one Meta refuses for size.
    /// Stickers: 500 KB is the animated cap (a static one is 100 KB; we cannot tell them apart
    /// without decoding the WebP).
    public var whatsAppLimit: Int {
        switch self {
        case .image: 5_000_000
        case .audio, .video: 16_000_000
        case .document: 100_000_000
        case .sticker: 500_000
        }
    }

    /// The kind a MIME type is sent as, or nil when WhatsApp sends no such file.
    public static func of(mimeType: String) -> MediaKind? {
        allCases.first { $0.mimeTypes.contains(mimeType) }
    }

    var hasCaption: Bool { self == .image || self == .video || self == .document }

    static func checkFilename(_ name: String, field: String) throws {
        guard (1...240).contains(name.count), !name.contains("/"), !name.contains("\\"),
              !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw DeskError.invalid(field, "A file name is 1 to 240 characters, without slashes or control characters.")
        }
    }
}

/// Reply buttons or a list, as sent and as the thread shows them (wire-protocols.md §2.2).
public struct InteractiveContent: Codable, Sendable, Equatable {
    public struct Choice: Codable, Sendable, Equatable {
        public var id: String
        public var title: String
        /// List rows only.
        public var description: String?
        public init(id: String, title: String, description: String? = nil) { (self.id, self.title, self.description) = (id, title, description) }
    }

    public struct Section: Codable, Sendable, Equatable {
        public var title: String?
        public var rows: [Choice]
        public init(title: String? = nil, rows: [Choice]) { (self.title, self.rows) = (title, rows) }
    }

    public enum Kind: String, Codable, Sendable { case button, list }

    public var kind: Kind
    public var body: String
    /// A text header (≤ 60).
    public var header: String?
    public var footer: String?
    /// Reply buttons (kind `button`).
    public var buttons: [Choice]
    /// The list's button label (kind `list`).
    public var button: String?
    public var sections: [Section]

    public static func buttons(body: String, header: String? = nil, footer: String? = nil, _ buttons: [Choice]) -> InteractiveContent {
        InteractiveContent(kind: .button, body: body, header: header, footer: footer, buttons: buttons, button: nil, sections: [])
    }

    public static func list(body: String, button: String, header: String? = nil, footer: String? = nil, _ sections: [Section]) -> InteractiveContent {
        InteractiveContent(kind: .list, body: body, header: header, footer: footer, buttons: [], button: button, sections: sections)
    }

    /// WhatsApp's limits; each error names the field as the API spells it
    /// (`interactive.buttons[1].title`).
    func validate() throws {
        func check(_ text: String?, _ field: String, _ range: ClosedRange<Int>, _ what: String) throws {
            guard let text else { return }
            let length = text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? 0 : text.count
            guard range.contains(length) else { throw DeskError.invalid(field, "\(what) is \(range.lowerBound) to \(range.upperBound) characters.") }
        }
        // The reference gives a list's body 4096, but buttons' 1024; 1024 for both keeps one rule.
        try check(body, "interactive.body", 1...1024, "The body")
        try check(header, "interactive.header", 1...60, "The header")
        try check(footer, "interactive.footer", 1...60, "The footer")
        switch kind {
        case .button:
            guard sections.isEmpty, button == nil else {
                throw DeskError.invalid("interactive.sections", "Reply buttons have no list: send buttons only.")
            }
            guard (1...3).contains(buttons.count) else { throw DeskError.invalid("interactive.buttons", "Send 1 to 3 reply buttons.") }
            for (index, choice) in buttons.enumerated() {
                try check(choice.id, "interactive.buttons[\(index)].id", 1...256, "A button id")
                try check(choice.title, "interactive.buttons[\(index)].title", 1...20, "A button title")
                if choice.description != nil {
                    throw DeskError.invalid("interactive.buttons[\(index)].description", "A reply button has no description.")
                }
            }
            try unique(buttons.map(\.id), "interactive.buttons", "Each button needs its own id.")
            try unique(buttons.map(\.title), "interactive.buttons", "Each button needs its own title.")
        case .list:
            guard buttons.isEmpty else { throw DeskError.invalid("interactive.buttons", "A list has no reply buttons: send sections only.") }
            guard let button else { throw DeskError.invalid("interactive.button", "A list needs the label of the button that opens it.") }
            try check(button, "interactive.button", 1...20, "The list's button label")
            guard (1...10).contains(sections.count) else { throw DeskError.invalid("interactive.sections", "A list has 1 to 10 sections.") }
            let rows = sections.flatMap(\.rows)
            guard (1...10).contains(rows.count) else { throw DeskError.invalid("interactive.sections", "A list has 1 to 10 rows in all its sections together.") }
            for (s, section) in sections.enumerated() {
                if sections.count > 1, section.title == nil {
                    throw DeskError.invalid("interactive.sections[\(s)].title", "With more than one section, each needs a title.")
                }
                try check(section.title, "interactive.sections[\(s)].title", 1...24, "A section title")
                guard !section.rows.isEmpty else { throw DeskError.invalid("interactive.sections[\(s)].rows", "A section needs at least one row.") }
                for (r, row) in section.rows.enumerated() {
                    let field = "interactive.sections[\(s)].rows[\(r)]"
                    try check(row.id, "\(field).id", 1...200, "A row id")
                    try check(row.title, "\(field).title", 1...24, "A row title")
                    try check(row.description, "\(field).description", 1...72, "A row description")
                }
            }
            try unique(rows.map(\.id), "interactive.sections", "Each row needs its own id.")
        }
    }

    private func unique(_ values: [String], _ field: String, _ message: String) throws {
        guard Set(values).count == values.count else { throw DeskError.invalid(field, message) }
    }

    /// The thread's one-line text: the body.
    var summary: String { body }
}
