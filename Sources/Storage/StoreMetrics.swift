import CLMDB
import Metrics

/// The store's figures, reported through swift-metrics (exported at `/metrics` by the daemon).
struct StoreMetrics: Sendable {
    let commits = Counter(label: "atende_store_commits_total")
    let changes = Counter(label: "atende_store_changes_total")
    let failedChanges = Counter(label: "atende_store_changes_rolled_back_total")
    let commitFailures = Counter(label: "atende_store_commit_failures_total")
    let mapGrowths = Counter(label: "atende_store_map_grows_total")
    let commitLatency = Timer(label: "atende_store_commit_duration_seconds")
    let batchSize = Recorder(label: "atende_store_batch_size")
    let mapSize = Gauge(label: "atende_store_map_size_bytes")
    let mapUsed = Gauge(label: "atende_store_map_used_bytes")
    let readers = Gauge(label: "atende_store_readers")
    let readerSlots = Gauge(label: "atende_store_reader_slots")

    func update(from env: LMDB.Environment) {
        let info = env.info
        mapSize.record(Int(info.me_mapsize))
        mapUsed.record((Int(info.me_last_pgno) + 1) * env.pageSize)
        readers.record(Int(info.me_numreaders))
        readerSlots.record(Int(info.me_maxreaders))
    }
}
