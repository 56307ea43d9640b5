public import Assistant
import Foundation
import Logging
import Storage
import Synchronization

/// How the knowledge base is indexed and searched (flag, environment and file settings in the
/// Appliance's configuration).
public struct KnowledgeConfiguration: Sendable {
    /// The dense (embedding) ranking's share of the fused score, 0…1. The default is the one
    /// `KnowledgeIndex` was tuned with on FaQuAD (bench/assistant/README.md).
    public var denseWeight: Double = KnowledgeIndex.Configuration().denseWeight
    /// What turns passages into vectors. When its `name` differs from the one the stored index
    /// meta records, a `knowledge.reembed` job rebuilds the index in the background.
    public var embedder: any Embedder = HashingEmbedder(dropsStopWords: true)
    /// How documents are cut into passages.
    public var chunker = Chunker()
    /// Above this many FAQ entries and documents the index is built after start-up, in the
    /// background, so the server answers at once (10,000 passages take ~10 s to embed on a small
    /// VPS); the assistant's turns wait for it meanwhile. At or below it the index is built before
    /// serving.
    public var buildInBackgroundAbove = 500
    public init() {}
}

/// Counts and the state of the index, for the dashboard and `GET /knowledge/status`.
public struct KnowledgeStatus: Sendable, Equatable {
    public let faqs: Int
    public let documents: Int
    /// Passages indexed (one per FAQ entry, one or more per document).
    public let passages: Int
    /// The configured embedder's name.
    public let embedder: String
    public let denseWeight: Double
    /// True while a `knowledge.reembed` job builds the index: after the embedder changed
    /// (searches are lexical, BM25, only meanwhile), or after the start of a large knowledge base
    /// (searches find nothing meanwhile, and the assistant waits).
    public let reindexing: Bool
}

/// One passage found, with what it came from.
public struct KnowledgeHit: Sendable, Equatable {
    public let passage: Passage
    /// `faq` or `doc`.
    public let kind: KnowledgeUnit.Kind
}

/// Assistant → Knowledge: FAQ entries and documents kept in the store, and one live
/// `KnowledgeIndex` kept in step with them — built from the store at start, updated after every
/// commit that changes them. The assistant reads it through `retriever`.
public final class Knowledge: Sendable {
    let core: DeskCore
    public let configuration: KnowledgeConfiguration
    /// The index searches use. Held only to read or swap the reference, so a long update never
    /// makes a search wait (`KnowledgeIndex` takes its own fine-grained lock per change).
    private let live: Mutex<KnowledgeIndex>
    /// Serialises index updates: each reads the store and applies to the index while holding it,
    /// so the last update to run reflects the last commit. Non-nil while a re-embed runs: the
    /// sources changed meanwhile, applied again to the new index before it replaces the old.
    let updates: Mutex<Set<String>?>
    /// False from the start of a large knowledge base until its index is built: the live index is
    /// empty meanwhile.
    private let complete: Mutex<Bool>

    static let reembedJob = JobKind("knowledge.reembed")
    static let reembedJobID = "knowledge.reembed"

    init(core: DeskCore, configuration: KnowledgeConfiguration) {
        self.core = core
        self.configuration = configuration
        let (index, reindexing, complete) = Self.initialIndex(core: core, configuration: configuration)
        live = Mutex(index)
        updates = Mutex(reindexing ? [] : nil)
        self.complete = Mutex(complete)
    }

    /// The retriever the assistant searches: always the current index (a rebuilt index replaces
    /// the old one without the caller noticing).
    public var retriever: any Retriever { LiveRetriever(knowledge: self) }

    /// The best `k` passages for `query`, best first, each with its kind.
    public func search(_ query: String, language: Language, k: Int) -> [KnowledgeHit] {
        let index = currentIndex
        return index.search(query, language: language, k: k).map { passage in
            KnowledgeHit(passage: passage, kind: index.unit(passage.id)?.kind ?? (passage.id.contains("#") ? .doc : .faq))
        }
    }

    var currentIndex: KnowledgeIndex { live.withLock { $0 } }

    /// Makes `index` the one searches use.
    func replaceIndex(with index: KnowledgeIndex) { live.withLock { $0 = index } }

    var isReindexing: Bool { updates.withLock { $0 != nil } }

    /// Whether the live index holds the whole knowledge base (lexically at least).
    var isComplete: Bool { complete.withLock { $0 } }

    func markComplete() { complete.withLock { $0 = true } }

    public func status() throws -> KnowledgeStatus {
        let (faqs, documents) = try core.store.read { txn in
            (try Collections.knowledgeFAQs.count(in: txn), try Collections.knowledgeDocuments.count(in: txn))
        }
        let (passages, reindexing) = (currentIndex.count, isReindexing)
        return KnowledgeStatus(faqs: faqs, documents: documents, passages: passages, embedder: configuration.embedder.name,
                               denseWeight: configuration.denseWeight, reindexing: reindexing)
    }

    var logger: Logger { core.logger }
}

/// `Knowledge.retriever`: searches whichever index is live at the time of the search.
struct LiveRetriever: Retriever {
    let knowledge: Knowledge
    func search(_ query: String, language: Language, k: Int) -> [Passage] {
        knowledge.currentIndex.search(query, language: language, k: k)
    }
    func terms(of passage: Passage) -> [String]? { knowledge.currentIndex.terms(of: passage) }
    var isReady: Bool { knowledge.isComplete }
}
