import AtendeTesting
import Desk
import Foundation
import Logging
import Storage
import Testing

/// Files staff upload and never send are not kept for ever: the sweep forgets an upload after the
/// retention and deletes its file unless a message or another upload uses the same bytes. Real
/// store, real sweep, the clock advanced by hand.
@Suite struct UploadSweepTests {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 9, count: 200)
    static let retention = OutboxConfiguration().uploadRetention
    /// The media store, read as any backup reads it.
    static let media = RawDatabase("media")

    func fileKept(_ f: InboxFixture, _ digest: String) throws -> Bool {
        try f.desk.store.read { txn in try Self.media.get(Key(digest), in: txn) != nil }
    }

    func conversation(_ f: InboxFixture) async throws -> DocumentID {
        try await f.ingest(f.messages([f.text("wamid.IN-SWEEP", "Oi")]))
        return try f.onlyConversation().conversation.id
    }

    @Test func retentionIsADay() {
        #expect(Self.retention == 24 * 3600)
    }

    @Test func anUploadNeverSentIsForgottenWithItsFileOnceTheRetentionHasPassed() async throws {
        try await InboxFixture.with { f in
            let id = try await conversation(f)
            let upload = try await f.desk.outbox.upload(Self.png, mimeType: "image/png", filename: "room.png", by: f.owner)
            f.clock.advance(by: Self.retention - 1)
            #expect(try await f.desk.sweep().uploads == UploadSweepReport())
            #expect(try fileKept(f, upload.digest))

            f.clock.advance(by: 2)
            let report = try await f.desk.sweep()
            #expect(report.uploads.uploadsForgotten == 1 && report.uploads.filesDeleted == 1)
            #expect(try !fileKept(f, upload.digest))
            // The upload is gone by name: sending it now (the customer wrote again) is refused on its field.
            try await f.ingest(f.messages([f.text("wamid.IN-SWEEP-2", "Ainda aí?")]))
            let error = await expectDeskError(.invalidField) {
                _ = try await f.desk.outbox.send(.media(MediaDraft(source: .upload(upload.id))), in: id, by: f.owner)
            }
            #expect(error?.field == "media.upload_id")
            // A second sweep finds nothing more.
            #expect(try await f.desk.sweep().uploads == UploadSweepReport())
        }
    }

    @Test func aFileASentMessageShowsIsNeverDeleted() async throws {
        let graph = FakeProvider()
        graph.answer(.json(#"{"id":"4490709327384033"}"#), graphAccepted("wamid.SWEPT-IMG"))
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                let id = try await conversation(f)
                let upload = try await f.desk.outbox.upload(Self.png, mimeType: "image/png", filename: "room.png", by: f.owner)
                let queued = try await f.desk.outbox.send(.media(MediaDraft(source: .upload(upload.id))), in: id, by: f.owner)
                #expect(try await f.desk.jobs.runDue() == 1)
                #expect(try f.desk.inbox.message(queued.id, for: f.owner).delivery?.state == .sent)

                f.clock.advance(by: Self.retention * 30)
                let report = try await f.desk.sweep()
                #expect(report.uploads.uploadsForgotten == 1 && report.uploads.filesDeleted == 0)
                #expect(try fileKept(f, upload.digest))
                #expect(try f.desk.inbox.media(of: queued.id, for: f.owner).bytes == Self.png)
            }
        }
    }

    @Test func aFileAQueuedMessageWillSendIsKept() async throws {
        try await InboxFixture.with { f in
            let id = try await conversation(f)
            let upload = try await f.desk.outbox.upload(Self.png, mimeType: "image/png", filename: "room.png", by: f.owner)
            // Queued, never sent (the Graph API here is a closed port): the message still uses it.
            let queued = try await f.desk.outbox.send(.media(MediaDraft(source: .upload(upload.id))), in: id, by: f.owner)
            f.clock.advance(by: Self.retention + 1)
            #expect(try await f.desk.sweep().uploads.filesDeleted == 0)
            #expect(try f.desk.inbox.media(of: queued.id, for: f.owner).bytes == Self.png)
        }
    }

    @Test func theSameBytesUploadedAgainKeepTheFileUntilTheNewerUploadExpiresToo() async throws {
        try await InboxFixture.with { f in
            let first = try await f.desk.outbox.upload(Self.png, mimeType: "image/png", filename: "a.png", by: f.owner)
            f.clock.advance(by: Self.retention / 2)
            let second = try await f.desk.outbox.upload(Self.png, mimeType: "image/png", filename: "b.png", by: f.owner)
            #expect(first.digest == second.digest)          // content-addressed: one file

            f.clock.advance(by: Self.retention / 2 + 1)
            var report = try await f.desk.sweep()
            #expect(report.uploads.uploadsForgotten == 1 && report.uploads.filesDeleted == 0)
            #expect(try fileKept(f, first.digest))

            f.clock.advance(by: Self.retention / 2)
            report = try await f.desk.sweep()
            #expect(report.uploads.uploadsForgotten == 1 && report.uploads.filesDeleted == 1)
            #expect(try !fileKept(f, first.digest))
        }
    }

    @Test func manyExpiredUploadsAreSweptInBatchesAndOnlyTheExpiredOnes() async throws {
        try await InboxFixture.with { f in
            var digests: [String] = []
            for n in 0..<450 {
                let bytes = Self.png + Array("\(n)".utf8)
                digests.append(try await f.desk.outbox.upload(bytes, mimeType: "image/png", filename: nil, by: f.owner).digest)
            }
            f.clock.advance(by: Self.retention + 1)
            let fresh = try await f.desk.outbox.upload(Self.png + [1, 2, 3], mimeType: "image/png", filename: nil, by: f.owner)
            let report = try await f.desk.outbox.sweepUploads(batch: 100)
            #expect(report.uploadsForgotten == 450 && report.filesDeleted == 450)
            #expect(try digests.allSatisfy { try !fileKept(f, $0) })
            #expect(try fileKept(f, fresh.digest))
        }
    }

    @Test func aBackupAfterASweepVerifiesAndListsWhatTheStoreHolds() async throws {
        let graph = FakeProvider()
        graph.answer(.json(#"{"id":"4490709327384033"}"#), graphAccepted("wamid.SWEPT-DOC"))
        try await graph.run { url in
            try await InboxFixture.with(graphURL: url) { f in
                let id = try await conversation(f)
                let sent = try await f.desk.outbox.upload(Array("%PDF-1.4 kept".utf8), mimeType: "application/pdf", filename: "kept.pdf", by: f.owner)
                _ = try await f.desk.outbox.send(.media(MediaDraft(source: .upload(sent.id))), in: id, by: f.owner)
                #expect(try await f.desk.jobs.runDue() == 1)
                let unsent = try await f.desk.outbox.upload(Self.png, mimeType: "image/png", filename: "gone.png", by: f.owner)
                f.clock.advance(by: Self.retention + 1)
                #expect(try await f.desk.sweep().uploads == { var r = UploadSweepReport(); r.uploadsForgotten = 2; r.filesDeleted = 1; return r }())
                #expect(try fileKept(f, sent.digest) && !fileKept(f, unsent.digest))

                let scratch = try TemporaryDirectory("sweep-backup")
                defer { scratch.remove() }
                let file = scratch.appending("after-sweep.atende-backup")
                let summary = try BackupWriter.create(dataDirectory: f.desk.store.directory, to: file, appVersion: "test", logger: .quiet)
                let backup = try BackupFile.open(file)
                try backup.verify()
                let payload = scratch.appending("data.mdb")
                try backup.extractPayload(to: payload)
                let schema = Schema(version: Desk.schemaVersion, databases: [Vault.database] + Desk.databases, migrations: Desk.migrations)
                let report = try StoreInspection.inspect(dataFile: payload, schema: schema)
                #expect(summary.header.contents == BackupContents.collections(report.databases))
                #expect(report.databases["media"] == 1 && report.databases["uploads"] == 0)
                #expect(report.databases["messages#media"] == 1 && report.databases["uploads#digest"] == 0)
            }
        }
    }
}
