import Foundation
public import Storage
import Assistant

/// Creating, editing, deleting and importing knowledge: each change is one commit with its audit
/// entry, then the index is brought in step and `knowledge.changed` is published.
extension Knowledge {
    // MARK: FAQ entries

    public func faqs(page: PageRequest) throws -> Listing<FAQEntry> {
        try core.store.read { txn in
            let found = try Collections.knowledgeFAQs.page(after: page.after, limit: page.limit, in: txn)
            return Listing(items: found.items, nextCursor: found.nextCursor?.base64url)
        }
    }

    public func faq(_ id: DocumentID) throws -> FAQEntry {
        guard let entry = try core.store.read({ txn in try Collections.knowledgeFAQs.get(Key(id), in: txn) }) else {
            throw DeskError(.notFound, "No FAQ entry has this id.")
        }
        return entry
    }

    public func createFAQ(_ draft: FAQDraft, by requester: Requester) async throws -> FAQEntry {
        try requireEditor(requester)
        let checked = try draft.checked()
        let at = core.now
        let entry = FAQEntry(id: core.newID(), question: checked.question, answer: checked.answer, language: checked.language,
                             section: checked.section, createdAt: at, updatedAt: at)
        let audit = core.auditRecord(.knowledgeCreated, object: "faq:\(entry.id)", by: requester)
        try await core.store.write { txn in
            try Collections.knowledgeFAQs.insert(entry, in: txn)
            try self.core.audit(audit, in: txn)
        }
        changed([entry.id], reason: "faq.created")
        return entry
    }

    public func updateFAQ(_ id: DocumentID, _ draft: FAQDraft, by requester: Requester) async throws -> FAQEntry {
        try requireEditor(requester)
        let checked = try draft.checked()
        let at = core.now
        let audit = core.auditRecord(.knowledgeUpdated, object: "faq:\(id)", by: requester)
        let entry = try await core.store.write { txn -> FAQEntry in
            guard var entry = try Collections.knowledgeFAQs.get(Key(id), in: txn) else { throw DeskError(.notFound, "No FAQ entry has this id.") }
            (entry.question, entry.answer, entry.language, entry.section, entry.updatedAt) =
                (checked.question, checked.answer, checked.language, checked.section, at)
            try Collections.knowledgeFAQs.put(entry, in: txn)
            try self.core.audit(audit, in: txn)
            return entry
        }
        changed([id], reason: "faq.updated")
        return entry
    }

    public func deleteFAQ(_ id: DocumentID, by requester: Requester) async throws {
        try requireEditor(requester)
        let audit = core.auditRecord(.knowledgeDeleted, object: "faq:\(id)", by: requester)
        try await core.store.write { txn in
            guard try Collections.knowledgeFAQs.delete(Key(id), in: txn) else { throw DeskError(.notFound, "No FAQ entry has this id.") }
            try self.core.audit(audit, in: txn)
        }
        changed([id], reason: "faq.deleted")
    }

    // MARK: Documents

    public func documents(page: PageRequest) throws -> Listing<KnowledgeDocument> {
        try core.store.read { txn in
            let found = try Collections.knowledgeDocuments.page(after: page.after, limit: page.limit, in: txn)
            return Listing(items: found.items, nextCursor: found.nextCursor?.base64url)
        }
    }

    public func document(_ id: DocumentID) throws -> KnowledgeDocument {
        guard let document = try core.store.read({ txn in try Collections.knowledgeDocuments.get(Key(id), in: txn) }) else {
            throw DeskError(.notFound, "No document has this id.")
        }
        return document
    }

    public func createDocument(_ draft: DocumentDraft, by requester: Requester) async throws -> KnowledgeDocument {
        try requireEditor(requester)
        let document = newDocument(try draft.checked())
        let audit = core.auditRecord(.knowledgeCreated, object: "document:\(document.id)", by: requester)
        try await core.store.write { txn in
            try Collections.knowledgeDocuments.insert(document, in: txn)
            try self.core.audit(audit, in: txn)
        }
        changed([document.id], reason: "document.created")
        return document
    }

    public func updateDocument(_ id: DocumentID, _ draft: DocumentDraft, by requester: Requester) async throws -> KnowledgeDocument {
        try requireEditor(requester)
        let checked = try draft.checked()
        let at = core.now
        let audit = core.auditRecord(.knowledgeUpdated, object: "document:\(id)", by: requester)
        let document = try await core.store.write { txn -> KnowledgeDocument in
            guard var document = try Collections.knowledgeDocuments.get(Key(id), in: txn) else {
                throw DeskError(.notFound, "No document has this id.")
            }
            (document.title, document.text, document.format, document.language, document.section, document.updatedAt) =
                (checked.title, checked.text, checked.format, checked.language, checked.section, at)
            try Collections.knowledgeDocuments.put(document, in: txn)
            try self.core.audit(audit, in: txn)
            return document
        }
        changed([id], reason: "document.updated")
        return document
    }

    public func deleteDocument(_ id: DocumentID, by requester: Requester) async throws {
        try requireEditor(requester)
        let audit = core.auditRecord(.knowledgeDeleted, object: "document:\(id)", by: requester)
        try await core.store.write { txn in
            guard try Collections.knowledgeDocuments.delete(Key(id), in: txn) else { throw DeskError(.notFound, "No document has this id.") }
            try self.core.audit(audit, in: txn)
        }
        changed([id], reason: "document.deleted")
    }

    // MARK: Import

