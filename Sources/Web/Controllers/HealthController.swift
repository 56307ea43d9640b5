import Desk
import Foundation
import Hummingbird
import Prometheus
import Storage

/// Liveness, readiness and metrics.
struct HealthController {
    let desk: Desk
    let metrics: PrometheusCollectorRegistry

    func addRoutes(to routes: RouteRegistrar) {
        routes.addPublic(APIRoutes.healthz) { _, _ in
            try jsonResponse(["status": "ok"])
        }
        routes.addPublic(APIRoutes.readyz) { _, _ in
            try await readiness()
            return try jsonResponse(["status": "ready"])
        }
        routes.addPublic(APIRoutes.metrics) { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: metrics.emitToBuffer())))
        }
    }

    /// Ready when the store is healthy and a write commits (an empty change still goes through
    /// the writer thread and a durable commit, so a stuck or failed disk shows here).
    private func readiness() async throws {
        let notReady = { (reason: String) in
            APIError(status: .serviceUnavailable, code: "not_ready", message: "Not ready: \(reason).")
        }
        if case .failed = desk.store.health { throw notReady("the store failed at the disk") }
        do {
            try await desk.store.write { _ in }
        } catch {
            throw notReady("the store does not accept writes")
        }
    }
}
