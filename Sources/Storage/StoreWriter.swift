import CLMDB
import Foundation
import Logging

/// The only write path. Runs on its own OS thread, so fdatasync never stalls the cooperative pool
/// or an event loop, and LMDB's rule that a write transaction stays on one thread holds by
/// construction. Changes queued while one commit is syncing are committed together in the next
/// (group commit); each caller resumes only once the commit holding its change is durable.
final class StoreWriter: @unchecked Sendable {
    // @unchecked: `pending`, `stopping` and `finished` are only touched under `condition`; the
    // LMDB handles are only touched on the writer thread.

    private struct Pending {
        let apply: (borrowing WriteTransaction) throws -> Void
        let finish: ((any Error)?) -> Void
    }

    private enum BatchOutcome {
        case committed([(any Error)?])
        case mapFull
        case failed(StorageError)
    }

    // unowned(unsafe): the store owns the writer and joins its thread in `close()` (also called
    // from the store's deinit) before its memory goes away.
    private unowned(unsafe) let store: Store
    private let condition = NSCondition()
    private var pending: [Pending] = []
    private var stopping = false
    private var finished = false

    init(store: Store) {
        self.store = store
        let thread = Thread { [self] in loop() }
        thread.name = "atende-store-writer"
        thread.start()
    }

    func submit<R: Sendable>(_ change: @escaping @Sendable (borrowing WriteTransaction) throws -> R) async throws -> R {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<R, any Error>) in
            let result = ResultBox<R>()
            let item = Pending(
                apply: { txn in result.value = try change(txn) },
                finish: { error in
                    if let error { continuation.resume(throwing: error) } else { continuation.resume(returning: result.value!) }
                })
            condition.lock()
            defer { condition.unlock() }
            if stopping {
                item.finish(StorageError(.invalid, "the store is closed"))
            } else if case .failed(let reason) = store.health {
                item.finish(StorageError(.unhealthy, "the store stopped accepting writes after a disk failure: \(reason)"))
            } else {
                pending.append(item)
                condition.signal()
            }
        }
    }

    /// Commits what is queued, then ends the thread. Returns once it has ended.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func loop() {
        var nextReaderCheck = Date().addingTimeInterval(store.options.readerCheckInterval.seconds)
        while true {
            condition.lock()
            while pending.isEmpty && !stopping {
                if !condition.wait(until: nextReaderCheck) {
                    condition.unlock()
                    checkReaders()
                    nextReaderCheck = Date().addingTimeInterval(store.options.readerCheckInterval.seconds)
                    condition.lock()
                }
            }
            if pending.isEmpty {                       // stopping, and nothing left to commit
                finished = true
                condition.broadcast()
                condition.unlock()
                return
            }
            let batch = Array(pending.prefix(store.options.maxBatch))
            pending.removeFirst(batch.count)
            condition.unlock()
            commit(batch)
        }
    }

    private func commit(_ batch: [Pending]) {
        if case .failed(let reason) = store.health {
            let error = StorageError(.unhealthy, "the store stopped accepting writes after a disk failure: \(reason)")
            batch.forEach { $0.finish(error) }
            return
        }
        while true {
            let started = ContinuousClock.now
            switch run(batch) {
            case .committed(let outcomes):
                store.metrics.commitLatency.recordNanoseconds((ContinuousClock.now - started).nanoseconds)
                store.metrics.commits.increment()
                store.metrics.batchSize.record(batch.count)
                store.metrics.changes.increment(by: batch.count)
                store.metrics.failedChanges.increment(by: outcomes.count { $0 != nil })
                store.metrics.update(from: store.environment)
                store.stats.withLock { $0.commits += 1; $0.changes += batch.count }
                for (item, outcome) in zip(batch, outcomes) { item.finish(outcome) }
                return
            case .mapFull:
                if let error = growMap() {
                    batch.forEach { $0.finish(error) }
                    return
                }                                       // replay the whole batch on the larger map
            case .failed(let error):
                store.metrics.commitFailures.increment()
                if error.code == .io {
                    // fsync failures can't be retried safely (reliability.md A1.9): fail-stop.
                    store.logger.critical("store commit failed; refusing further writes",
                                          metadata: ["atende.store.error": "\(error.message)"])
                    store.markFailed(error.message)
                }
                batch.forEach { $0.finish(error) }
                return
            }
        }
    }

    /// One write transaction for the batch. The changes run in it directly — a nested
    /// transaction per change costs the writer thread more than most changes do — and only when
    /// one throws is the batch run again, each change in its own nested transaction, so the
    /// failure is rolled back alone (changes may run more than once: they make ids and times
    /// before the write).
    private func run(_ batch: [Pending]) -> BatchOutcome {
        runTogether(batch) ?? runIsolated(batch)
    }

    /// Nil when a change threw in a batch of several (nothing of the batch is kept).
    private func runTogether(_ batch: [Pending]) -> BatchOutcome? {
        let txn: LMDB.Transaction
        do { txn = try LMDB.Transaction(store.environment, readOnly: false) } catch { return .failed(error) }
        for item in batch {
            do { try item.apply(WriteTransaction(handle: txn.handle, store: store)) } catch {
                txn.abort()
                if (error as? StorageError)?.code == .mapFull { return .mapFull }
                return batch.count == 1 ? .committed([error]) : nil
            }
        }
        do { try txn.commit() } catch {
            return error.code == .mapFull ? .mapFull : .failed(error)
        }
        return .committed(Array(repeating: nil, count: batch.count))
    }

    private func runIsolated(_ batch: [Pending]) -> BatchOutcome {
        let parent: LMDB.Transaction
        do { parent = try LMDB.Transaction(store.environment, readOnly: false) } catch { return .failed(error) }
        var outcomes: [(any Error)?] = []
        outcomes.reserveCapacity(batch.count)
        for item in batch {
            let child: LMDB.Transaction
            do { child = try LMDB.Transaction(store.environment, readOnly: false, parent: parent.handle) } catch {
                parent.abort()
                return error.code == .mapFull ? .mapFull : .failed(error)
            }
            var failure: (any Error)?
            do { try item.apply(WriteTransaction(handle: child.handle, store: store)) } catch { failure = error }
            if let failure {
                child.abort()
                if (failure as? StorageError)?.code == .mapFull { parent.abort(); return .mapFull }
                outcomes.append(failure)
                continue
            }
            do { try child.commit() } catch {
                parent.abort()
                return error.code == .mapFull ? .mapFull : .failed(error)
            }
            outcomes.append(nil)
        }
        do { try parent.commit() } catch {
            return error.code == .mapFull ? .mapFull : .failed(error)
        }
        return .committed(outcomes)
    }

    /// Doubles the map (no transaction of this process may be open: readers are held off by the
    /// store's gate). Returns the error to give callers when the map cannot grow further.
    private func growMap() -> StorageError? {
        let size = store.mapUsage.size
        let target = min(size * 2, store.options.maxMapSize)
        guard target > size else {
            return StorageError(.mapFull, "the store reached its maximum size of \(store.options.maxMapSize) bytes")
        }
        do {
            try store.gate.withWriteLock { try store.environment.setMapSize(target) }
        } catch {
            return error as? StorageError ?? StorageError(.io, "growing the map failed: \(error)")
        }
        store.metrics.mapGrowths.increment()
        store.stats.withLock { $0.mapGrowths += 1 }
        store.logger.notice("store map grown", metadata: ["atende.store.map_size": "\(target)"])
        return nil
    }

    private func checkReaders() {
        let cleared = store.environment.clearStaleReaders()
        if cleared > 0 {
            store.logger.warning("cleared stale LMDB readers", metadata: ["atende.store.readers_cleared": "\(cleared)"])
        }
        store.metrics.update(from: store.environment)
    }
}

/// Carries a change's result from the writer thread to its caller.
private final class ResultBox<R>: @unchecked Sendable {
    // @unchecked: written on the writer thread before the continuation resumes, read after.
    var value: R?
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
    var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}
