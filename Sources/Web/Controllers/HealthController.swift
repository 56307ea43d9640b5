import Desk
import Foundation
import Hummingbird
import Prometheus
import Storage

/// Liveness, readiness and metrics.
struct HealthController {
    let desk: Desk
    let metrics: PrometheusCollectorRegistry
    let readiness: ReadinessProbe
    let metricsArePublic: Bool

    init(desk: Desk, metrics: PrometheusCollectorRegistry, metricsArePublic: Bool) {
        self.desk = desk
        self.metrics = metrics
        self.metricsArePublic = metricsArePublic
        let store = desk.store
        // An empty change still goes through the writer thread and a durable commit, so a stuck
        // or failed disk shows here.
        readiness = ReadinessProbe { (try? await store.write { _ in }) != nil }
    }

    func addRoutes(to routes: RouteRegistrar) {
        routes.addPublic(APIRoutes.healthz) { _, _ in
            try jsonResponse(["status": "ok"])
        }
        routes.addPublic(APIRoutes.readyz) { _, _ in
            try await ready()
            return try jsonResponse(["status": "ready"])
        }
        if metricsArePublic {
            routes.addPublic(APIRoutes.publicMetrics) { _, _ in exposition() }
        } else {
            routes.add(APIRoutes.metrics) { _, _ in exposition() }
        }
    }

    private func exposition() -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(bytes: metrics.emitToBuffer())))
    }

    /// Ready when the store is healthy and a write commits (checked at most once a second).
    private func ready() async throws {
        let notReady = { (reason: String) in
            APIError(status: .serviceUnavailable, code: "not_ready", message: "Not ready: \(reason).")
        }
        if case .failed = desk.store.health { throw notReady("the store failed at the disk") }
        guard await readiness.isReady() else { throw notReady("the store does not accept writes") }
    }
}

/// Runs a readiness probe at most once per `interval` and shares its answer: every `/readyz`
/// call was a durable commit (issue 8: 1,000 calls were 1,000 commits), which lets anyone who can
/// reach the port make the disk work. Callers that arrive while a probe runs wait for its answer.
actor ReadinessProbe {
    private let probe: @Sendable () async -> Bool
    private let interval: Duration
    private let clock = ContinuousClock()
    private var last: (at: ContinuousClock.Instant, ready: Bool)?
    /// Non-nil while a probe runs: the callers waiting for it.
    private var waiting: [CheckedContinuation<Bool, Never>]?

    init(interval: Duration = .seconds(1), probe: @escaping @Sendable () async -> Bool) {
        self.interval = interval
        self.probe = probe
    }

    func isReady() async -> Bool {
        if let last, clock.now - last.at < interval { return last.ready }
        if waiting != nil { return await withCheckedContinuation { waiting?.append($0) } }
        waiting = []
        let ready = await probe()
        last = (clock.now, ready)
        let waiters = waiting ?? []
        waiting = nil
        for waiter in waiters { waiter.resume(returning: ready) }
        return ready
    }
}
