import Assistant
import Foundation
import Logging
import Storage

/// Building the live index from the store, keeping it in step after each commit, and the
/// background re-embed when the configured embedder changed.
extension Knowledge {
    /// The index to serve from the start: built from the store with the configured embedder; or,
    /// for a knowledge base larger than `buildInBackgroundAbove`, an empty one to serve while the
    /// `knowledge.reembed` job (scheduled by `start()`) builds it after the server is up; or — when
    /// the stored meta names another embedder — a lexical-only index to serve while that job
    /// re-embeds.
    static func initialIndex(core: DeskCore, configuration: KnowledgeConfiguration)
        -> (KnowledgeIndex, reindexing: Bool, complete: Bool) {
        do {
            let (meta, sources) = try core.store.read { txn in
                (try Collections.knowledgeMeta.get(KnowledgeIndexMeta.key, in: txn),
                 try Collections.knowledgeFAQs.count(in: txn) + Collections.knowledgeDocuments.count(in: txn))
            }
            if sources > configuration.buildInBackgroundAbove {
                return (try KnowledgeIndex(embedder: configuration.embedder,
                                           configuration: .init(denseWeight: configuration.denseWeight)), true, false)
            }
            if let meta, meta.embedder != configuration.embedder.name {
                return (try build(core: core, configuration: configuration, embedder: LexicalOnlyEmbedder(), denseWeight: 0), true, true)
            }
            return (try build(core: core, configuration: configuration), false, true)
        } catch {
            core.logger.error("knowledge index not built; searches find nothing until it is", metadata: ["atende.error": "\(error)"])
            return (try! KnowledgeIndex(embedder: LexicalOnlyEmbedder()), false, true)  // dimension 1: cannot throw
        }
    }

    /// A new index holding every FAQ entry and document in the store.
    static func build(core: DeskCore, configuration: KnowledgeConfiguration, embedder: (any Embedder)? = nil,
                      denseWeight: Double? = nil) throws -> KnowledgeIndex {
        let index = try KnowledgeIndex(embedder: embedder ?? configuration.embedder,
                                       configuration: .init(denseWeight: denseWeight ?? configuration.denseWeight))
        let (faqs, documents) = try core.store.read { txn in
            var faqs: [FAQEntry] = [], documents: [KnowledgeDocument] = []
            try Collections.knowledgeFAQs.forEach(in: txn) { faqs.append($0); return true }
            try Collections.knowledgeDocuments.forEach(in: txn) { documents.append($0); return true }
            return (faqs, documents)
        }
        try index.add(faqs.map(\.unit))
        for document in documents { try add(document, to: index, chunker: configuration.chunker) }
        return index
    }

    static func add(_ document: KnowledgeDocument, to index: KnowledgeIndex, chunker: Chunker) throws {
        let title = document.section.map { "\($0) > \(document.title)" } ?? document.title
        try index.addDocument(id: document.id.description, title: title, text: document.indexedText,
                              language: document.language, chunker: chunker)
    }

    /// After a commit that changed `sources` (FAQ entry or document ids): reads each from the
    /// store and puts it in the index as it is now, or takes it out if it is gone. Reading and
    /// applying under one lock means the last call to run sees the last commit.
    func reindex(_ sources: [DocumentID]) {
        updates.withLock { changed in
            apply(sources, to: currentIndex)
            if changed != nil { changed!.formUnion(sources.map(\.description)) }
        }
    }

    private func apply(_ sources: [DocumentID], to index: KnowledgeIndex) {
        do {
            let found = try core.store.read { txn in
                try sources.map { id in
                    (id, try Collections.knowledgeFAQs.get(Key(id), in: txn), try Collections.knowledgeDocuments.get(Key(id), in: txn))
                }
            }
            // Each branch is one step for searches: an entry is replaced, never absent in between.
            for (id, faq, document) in found {
                if let faq {
                    try index.add([faq.unit])
                } else if let document {
                    try Self.add(document, to: index, chunker: configuration.chunker)
                } else {
                    index.removeSource(id.description)
                }
            }
        } catch {
            // The change is committed; the index catches up at the next start or re-embed.
            logger.error("knowledge index not updated", metadata: ["atende.error": "\(error)"])
        }
    }

    /// At start (after the store is open, before serving): records which embedder the index is
    /// made with, or — when it changed — schedules the durable re-embed job.
    public func start() async throws {
        if isReindexing {
            logger.notice(isComplete ? "the embedder changed; the knowledge index is rebuilt in the background"
                                     : "the knowledge base is large; its index is built in the background and the assistant waits for it",
                          metadata: ["atende.knowledge.embedder": "\(configuration.embedder.name)"])
            try await core.jobs.schedule(try core.jobs.make(Self.reembedJob, id: Self.reembedJobID))
            return
        }
        let name = configuration.embedder.name, at = core.now
        try await core.store.write { txn in
            guard try Collections.knowledgeMeta.get(KnowledgeIndexMeta.key, in: txn)?.embedder != name else { return }
            try Collections.knowledgeMeta.put(KnowledgeIndexMeta(embedder: name, builtAt: at), in: txn)
        }
    }

    func registerJobs() {
        core.jobs.register(Self.reembedJob) { [self] _ in try await reembed() }
    }

    /// The `knowledge.reembed` job: builds a new index with the configured embedder from the
    /// store, applies what changed meanwhile, swaps it in, and records the embedder's name. (It
    /// also builds a large knowledge base's index after start-up.)
    func reembed() async throws -> JobOutcome {
        guard isReindexing else { return .done }
        let first = !isComplete
        let fresh = try Self.build(core: core, configuration: configuration)
        updates.withLock { changed in
            if let sources = changed { apply(sources.compactMap(DocumentID.init(string:)), to: fresh) }
            replaceIndex(with: fresh)
            changed = nil
        }
        markComplete()
        let name = configuration.embedder.name, at = core.now
        try await core.store.write { txn in
            try Collections.knowledgeMeta.put(KnowledgeIndexMeta(embedder: name, builtAt: at), in: txn)
        }
        logger.notice(first ? "knowledge index built" : "knowledge index rebuilt", metadata: ["atende.knowledge.embedder": "\(name)"])
        core.publish(.knowledgeChanged(KnowledgeChange(reason: "reindexed", id: nil)))
        return .done
    }
}

extension FAQEntry {
    /// The FAQ pair as the index holds it: one unit, "question: answer".
    var unit: KnowledgeUnit { .faq(id: id.description, question: question, answer: answer, language: language) }
}

/// Served while a re-embed runs: every vector is zero, so units are found by BM25 alone and no
/// vector of the old embedder is compared with one of the new.
struct LexicalOnlyEmbedder: Embedder {
    var name: String { "none" }
    var dimension: Int { 1 }
    func embed(_ text: String) -> [Float] { [0] }
}
