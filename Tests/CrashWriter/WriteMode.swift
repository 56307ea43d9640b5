import Foundation
import Logging
import Storage
import Synchronization

/// Numbers handed to writer tasks, each used once.
final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    /// The next index, or nil once `limit` have been handed out.
    func next(limit: Int?) -> Int? {
        let k = value.add(1, ordering: .relaxed).oldValue
        if let limit, k >= limit { return nil }
        return k
    }
}

/// `write`: `writers` tasks each store a uniquely numbered document and append its number to the
/// ledger only after `store.write` returned, i.e. after the commit holding it was fdatasync'd.
/// With `--ack-before-commit` the order is reversed: the deliberately broken negative control.
func runWriters(_ args: Arguments, logger: Logger) async throws {
    let store = try Store(directory: args.data, schema: crashSchema, logger: logger)
    let ledger = try Ledger(path: args.ledger)
    emit("ready \(getpid())")
    let counter = Counter()
    let pad = String(repeating: "p", count: args.pad)
    try await withThrowingTaskGroup(of: Void.self) { group in
        for writer in 0..<args.writers {
            group.addTask {
                while let k = counter.next(limit: args.count) {
                    let record = CrashRecord(id: DocumentID(), n: args.base + k, writer: writer, pad: pad)
                    if args.ackBeforeCommit { try ledger.append(record.n) }
                    try await store.write { try records.insert(record, in: $0) }
                    if !args.ackBeforeCommit { try ledger.append(record.n) }
                }
            }
        }
        try await group.waitForAll()
    }
    let stats = store.statistics
    store.close()
    emit(#"done {"changes":\#(stats.changes),"commits":\#(stats.commits)}"#)
}

/// `hold-read`: opens the store read-only without the directory lock (as `atende backup` does
/// while `serve` runs), takes a read transaction, says so, and holds it until killed — leaving a
/// reader slot behind that only `mdb_reader_check` can clear.
func holdRead(_ args: Arguments, logger: Logger) throws {
    var options = Store.Options()
    options.readOnly = true
    options.lockDirectory = false
    let store = try Store(directory: args.data, options: options, logger: logger)
    _ = try store.read { _ -> Int in
        emit("holding \(getpid())")
        while true { sleep(60) }
    }
}
