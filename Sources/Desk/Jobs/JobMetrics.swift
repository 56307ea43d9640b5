import Metrics

/// The jobs' figures at `/metrics`.
enum JobMetrics {
    static let due = Gauge(label: "atende_jobs_due")
    static let running = Gauge(label: "atende_jobs_running")
    static let failed = Gauge(label: "atende_jobs_failed")
    static let oldestDueAge = Gauge(label: "atende_jobs_oldest_due_age_seconds")
    static let duration = Timer(label: "atende_job_duration_seconds")

    static func attempts(_ kind: JobKind, _ outcome: JobOutcome) -> Counter {
        let name = switch outcome {
        case .done: "done"
        case .again: "again"
        case .wait: "wait"
        case .retry: "retry"
        case .fail: "fail"
        }
        return Counter(label: "atende_job_attempts_total", dimensions: [("kind", kind.rawValue), ("outcome", name)])
    }

    static func update(_ statistics: JobStatistics?) {
        guard let statistics else { return }
        due.record(statistics.due)
        running.record(statistics.running)
        failed.record(statistics.failed)
        oldestDueAge.record(statistics.oldestDueAge)
    }
}
