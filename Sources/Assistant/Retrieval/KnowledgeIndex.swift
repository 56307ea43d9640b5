import Foundation
import Synchronization
import VectorIndex

/// The knowledge base as the assistant searches it: FAQ pairs and document chunks, each indexed
/// twice — by BM25 over stemmed terms and by its embedding in a cosine index — and found by fusing
/// the two rankings (`ScoreFusion`).
///
/// The cosine index is `QuantizedIndex`: it scans int8 codes (a quarter of the bytes) and re-ranks
/// its shortlist from the float vectors, so the scores fused are exact; at 10,000 chunks the scan
/// is what a message's latency is mostly made of (bench/assistant/README.md).
///
/// Units can be added, replaced and removed while searches run; each search sees a unit entirely
/// or not at all. Persisting the index is its owner's job (ARCHITECTURE.md): rebuild it from the
/// stored knowledge at start.
public final class KnowledgeIndex: Retriever {
    /// How units are matched and how the two rankings are mixed.
    public struct Configuration: Sendable {
        /// The dense ranking's share of the fused score: 0 = BM25 only, 1 = embeddings only.
        public var denseWeight: Double
        public var bm25: BM25Index.Parameters
        /// How many times a title (FAQ question, heading breadcrumb) term counts in BM25.
        public var titleWeight: Double
        /// How many candidates each ranking contributes to the fusion.
        public var candidates: Int
        public var analyser: Analyser
        /// The share of a unit's lexical score that comes from how close together the query's
        /// terms stand in its text (pairs within `proximityWindow` terms, nearer counting more),
        /// mixed by z-scores with its BM25 score; 0 = off.
        public var proximityWeight: Double
        public var proximityWindow: Int

        /// The defaults measured on FaQuAD with the hashing embedder (bench/assistant/README.md):
        /// R@1 was flat for dense weights 0.2–0.6, so the middle is taken; the proximity share 0.2
        /// and window 8 sit inside a range (0.1–0.3 × 4–16 terms × dense 0.3–0.5) where R@1 was
        /// 0.857–0.873 against 0.841 without. Question words are dropped from the terms because
        /// answers rarely contain them.
        public init(denseWeight: Double = 0.4, bm25: BM25Index.Parameters = .init(), titleWeight: Double = 1,
                    candidates: Int = 100, analyser: Analyser = Analyser(removesQuestionWords: true),
                    proximityWeight: Double = 0.2, proximityWindow: Int = 8) {
            self.denseWeight = min(max(denseWeight, 0), 1)
            self.bm25 = bm25
            self.titleWeight = titleWeight
            self.candidates = max(1, candidates)
            self.analyser = analyser
            self.proximityWeight = min(max(proximityWeight, 0), 1)
            self.proximityWindow = max(1, proximityWindow)
        }
    }

    private struct Entry {
        let unit: KnowledgeUnit
        let vectorID: UInt64
        /// The dimensions its vector uses, for `slotFrequency` (feature-hashing embedders only).
        let slots: [Int32]
        /// Its analysed terms (title and text), for `terms(of:)`.
        let terms: [String]
    }

    private struct State {
        var units: [String: Entry] = [:]
        var unitOfVector: [UInt64: String] = [:]
        var lexical: BM25Index
        /// Each unit's text terms in order, as their hash values (this process's), for the proximity score.
        var sequences: [String: [Int]] = [:]
        var nextVectorID: UInt64 = 1
        /// How many unit vectors use each dimension: a feature's document frequency.
        var slotFrequency: [Int]
        var vectorCount = 0

        mutating func forget(_ entry: Entry) {
            unitOfVector[entry.vectorID] = nil
            for slot in entry.slots { slotFrequency[Int(slot)] -= 1 }
            if !entry.slots.isEmpty { vectorCount -= 1 }
            lexical.remove(id: entry.unit.id)
            sequences[entry.unit.id] = nil
        }
    }

    public let configuration: Configuration
    public let embedder: any Embedder
    private let vectors: QuantizedIndex
    private let state: Mutex<State>

    /// An empty index. Throws `VectorIndexError` only if the embedder's dimension is not positive.
    /// The default embedder leaves out stop words: here it finds answers, it does not tell intents apart.
    public init(embedder: any Embedder = HashingEmbedder(dropsStopWords: true),
                configuration: Configuration = Configuration()) throws {
        self.embedder = embedder
        self.configuration = configuration
        vectors = try QuantizedIndex(dimension: embedder.dimension)
        state = Mutex(State(lexical: BM25Index(parameters: configuration.bm25),
                            slotFrequency: [Int](repeating: 0, count: embedder.dimension)))
    }

