import Metrics

/// The live endpoint's figures at `/metrics`: open sockets, frames sent, and why sockets closed.
enum LiveMetrics {
    static let openSockets = Meter(label: "atende_live_sockets")
    static let eventsSent = Counter(label: "atende_live_events_sent_total")

    /// Creates the series up front, so `/metrics` shows them at 0 before the first socket.
    static func register() {
        _ = (openSockets, eventsSent)
    }

    /// Counts a close the server decided, by its reason (`session_ended`, `too_slow`, …), or a
    /// socket the client ended (`client_gone`).
    static func closed(_ reason: String) {
        Counter(label: "atende_live_closes_total", dimensions: [("reason", reason)]).increment()
    }
}
