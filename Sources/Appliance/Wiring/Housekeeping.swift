import Desk
import Logging
import ServiceLifecycle

/// Runs `Desk.sweep` once shortly after start and then every `interval`: expired sessions and
/// old failed sign-ins leave the store even if nobody comes back for them. A timer until the jobs
/// area exists; then this becomes a recurring job. Stops at graceful shutdown (a sweep in
/// progress finishes its current transaction; the next run picks up the rest).
struct Housekeeping: Service {
    let desk: Desk
    let interval: Duration
    let logger: Logger

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let report = try await desk.sweep()
                    if !report.isEmpty {
                        logger.info("swept expired records", metadata: [
                            "atende.sweep.sessions": "\(report.sessionsEnded)",
                            "atende.sweep.failed_sign_ins": "\(report.failedSignInsForgotten)",
                        ])
                    }
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("sweep failed; will try again", metadata: ["atende.error": "\(error)"])
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