    /// Units indexed.
    public var count: Int { state.withLock { $0.units.count } }

    /// The unit with `id`, if indexed.
    public func unit(_ id: String) -> KnowledgeUnit? { state.withLock { $0.units[id]?.unit } }

    /// The terms the unit behind `passage` was indexed with (nil when it is no longer here).
    public func terms(of passage: Passage) -> [String]? { state.withLock { $0.units[passage.id]?.terms } }

    /// Indexes `units`, replacing any with the same id. Throws `VectorIndexError` if the embedder
    /// returns a vector of the wrong length or with a non-finite value; then nothing was added.
    public func add(_ units: [KnowledgeUnit]) throws {
        try add(units, replacingSource: nil)
    }

    /// Chunks a document (`Chunker`) and indexes its units in place of the document's old ones, in
    /// one step: a search sees the old version or the new one, never a mix or neither.
    public func addDocument(id: String, title: String, text: String, language: Language,
                            chunker: Chunker = Chunker()) throws {
        try add(chunker.chunk(id: id, title: title, text: text, language: language), replacingSource: id)
    }

    /// Removes the unit `id`; returns whether it was indexed.
    @discardableResult
    public func remove(_ id: String) -> Bool {
        state.withLock { s in remove(id, from: &s) }
    }

    /// Removes every unit made from `sourceID` (all chunks of a document); returns how many.
    @discardableResult
    public func removeSource(_ sourceID: String) -> Int {
        state.withLock { s in removeSource(sourceID, from: &s) }
    }

    private func add(_ units: [KnowledgeUnit], replacingSource source: String?) throws {
        // Terms and vectors are computed before taking the lock, so searches do not wait on them.
        let prepared = units.map { unit in
            (unit, terms(of: unit), embedder.embed(unit.kind == .faq ? unit.text : unit.title + "\n" + unit.text))
        }
        // Checked before anything changes, so a bad vector leaves the index as it was.
        for (unit, _, vector) in prepared where vector.count != embedder.dimension || !vector.allSatisfy(\.isFinite) {
            throw VectorIndexError(vector.count != embedder.dimension ? .dimensionMismatch : .invalidVector,
                                   "embedder \(embedder.name) gave unit \(unit.id) an unusable vector")
        }
        try state.withLock { (s: inout State) throws in
            if let source { removeSource(source, from: &s) }
            for (unit, terms, vector) in prepared {
                remove(unit.id, from: &s)
                let vectorID = s.nextVectorID
                s.nextVectorID += 1
                var slots: [Int32] = []
                // An all-zero vector (a unit with no letters) cannot be normalised; it is still found by BM25.
                if vector.contains(where: { $0 != 0 }) {
                    try vectors.add(vector, id: vectorID)
                    s.unitOfVector[vectorID] = unit.id
                    if embedder.isFeatureHashing {
                        slots = vector.indices.filter { vector[$0] != 0 }.map { Int32($0) }
                        for slot in slots { s.slotFrequency[Int(slot)] += 1 }
                        s.vectorCount += 1
                    }
                }
                s.units[unit.id] = Entry(unit: unit, vectorID: vectorID, slots: slots, terms: Array(terms.keys))
                s.lexical.add(id: unit.id, terms: terms)
                if configuration.proximityWeight > 0 {
                    s.sequences[unit.id] = configuration.analyser.terms(unit.text, language: unit.language).map(\.hashValue)
                }
            }
        }
    }

    @discardableResult
    private func remove(_ id: String, from s: inout State) -> Bool {
        guard let old = s.units.removeValue(forKey: id) else { return false }
        vectors.delete(old.vectorID)
        s.forget(old)
        return true
    }

    @discardableResult
    private func removeSource(_ sourceID: String, from s: inout State) -> Int {
        let ids = s.units.values.filter { $0.unit.sourceID == sourceID }.map(\.unit.id)
        for id in ids { remove(id, from: &s) }
        return ids.count
    }

