import AtendeTesting
import Channels
import Desk
import Foundation
import Storage
import Testing

/// Files, reply buttons and lists sent by staff: WhatsApp's limits checked before anything is
/// queued, a kept file uploaded to the fake Graph API once and then sent by its id.
@Suite struct OutboundMediaTests {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 120)
    static let mediaID = "4490709327384033"

    /// A conversation whose customer wrote just now (the window is open).
    func conversation(_ f: InboxFixture) async throws -> DocumentID {
        try await f.ingest(f.messages([f.text("wamid.IN", "Oi")]))
        return try f.onlyConversation().conversation.id
    }

    func reload(_ f: InboxFixture, _ message: Message) throws -> Message { try f.desk.inbox.message(message.id, for: f.owner) }

    static func uploaded(_ id: String) -> FakeProvider.Answer { .json(#"{"id":"\#(id)"}"#) }

    // MARK: Validation

    struct Invalid: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let draft: OutboundDraft
        let field: String
    }

    static func choice(_ id: String, _ title: String, _ description: String?) -> InteractiveContent.Choice {
        InteractiveContent.Choice(id: id, title: title, description: description)
    }
    static let invalid: [Invalid] = [
        Invalid(testDescription: "four reply buttons", draft: .interactive(.buttons(body: "Pick", (1...4).map { choice("b\($0)", "B\($0)", nil) })),
                field: "interactive.buttons"),
        Invalid(testDescription: "no reply button", draft: .interactive(.buttons(body: "Pick", [])), field: "interactive.buttons"),
        Invalid(testDescription: "a button title of 21 characters",
                draft: .interactive(.buttons(body: "Pick", [choice("a", "ok", nil), choice("b", String(repeating: "x", count: 21), nil)])),
                field: "interactive.buttons[1].title"),
        Invalid(testDescription: "two buttons with one id",
                draft: .interactive(.buttons(body: "Pick", [choice("a", "Yes", nil), choice("a", "No", nil)])), field: "interactive.buttons"),
        Invalid(testDescription: "a body of 1025 characters",
                draft: .interactive(.buttons(body: String(repeating: "x", count: 1025), [choice("a", "Yes", nil)])), field: "interactive.body"),
        Invalid(testDescription: "a header of 61 characters",
                draft: .interactive(.buttons(body: "Pick", header: String(repeating: "h", count: 61), [choice("a", "Yes", nil)])),
                field: "interactive.header"),
        Invalid(testDescription: "a footer of 61 characters",
                draft: .interactive(.buttons(body: "Pick", footer: String(repeating: "f", count: 61), [choice("a", "Yes", nil)])),
                field: "interactive.footer"),
        Invalid(testDescription: "a list button label of 21 characters",
                draft: .interactive(.list(body: "Pick", button: String(repeating: "l", count: 21), [.init(rows: [choice("a", "A", nil)])])),
                field: "interactive.button"),
        Invalid(testDescription: "eleven rows across two sections",
                draft: .interactive(.list(body: "Pick", button: "Options", [
                    .init(title: "One", rows: (1...6).map { choice("r\($0)", "R\($0)", nil) }),
                    .init(title: "Two", rows: (7...11).map { choice("r\($0)", "R\($0)", nil) })])),
                field: "interactive.sections"),
        Invalid(testDescription: "a row title of 25 characters",
                draft: .interactive(.list(body: "Pick", button: "Options", [.init(rows: [choice("a", String(repeating: "t", count: 25), nil)])])),
                field: "interactive.sections[0].rows[0].title"),
        Invalid(testDescription: "a row description of 73 characters",
                draft: .interactive(.list(body: "Pick", button: "Options", [.init(rows: [choice("a", "A", String(repeating: "d", count: 73))])])),
                field: "interactive.sections[0].rows[0].description"),
        Invalid(testDescription: "two sections, one without a title",
                draft: .interactive(.list(body: "Pick", button: "Options", [.init(title: "One", rows: [choice("a", "A", nil)]),
                                                                            .init(rows: [choice("b", "B", nil)])])),
                field: "interactive.sections[1].title"),
        Invalid(testDescription: "an http link", draft: .media(MediaDraft(kind: .image, source: .link("http://example.com/a.png"))),
                field: "media.link"),
        Invalid(testDescription: "a link without its kind", draft: .media(MediaDraft(source: .link("https://example.com/a.png"))),
                field: "media.kind"),
        Invalid(testDescription: "a caption on audio",
                draft: .media(MediaDraft(kind: .audio, source: .link("https://example.com/a.ogg"), caption: "listen")), field: "media.caption"),
        Invalid(testDescription: "a file name on an image",
                draft: .media(MediaDraft(kind: .image, source: .link("https://example.com/a.png"), filename: "a.png")), field: "media.filename"),
        Invalid(testDescription: "an upload id nobody uploaded",
                draft: .media(MediaDraft(source: .upload(DocumentID(string: "0000000000000000000000000A")!))), field: "media.upload_id"),
    ]

    @Test(arguments: invalid)
    func aDraftOutsideWhatsAppsLimitsIsRefusedNamingTheField(_ scenario: Invalid) async throws {
        try await InboxFixture.with { f in
            let id = try await conversation(f)
            let error = await expectDeskError(.invalidField) { _ = try await f.desk.outbox.send(scenario.draft, in: id, by: f.owner) }
            #expect(error?.field == scenario.field, "\(String(describing: error))")
            #expect(try f.thread(try f.onlyConversation()).count == 1, "nothing was queued")
        }
    }

    @Test func uploadsOutsideWhatsAppsTypesOrSizesAreRefused() async throws {
        try await InboxFixture.with { f in
            let gif = await expectDeskError(.unsupportedMediaType) {
                _ = try await f.desk.outbox.upload([1, 2, 3], mimeType: "image/gif", filename: "a.gif", by: f.owner)
            }
            #expect(gif?.field == "file" && gif?.message.contains("image/gif") == true)
            let big = await expectDeskError(.fileTooLarge) {
                _ = try await f.desk.outbox.upload(Array(repeating: 1, count: 5_000_001), mimeType: "image/jpeg", filename: nil, by: f.owner)
            }
            #expect(big?.message.contains("Image files are at most 5.0 MB") == true)
            await expectDeskError(.fileTooLarge) {
                _ = try await f.desk.outbox.upload(Array(repeating: 1, count: 500_001), mimeType: "image/webp", filename: nil, by: f.owner)
            }
            let empty = await expectDeskError(.invalidField) {
                _ = try await f.desk.outbox.upload([], mimeType: "application/pdf", filename: "a.pdf", by: f.owner)
            }
            #expect(empty?.field == "file")
            #expect(f.desk.outbox.uploadLimit(for: .document) == 16 << 20, "documents: within the store's file cap")
            let upload = try await f.desk.outbox.upload(Self.png, mimeType: "image/png; charset=binary", filename: "room.png", by: f.owner)
            #expect(upload.kind == .image && upload.mimeType == "image/png" && upload.size == Self.png.count)
        }
    }

    @Test func mediaAndInteractiveNeedTheCustomerWindowLikeText() async throws {
        try await InboxFixture.with { f in
            let id = try await conversation(f)
            f.clock.advance(by: CustomerWindow.length + 1)
            let upload = try await f.desk.outbox.upload(Self.png, mimeType: "image/png", filename: "room.png", by: f.owner)
            for draft: OutboundDraft in [
                .media(MediaDraft(source: .upload(upload.id))),
                .media(MediaDraft(kind: .document, source: .link("https://example.com/list.pdf"))),
                .interactive(.buttons(body: "Pick", [.init(id: "a", title: "A")])),
            ] {
                await expectDeskError(.customerWindowClosed) { _ = try await f.desk.outbox.send(draft, in: id, by: f.owner) }
            }
        }
    }

    @Test func onlyWhoUploadedAFileCanSendIt() async throws {
        try await InboxFixture.with { f in
            let id = try await conversation(f)
            let member = try await f.desk.createStaff(name: "Bia Manager", email: "bia@example.com", role: "manager",
                                                      password: "correct horse battery staple", by: .commandLine)
            let other = Requester(actor: AuditActor(id: member.id.description, name: member.name), role: .manager, staffID: member.id, ip: nil)
            let upload = try await f.desk.outbox.upload(Self.png, mimeType: "image/png", filename: "room.png", by: f.owner)
            let error = await expectDeskError(.invalidField) {
                _ = try await f.desk.outbox.send(.media(MediaDraft(source: .upload(upload.id))), in: id, by: other)
            }
            #expect(error?.field == "media.upload_id")
            let mismatch = await expectDeskError(.invalidField) {
                _ = try await f.desk.outbox.send(.media(MediaDraft(kind: .document, source: .upload(upload.id))), in: id, by: f.owner)
            }
            #expect(mismatch?.field == "media.kind")
        }
    }

    // MARK: The send job

    @Test func aKeptFileIsUploadedThenSentByItsIdAndShownInTheThread() async throws {
        let graph = FakeProvider()
        graph.answer(Self.uploaded(Self.mediaID), graphAccepted("wamid.IMG"))
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                let id = try await conversation(f)
                let upload = try await f.desk.outbox.upload(Self.png, mimeType: "image/png", filename: "room.png", by: f.owner)
                let queued = try await f.desk.outbox.send(.media(MediaDraft(source: .upload(upload.id), caption: "Our new room")), in: id, by: f.owner)
                // Shown at once, as an inbound photo is: its type, caption and the file itself.
                #expect(queued.type == "image" && queued.content.text == "Our new room")
                let file = try f.desk.inbox.media(of: queued.id, for: f.owner)
                #expect(file.bytes == Self.png && file.mimeType == "image/png" && file.filename == "room.png")
                let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(MessageView(queued))) as? [String: Any]
                let media = try #require(json?["media"] as? [String: Any])
                #expect(media["available"] as? Bool == true && media["caption"] as? String == "Our new room" && media["kind"] as? String == "image")

                #expect(try await f.desk.jobs.runDue() == 1)
                #expect(graph.requests.count == 2)
                let upload0 = graph.requests[0]
                #expect(upload0.method == "POST" && upload0.path == "/v22.0/\(InboxFixture.phoneNumberID)/media")
                #expect(upload0.headers["authorization"] == "Bearer \(InboxFixture.token)")
                #expect(upload0.formParts == [
                    FormPart(name: "messaging_product", filename: nil, contentType: nil, bytes: Array("whatsapp".utf8)),
                    FormPart(name: "type", filename: nil, contentType: nil, bytes: Array("image/png".utf8)),
                    FormPart(name: "file", filename: "room.png", contentType: "image/png", bytes: Self.png),
                ])
                #expect(graph.requests[1].path == "/v22.0/\(InboxFixture.phoneNumberID)/messages")
                #expect(graph.requests[1].text == #"{"image":{"caption":"Our new room","id":"\#(Self.mediaID)"},"messaging_product":"whatsapp","recipient_type":"individual","to":"+34600111222","type":"image"}"#)
                let sent = try reload(f, queued)
                #expect(sent.providerID == "wamid.IMG" && sent.delivery?.state == .sent && sent.content.media?.providerMediaID == Self.mediaID)
            }
        }
    }

    @Test func aSendThatFailsAfterTheUploadIsRetriedWithoutUploadingAgain() async throws {
        let graph = FakeProvider()
        graph.answer(Self.uploaded(Self.mediaID), .init(status: 503, body: "upstream down"), graphAccepted("wamid.DOC"))
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                let id = try await conversation(f)
                let pdf = Array("%PDF-1.4 price list".utf8)
                let upload = try await f.desk.outbox.upload(pdf, mimeType: "application/pdf", filename: "prices.pdf", by: f.owner)
                let queued = try await f.desk.outbox.send(.media(MediaDraft(source: .upload(upload.id), caption: "Prices", filename: "price-list.pdf")),
                                                          in: id, by: f.owner)
                #expect(queued.type == "document" && queued.content.text == "Prices")
                try await f.desk.jobs.runDue()
                // The media id is on the message before the send: a job run again after a crash
                // here, or this retry, sends with it instead of uploading again.
                let afterFirst = try reload(f, queued)
                #expect(afterFirst.delivery?.state == .queued && afterFirst.content.media?.providerMediaID == Self.mediaID)
                f.clock.advance(by: 301)
                try await f.desk.jobs.runDue()
                #expect(graph.requests.map(\.path) == ["/v22.0/\(InboxFixture.phoneNumberID)/media",
                                                       "/v22.0/\(InboxFixture.phoneNumberID)/messages",
                                                       "/v22.0/\(InboxFixture.phoneNumberID)/messages"])
                #expect(graph.requests[2].text == #"{"document":{"caption":"Prices","filename":"price-list.pdf","id":"\#(Self.mediaID)"},"messaging_product":"whatsapp","recipient_type":"individual","to":"+34600111222","type":"document"}"#)
                #expect(try reload(f, queued).providerID == "wamid.DOC")
            }
        }
    }

    @Test func anUploadRefusedWith131053FailsAndIsNotRetried() async throws {
        let graph = FakeProvider()
        graph.answer(graphError(131053))
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                let id = try await conversation(f)
                let upload = try await f.desk.outbox.upload(Self.png, mimeType: "image/png", filename: "room.png", by: f.owner)
                let queued = try await f.desk.outbox.send(.media(MediaDraft(source: .upload(upload.id))), in: id, by: f.owner)
                try await f.desk.jobs.runDue()
                f.clock.advance(by: 3600)
                try await f.desk.jobs.runDue()
                let failed = try reload(f, queued)
                #expect(failed.delivery?.state == .failed && failed.delivery?.failureCode == 131053)
                #expect(failed.delivery?.failureReason?.hasPrefix("rejected_by_provider") == true)
                #expect(graph.requests.count == 1)
                #expect(try f.desk.jobs.statistics() == JobStatistics())
            }
        }
    }

    @Test func anUploadAnsweredWithAServerErrorIsRetried() async throws {
        let graph = FakeProvider()
        graph.answer(.init(status: 502, body: "bad gateway"), Self.uploaded(Self.mediaID), graphAccepted("wamid.LATER"))
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                let id = try await conversation(f)
                let upload = try await f.desk.outbox.upload(Self.png, mimeType: "image/png", filename: "room.png", by: f.owner)
                let queued = try await f.desk.outbox.send(.media(MediaDraft(source: .upload(upload.id))), in: id, by: f.owner)
                try await f.desk.jobs.runDue()
                #expect(try reload(f, queued).delivery?.state == .queued)
                f.clock.advance(by: 301)
                try await f.desk.jobs.runDue()
                #expect(graph.requests.map(\.path).map { $0.hasSuffix("/media") } == [true, true, false])
                #expect(try reload(f, queued).providerID == "wamid.LATER")
            }
        }
    }

    @Test func aLinkIsSentAsTheLinkWithoutAnUpload() async throws {
        let graph = FakeProvider()
        graph.answer(graphAccepted("wamid.LINK"))
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                let id = try await conversation(f)
                let queued = try await f.desk.outbox.send(.media(MediaDraft(kind: .video, source: .link("https://cdn.example.com/tour.mp4"), caption: "Tour")),
                                                          in: id, by: f.owner)
                #expect(queued.type == "video" && queued.content.media?.link == "https://cdn.example.com/tour.mp4")
                try await f.desk.jobs.runDue()
                #expect(graph.requests.count == 1)
                #expect(graph.requests[0].text == #"{"messaging_product":"whatsapp","recipient_type":"individual","to":"+34600111222","type":"video","video":{"caption":"Tour","link":"https://cdn.example.com/tour.mp4"}}"#)
            }
        }
    }

    @Test func replyButtonsAndListsAreSentAsWhatsAppDefinesThemAndKeptInTheThread() async throws {
        let graph = FakeProvider()
        graph.answer(computing: { graphAccepted("wamid.I\($0)") })
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                let id = try await conversation(f)
                let buttons = InteractiveContent.buttons(body: "Confirm Tuesday 10:00?", header: "Appointment", footer: "Clínica Sol",
                                                         [.init(id: "yes", title: "Yes"), .init(id: "change", title: "Change")])
                let first = try await f.desk.outbox.send(.interactive(buttons), in: id, by: f.owner)
                #expect(first.type == "interactive" && first.content.text == "Confirm Tuesday 10:00?" && first.content.interactive == buttons)
                try await f.desk.jobs.runDue()
                #expect(graph.requests[0].text == #"{"interactive":{"action":{"buttons":[{"reply":{"id":"yes","title":"Yes"},"type":"reply"},{"reply":{"id":"change","title":"Change"},"type":"reply"}]},"body":{"text":"Confirm Tuesday 10:00?"},"footer":{"text":"Clínica Sol"},"header":{"text":"Appointment","type":"text"},"type":"button"},"messaging_product":"whatsapp","recipient_type":"individual","to":"+34600111222","type":"interactive"}"#)

                let list = InteractiveContent.list(body: "Which service?", button: "Services", [
                    .init(title: "Hair", rows: [.init(id: "cut", title: "Cut", description: "30 min")]),
                    .init(title: "Nails", rows: [.init(id: "mani", title: "Manicure")])])
                let second = try await f.desk.outbox.send(.interactive(list), in: id, by: f.owner)
                f.clock.advance(by: 10)                          // past the pair rate's gap
                try await f.desk.jobs.runDue()
                #expect(graph.requests.count == 2)
                #expect(graph.requests[1].text == #"{"interactive":{"action":{"button":"Services","sections":[{"rows":[{"description":"30 min","id":"cut","title":"Cut"}],"title":"Hair"},{"rows":[{"id":"mani","title":"Manicure"}],"title":"Nails"}]},"body":{"text":"Which service?"},"type":"list"},"messaging_product":"whatsapp","recipient_type":"individual","to":"+34600111222","type":"interactive"}"#)
                let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(MessageView(try reload(f, second)))) as? [String: Any]
                let shown = try #require(json?["interactive"] as? [String: Any])
                #expect(shown["type"] as? String == "list" && shown["button"] as? String == "Services")
                #expect((shown["sections"] as? [[String: Any]])?.count == 2)
            }
        }
    }
}
