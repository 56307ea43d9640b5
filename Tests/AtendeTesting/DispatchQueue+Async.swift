import Dispatch

extension DispatchQueue {
    /// Runs blocking `body` on this queue and awaits its result, so raw-socket test clients never
    /// block a Swift concurrency thread.
    func perform<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            async { continuation.resume(with: Result { try body() }) }
        }
    }

    func perform<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in async { continuation.resume(returning: body()) } }
    }
}