    /// What an import stored: each entry as it is now, and how many replaced a stored entry
    /// (same import id, else same question or title — see `importBatch`).
    public struct ImportReport: Sendable, Equatable {
        public let faqs: [FAQEntry]
        public let documents: [KnowledgeDocument]
        public let replaced: Int
    }

    /// Stores everything `batch` holds in one commit (all or nothing) and indexes it. An entry
    /// replaces the stored entry it is a new version of, keeping its id: the one with its import id
    /// (`externalID`), else — for a file without ids, such as a CSV exported again — the FAQ entry
    /// with the same question in the same language, or the document with the same title. Importing
    /// an edited file twice therefore never leaves the old answer beside the new one.
    public func importBatch(_ batch: KnowledgeImport, by requester: Requester) async throws -> ImportReport {
        try requireEditor(requester)
        let at = core.now
        let faqs = try batch.faqs.map { draft in
            let checked = try draft.checked()
            return FAQEntry(id: core.newID(), question: checked.question, answer: checked.answer, language: checked.language,
                            section: checked.section, createdAt: at, updatedAt: at, externalID: checked.externalID)
        }
        let documents = try batch.documents.map { newDocument(try $0.checked()) }
        let audit = core.auditRecord(.knowledgeImported, object: "import:\(faqs.count) faq, \(documents.count) documents", by: requester)
        // The closure may run again (ARCHITECTURE.md): it only reads the transaction and the values made above.
        let report = try await core.store.write { txn -> ImportReport in
            var replaced = 0
            var storedFAQs: [DocumentID: FAQEntry] = [:], storedDocuments: [DocumentID: KnowledgeDocument] = [:]
            var order: [DocumentID] = []
            var faqByQuestion: [String: FAQEntry] = [:], documentByTitle: [String: KnowledgeDocument] = [:]
            if faqs.contains(where: { $0.externalID == nil }) {
                try Collections.knowledgeFAQs.forEach(in: txn) { faqByQuestion[Self.sameness($0.question, $0.language)] = $0; return true }
            }
            if documents.contains(where: { $0.externalID == nil }) {
                try Collections.knowledgeDocuments.forEach(in: txn) { documentByTitle[Self.sameness($0.title, $0.language)] = $0; return true }
            }
            for var entry in faqs {
                let old = try entry.externalID.map { try Collections.knowledgeFAQs.get(unique: "external", Key($0), in: txn) }
                    ?? faqByQuestion[Self.sameness(entry.question, entry.language)]
                if let old {
                    entry = FAQEntry(id: old.id, question: entry.question, answer: entry.answer, language: entry.language,
                                     section: entry.section, createdAt: old.createdAt, updatedAt: at, externalID: entry.externalID ?? old.externalID)
                    replaced += 1
                }
                try Collections.knowledgeFAQs.put(entry, in: txn)
                if storedFAQs.updateValue(entry, forKey: entry.id) == nil { order.append(entry.id) }
                if entry.externalID == nil { faqByQuestion[Self.sameness(entry.question, entry.language)] = entry }
            }
            for var document in documents {
                let old = try document.externalID.map { try Collections.knowledgeDocuments.get(unique: "external", Key($0), in: txn) }
                    ?? documentByTitle[Self.sameness(document.title, document.language)]
                if let old {
                    document = KnowledgeDocument(id: old.id, title: document.title, text: document.text, format: document.format,
                                                 language: document.language, section: document.section, createdAt: old.createdAt,
                                                 updatedAt: at, externalID: document.externalID ?? old.externalID)
                    replaced += 1
                }
                try Collections.knowledgeDocuments.put(document, in: txn)
                if storedDocuments.updateValue(document, forKey: document.id) == nil { order.append(document.id) }
                if document.externalID == nil { documentByTitle[Self.sameness(document.title, document.language)] = document }
            }
            try self.core.audit(audit, in: txn)
            return ImportReport(faqs: order.compactMap { storedFAQs[$0] }, documents: order.compactMap { storedDocuments[$0] }, replaced: replaced)
        }
        changed(report.faqs.map(\.id) + report.documents.map(\.id), reason: "imported")
        return report
    }

    /// What makes two questions (or titles) the same entry: the words, whatever their case,
    /// accents, spacing and final punctuation, in the same language.
    static func sameness(_ text: String, _ language: Language) -> String {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
        let words = folded.split { $0.isWhitespace || $0 == "?" || $0 == "!" || $0 == "." || $0 == "¿" || $0 == "¡" }
        return language.rawValue + ":" + words.joined(separator: " ")
    }

    // MARK: Helpers

    private func newDocument(_ checked: DocumentDraft) -> KnowledgeDocument {
        let at = core.now
        return KnowledgeDocument(id: core.newID(), title: checked.title, text: checked.text, format: checked.format,
                                 language: checked.language, section: checked.section, createdAt: at, updatedAt: at,
                                 externalID: checked.externalID)
    }

    /// Adding and changing knowledge is Assistant full (Admins and Managers).
    private func requireEditor(_ requester: Requester) throws {
        guard requester.role.permissions.allows(.assistant, .full) else {
            throw DeskError(.forbidden, "Only Admins and Managers change the knowledge base.")
        }
    }

    private func changed(_ ids: [DocumentID], reason: String) {
        reindex(ids)
        core.publish(.knowledgeChanged(KnowledgeChange(reason: reason, id: ids.count == 1 ? ids[0].description : nil)))
    }
}

/// The payload of `knowledge.changed`: what happened and to which entry (nil for an import or
/// a rebuild, which touch many).
struct KnowledgeChange: Encodable, Sendable {
    let reason: String
    let id: String?
}
