import Synchronization

/// The engine behind `ExactIndex` and `QuantizedIndex`: rows, the id map and the writer.
///
/// One lock guards the writer state. A search takes a `Snapshot` under the lock (O(1):
/// two references and a count) and scans without it, so searches never wait for a scan
/// and see either all of a write or none of it. Writes never touch published rows: adds
/// and updates append, deletes flip a copy-on-write tombstone bit, growth and compaction
/// build new storage and publish it; old storage lives until its last reader lets go.
final class IndexCore: Sendable {
    struct State: ~Copyable {
        var snapshot: Snapshot
        var slotOf: [UInt64: Int]
    }

    let dimension: Int
    let isQuantized: Bool
    let kernels: Kernels
    let rerankDepth: Int
    /// Quantised indexes only: whether searches start with the 1-bit pass.
    let firstPass: FirstPass
    let state: Mutex<State>
    /// Reused buffers of the 1-bit pass (see `BinaryScratch`).
    let binaryScratch = BinaryScratchPool()

    init(dimension: Int, quantized: Bool, kernel: KernelPath, rerankDepth: Int, capacity: Int,
         firstPass: FirstPass = .automatic) throws(VectorIndexError) {
        guard dimension > 0 else { throw VectorIndexError(.invalidArgument, "dimension must be positive, got \(dimension)") }
        guard rerankDepth >= 0 else { throw VectorIndexError(.invalidArgument, "rerank depth must be ≥ 0, got \(rerankDepth)") }
        guard CPUFeatures.current.supports(kernel) else {
            throw VectorIndexError(.invalidArgument, "kernel path \(kernel.rawValue) is not supported by this CPU (\(CPUFeatures.current))")
        }
        self.dimension = dimension
        self.isQuantized = quantized
        self.kernels = Kernels(kernel)
        self.rerankDepth = rerankDepth
        self.firstPass = firstPass
        let storage = RowStorage(dimension: dimension, isQuantized: quantized, capacity: max(capacity, 64))
        state = Mutex(State(snapshot: Snapshot(storage: storage, count: 0, dead: Tombstones()), slotOf: [:]))
    }

    /// An index over already-validated storage (a mapped file).
    init(storage: RowStorage, count: Int, kernel: KernelPath, rerankDepth: Int,
         firstPass: FirstPass = .automatic) throws(VectorIndexError) {
        guard CPUFeatures.current.supports(kernel) else {
            throw VectorIndexError(.invalidArgument, "kernel path \(kernel.rawValue) is not supported by this CPU")
        }
        dimension = storage.dimension
        isQuantized = storage.isQuantized
        kernels = Kernels(kernel)
        self.rerankDepth = rerankDepth
        self.firstPass = firstPass
        var slotOf = [UInt64: Int](minimumCapacity: count)
        for slot in 0..<count {
            let id = storage.ids[slot]
            guard slotOf.updateValue(slot, forKey: id) == nil else {
                throw VectorIndexError(.corrupted, "index file lists id \(id) twice")
            }
        }
        state = Mutex(State(snapshot: Snapshot(storage: storage, count: count, dead: Tombstones()), slotOf: slotOf))
    }

    func snapshot() -> Snapshot { state.withLock { $0.snapshot } }

    var count: Int { state.withLock { $0.slotOf.count } }

    func contains(_ id: UInt64) -> Bool { state.withLock { $0.slotOf[id] != nil } }

    // MARK: writes

    /// Adds rows; all or nothing: a duplicate id (in the index or the batch) throws before any row is written.
    func add(_ rows: [(id: UInt64, vector: [Float])]) throws(VectorIndexError) {
        let prepared = try prepare(rows)
        try state.withLock { (s: inout State) throws(VectorIndexError) in
            var seen = Set<UInt64>()
            for row in prepared where s.slotOf[row.id] != nil || !seen.insert(row.id).inserted {
                throw VectorIndexError(.duplicateID, "id \(row.id) is already in the index; use update to replace it")
            }
            append(prepared, to: &s)
        }
    }

    /// Replaces the vectors of existing ids (append + tombstone, so readers never see a half-written row).
    func update(_ rows: [(id: UInt64, vector: [Float])]) throws(VectorIndexError) {
        let prepared = try prepare(rows)
        try state.withLock { (s: inout State) throws(VectorIndexError) in
            for row in prepared where s.slotOf[row.id] == nil {
                throw VectorIndexError(.unknownID, "id \(row.id) is not in the index; use add")
            }
            for row in prepared { s.snapshot.dead.insert(s.slotOf[row.id]!) }
            append(prepared, to: &s)
            compactIfMostlyDead(&s)
        }
    }

    /// Deletes ids; returns how many were present.
    @discardableResult
    func delete(_ ids: [UInt64]) -> Int {
        state.withLock { s in
            var removed = 0
            for id in ids {
                guard let slot = s.slotOf.removeValue(forKey: id) else { continue }
                s.snapshot.dead.insert(slot)
                removed += 1
            }
            compactIfMostlyDead(&s)
            return removed
        }
    }

    /// Rewrites storage without dead rows.
    func compact() {
        state.withLock { s in rebuild(&s, capacity: max(64, s.slotOf.count)) }
    }

    private func prepare(_ rows: [(id: UInt64, vector: [Float])]) throws(VectorIndexError) -> [PreparedRow] {
        var out: [PreparedRow] = []
        out.reserveCapacity(rows.count)
        for (id, vector) in rows {
            out.append(try Quantizer.prepareRow(vector, id: id, dimension: dimension, quantized: isQuantized))
        }
        return out
    }

    private func append(_ rows: [PreparedRow], to s: inout State) {
        let needed = s.snapshot.count + rows.count
        if needed > s.snapshot.storage.capacity || s.snapshot.storage.isMapped {
            // Grow by doubling (and leave a mapped file untouched: copy it to the heap).
            rebuild(&s, capacity: max(64, needed, s.snapshot.storage.capacity * 2), keepDead: true)
        }
        let storage = s.snapshot.storage
        var slot = s.snapshot.count
        for row in rows {
            storage.write(slot: slot, row: row)
            s.slotOf[row.id] = slot
            slot += 1
        }
        s.snapshot.count = slot  // publish
    }

    private func compactIfMostlyDead(_ s: inout State) {
        let dead = s.snapshot.dead.count
        if dead >= 1024 && dead > s.slotOf.count {
            rebuild(&s, capacity: max(64, s.slotOf.count * 2))
        }
    }

    /// New storage holding the current rows (all, or only live ones), published at once.
    private func rebuild(_ s: inout State, capacity: Int, keepDead: Bool = false) {
        let old = s.snapshot
        let storage = RowStorage(dimension: dimension, isQuantized: isQuantized, capacity: max(capacity, old.count))
        var slot = 0
        var slotOf = keepDead ? s.slotOf : [UInt64: Int](minimumCapacity: s.slotOf.count)
        for from in 0..<old.count where keepDead || !old.dead.contains(from) {
            storage.copyRow(from: old.storage, from, to: slot)
            if !keepDead { slotOf[storage.ids[slot]] = slot }
            slot += 1
        }
        s.slotOf = slotOf
        s.snapshot = Snapshot(storage: storage, count: slot, dead: keepDead ? old.dead : Tombstones())
    }
}