    public func search(_ query: String, language: Language, k: Int) -> [Passage] {
        guard k > 0 else { return [] }
        let queryTerms = configuration.analyser.terms(query, language: language)
        let depth = max(k, configuration.candidates)
        var denseHits: [SearchHit] = []
        if configuration.denseWeight > 0 {
            var vector = embedder.embed(query)
            if embedder.isFeatureHashing { weighByRarity(&vector) }
            // The only possible error is a vector of the wrong length, which `add` already refused:
            // the search then falls back to BM25 alone rather than failing the customer's question.
            if vector.contains(where: { $0 != 0 }) { denseHits = (try? vectors.search(vector, k: depth)) ?? [] }
        }
        return state.withLock { s in
            var lexical = configuration.denseWeight < 1 ? s.lexical.search(queryTerms, k: depth) : []
            if configuration.proximityWeight > 0, !lexical.isEmpty {
                let wanted = Set(queryTerms.map(\.hashValue))
                // The head of the BM25 ranking only: proximity reorders close candidates, and
                // scanning every candidate's text would cost more than the rest of the search.
                let near = lexical.prefix(Self.proximityCandidates).map { hit in
                    (id: hit.id, score: proximity(s.sequences[hit.id] ?? [], wanted))
                }
                lexical = ScoreFusion.zScore(lexical: lexical, dense: near, denseWeight: configuration.proximityWeight)
                    .map { ($0.id, $0.score) }
            }
            let dense = denseHits.compactMap { hit in s.unitOfVector[hit.id].map { (id: $0, score: Double(hit.score)) } }
            return ScoreFusion.zScore(lexical: lexical, dense: dense, denseWeight: configuration.denseWeight)
                .prefix(k)
                .compactMap { fused in
                    s.units[fused.id].map {
                        Passage(id: fused.id, sourceID: $0.unit.sourceID, score: fused.score, title: $0.unit.title,
                                text: $0.unit.text, lexicalScore: fused.lexical, denseScore: fused.dense)
                    }
                }
        }
    }

    /// Scales each dimension of a query vector by log((N + 1) / (df + 0.5)), N the unit vectors and
    /// df those using the dimension: the IDF of a hashed feature. Weighing the query alone keeps the
    /// stored vectors valid as the knowledge base changes; on FaQuAD it lifts the hashing embedder
    /// alone from R@1 0.67 to 0.70 (at 4096 dimensions 0.71 to 0.78).
    private func weighByRarity(_ vector: inout [Float]) {
        let (frequency, n) = state.withLock { ($0.slotFrequency, Double($0.vectorCount)) }
        guard n > 0, frequency.count == vector.count else { return }
        for i in vector.indices where vector[i] != 0 {
            vector[i] *= Float(log((n + 1) / (Double(frequency[i]) + 0.5)))
        }
    }

    /// How many of the best BM25 candidates get a proximity score; the rest take the lowest.
    static let proximityCandidates = 40

    /// Σ over pairs of distinct query terms of 1 / (the fewest terms between them in `sequence`),
    /// pairs further apart than `proximityWindow` left out.
    private func proximity(_ sequence: [Int], _ wanted: Set<Int>) -> Double {
        guard wanted.count > 1 else { return 0 }
        let hits = sequence.indices.filter { wanted.contains(sequence[$0]) }
        var closest: [Pair: Int] = [:]
        for (n, i) in hits.enumerated() {
            for j in hits[(n + 1)...] {
                guard j - i <= configuration.proximityWindow else { break }
                guard sequence[i] != sequence[j] else { continue }
                let pair = Pair(min(sequence[i], sequence[j]), max(sequence[i], sequence[j]))
                closest[pair] = min(closest[pair] ?? .max, j - i)
            }
        }
        return closest.values.reduce(0) { $0 + 1 / Double($1) }
    }

    private struct Pair: Hashable {
        let a: Int, b: Int
        init(_ a: Int, _ b: Int) { (self.a, self.b) = (a, b) }
    }

    /// BM25 term weights of a unit: its text's terms once, its title's (heading breadcrumb or FAQ
    /// question) `titleWeight` times more.
    private func terms(of unit: KnowledgeUnit) -> [String: Double] {
        var weights: [String: Double] = [:]
        for term in configuration.analyser.terms(unit.text, language: unit.language) { weights[term, default: 0] += 1 }
        if configuration.titleWeight > 0 {
            for term in configuration.analyser.terms(unit.title, language: unit.language) {
                weights[term, default: 0] += configuration.titleWeight
            }
        }
        return weights
    }
}
