import Logging
import Metrics
import NIOCore
import Synchronization

/// The server's HTTP connections, shared by every event loop: the `ConnectionTable` behind a
/// lock, plus the figures at `/metrics`. Upgraded WebSocket connections leave it (the live
/// endpoint caps its sockets itself).
final class ConnectionRegistry: Sendable {
    typealias Table = ConnectionTable<any Channel>

    private let table: Mutex<Table>
    private let nextID = Atomic<UInt64>(1)
    let limits: Table.Limits

    init(limits: Table.Limits) {
        self.limits = limits
        table = Mutex(Table(limits: limits))
        HTTPMetrics.register()
    }

    var count: Int { table.withLock { $0.count } }

    /// Admits or refuses a new connection; an evicted connection is closed here.
    func admit(_ channel: any Channel, address: IPAddress?, exempt: Bool, logger: Logger) -> (id: UInt64, admission: Table.Admission) {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        let now = NIODeadline.now().uptimeNanoseconds
        let admission = table.withLock { $0.admit(id, address: address, exempt: exempt, handle: channel, now: now) }
        switch admission {
        case .admitted(let evicted):
            HTTPMetrics.openConnections.increment()
            if let evicted {
                HTTPMetrics.openConnections.decrement()
                HTTPMetrics.evicted.increment()
                logger.debug("connection evicted to make room", metadata: [
                    "atende.connection.peer": "\(evicted.remoteAddress?.ipAddress ?? "?")",
                ])
                evicted.close(promise: nil)
            }
        case .refused(let reason):
            HTTPMetrics.refused(reason.rawValue)
            logger.debug("connection refused", metadata: ["atende.connection.refusal": "\(reason.rawValue)"])
        }
        return (id, admission)
    }

    func update(_ id: UInt64, to activity: Table.Activity) {
        table.withLock { $0.update(id, to: activity) }
    }

    func remove(_ id: UInt64) {
        if table.withLock({ $0.remove(id) }) != nil { HTTPMetrics.openConnections.decrement() }
    }
}

/// The HTTP server's figures at `/metrics`.
enum HTTPMetrics {
    static let openConnections = Meter(label: "atende_http_connections")
    static let evicted = Counter(label: "atende_http_connections_evicted_total")
    static let timedOut = Counter(label: "atende_http_requests_timed_out_total")
    static let malformed = Counter(label: "atende_http_requests_malformed_total")

    /// Connections refused at accept, by reason (`per_address`, `full`).
    static func refused(_ reason: String) {
        Counter(label: "atende_http_connections_refused_total", dimensions: [("reason", reason)]).increment()
    }

    /// Creates the series up front, so `/metrics` shows them at 0.
    static func register() {
        _ = (openConnections, evicted, timedOut, malformed)
        for reason in ["per_address", "full"] {
            Counter(label: "atende_http_connections_refused_total", dimensions: [("reason", reason)]).increment(by: 0)
        }
    }
}
