import Foundation
import Logging
import Storage
#if canImport(Glibc)
import Glibc
#endif

/// What `disk-full` reports on stdout as one JSON line, for the fault test to judge.
struct DiskFullReport: Codable {
    struct Failure: Codable {
        var code: String
        var errno: Int32?
        var message: String
    }
    var acked = 0
    var limit = 0
    /// The first error each writer task got (writers stop at their first error).
    var failures: [Failure] = []
    /// `store.health` after the failures: "ok" or the failure reason.
    var health = ""
    /// What one more write got after the store went unhealthy.
    var laterWrite: Failure?
}

/// `disk-full`: writes and acknowledges a few documents, then lowers RLIMIT_FSIZE to just past the
/// data file's size so a later commit fails with EFBIG — the closest to a full disk a test can get
/// without root (reliability.md B3). SIGXFSZ is ignored so the write fails instead of killing us.
/// Writers keep going until each gets an error; nothing failed is acknowledged.
func fillDisk(_ args: Arguments, logger: Logger) async throws {
    let store = try Store(directory: args.data, schema: crashSchema, logger: logger)
    let ledger = try Ledger(path: args.ledger)
    var report = DiskFullReport()
    for k in 0..<20 {
        let record = CrashRecord(id: DocumentID(), n: args.base + k, writer: 0, pad: "before the limit")
        try await store.write { try records.insert(record, in: $0) }
        try ledger.append(record.n)
        report.acked += 1
    }
    let dataFile = (store.environmentPath as NSString).appendingPathComponent("data.mdb")
    let size = try FileManager.default.attributesOfItem(atPath: dataFile)[.size] as? Int ?? 0
    report.limit = size + args.headroom
    signal(SIGXFSZ, SIG_IGN)
    var limit = rlimit()
    getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit)
    limit.rlim_cur = rlim_t(report.limit)
    guard setrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit) == 0 else { throw SystemError("setrlimit") }

    let counter = Counter()
    let pad = String(repeating: "f", count: 8 << 10)
    let outcomes = try await withThrowingTaskGroup(of: (acked: Int, failure: DiskFullReport.Failure?).self) { group in
        for writer in 0..<args.writers {
            group.addTask {
                var acked = 0
                // Bounded so a limit that never bites ends the run instead of filling the disk.
                while let k = counter.next(limit: 20_000) {
                    let record = CrashRecord(id: DocumentID(), n: args.base + 20 + k, writer: writer, pad: pad)
                    do {
                        try await store.write { try records.insert(record, in: $0) }
                    } catch {
                        return (acked, describe(error))
                    }
                    try ledger.append(record.n)
                    acked += 1
                }
                return (acked, nil)
            }
        }
        return try await group.reduce(into: [(acked: Int, failure: DiskFullReport.Failure?)]()) { $0.append($1) }
    }
    report.acked += outcomes.reduce(0) { $0 + $1.acked }
    report.failures = outcomes.compactMap(\.failure)
    switch store.health {
    case .ok: report.health = "ok"
    case .failed(let reason): report.health = reason
    }
    let extra = CrashRecord(id: DocumentID(), n: 0, writer: -1, pad: "after the failure")
    do { try await store.write { try records.insert(extra, in: $0) } } catch { report.laterWrite = describe(error) }
    store.close()
    let json = try JSONEncoder().encode(report)
    emit("report " + String(decoding: json, as: UTF8.self))
}

private func describe(_ error: any Error) -> DiskFullReport.Failure {
    guard let error = error as? StorageError else {
        return .init(code: "not a StorageError", errno: nil, message: "\(error)")
    }
    return .init(code: error.code.description, errno: error.errno, message: error.message)
}
