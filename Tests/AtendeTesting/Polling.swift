/// Calls `check` every `interval` until it returns a value, and once more after `timeout` has
/// passed before giving up (nil). The last look matters on a loaded machine: with the whole
/// suite running on two cores, a waiting task can resume long after its deadline, and what it
/// waited for may have happened meanwhile (a child that printed "up", a server already
/// answering) — that is not a failure.
public func poll<T>(every interval: Duration, for timeout: Duration, _ check: () async throws -> T?) async throws -> T? {
    let deadline = ContinuousClock.now + timeout
    while true {
        if let value = try await check() { return value }
        if ContinuousClock.now >= deadline { return nil }
        try await Task.sleep(for: interval)
    }
}
