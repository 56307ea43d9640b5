import Foundation
import Storage

/// A small document, about the size of a chat message's metadata.
struct BenchRecord: Codable, Sendable {
    var id: DocumentID
    var n: Int
    var text: String
}

let benchRecords = DocumentCollection<BenchRecord>("bench", key: { Key($0.id) })
let benchSchema = Schema(version: 1, databases: [benchRecords])

private let text = String(repeating: "olá, mundo ", count: 10)

struct Throughput {
    var commitsPerSecond: Double
    var documentsPerSecond: Double
}

/// One writer, one document per transaction, each `write` awaited before the next: every
/// document pays for a whole durable commit.
func singleWriter(_ store: Store, for duration: Duration) async throws -> Throughput {
    let before = store.statistics
    let clock = ContinuousClock()
    let start = clock.now
    var n = 0
    while clock.now - start < duration {
        let record = BenchRecord(id: DocumentID(), n: n, text: text)
        try await store.write { try benchRecords.insert(record, in: $0) }
        n += 1
    }
    return rates(store, since: before, elapsed: clock.now - start)
}

/// `writers` concurrent tasks, each awaiting its own writes one after another, as 64 request
/// handlers would: the store's writer thread folds whatever is queued into one commit.
func concurrentWriters(_ store: Store, writers: Int, for duration: Duration) async throws -> Throughput {
    let before = store.statistics
    let clock = ContinuousClock()
    let start = clock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for w in 0..<writers {
            group.addTask {
                var n = 0
                while clock.now - start < duration {
                    let record = BenchRecord(id: DocumentID(), n: w << 32 | n, text: text)
                    try await store.write { try benchRecords.insert(record, in: $0) }
                    n += 1
                }
            }
        }
        try await group.waitForAll()
    }
    return rates(store, since: before, elapsed: clock.now - start)
}

private func rates(_ store: Store, since before: Store.Statistics, elapsed: Duration) -> Throughput {
    let after = store.statistics
    return Throughput(commitsPerSecond: Double(after.commits - before.commits) / elapsed.seconds,
                      documentsPerSecond: Double(after.changes - before.changes) / elapsed.seconds)
}
