import CAllocator
import Logging
import ServiceLifecycle

/// Gives the heap that closed live sockets freed back to the kernel (issue 8, #4).
///
/// glibc keeps freed memory in its arenas for reuse, so after hundreds of sockets close the
/// daemon's RSS stays at its peak although the objects are gone. After a live socket closes,
/// `socketClosed()` asks for a trim; this service waits `quietPeriod` (closes usually come in
/// bursts: a browser restarting, a proxy reloading) and then calls `malloc_trim(0)` once, on a
/// concurrency thread rather than an event loop. However many sockets close, it trims at most
/// once per `quietPeriod`. Without glibc the call does nothing.
public struct HeapTrimmer: Service {
    let quietPeriod: Duration
    let logger: Logger
    private let requests: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    public init(quietPeriod: Duration = .seconds(3), logger: Logger) {
        self.quietPeriod = quietPeriod
        self.logger = logger
        // One pending request stands for any number of closes.
        (requests, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a trim once the closes settle; cheap, never blocks (called as each socket ends).
    func socketClosed() {
        continuation.yield()
    }

    public func run() async throws {
        // Ends quietly at shutdown: a thrown CancellationError would read as a failed service.
        await cancelWhenGracefulShutdown {
            for await _ in requests {
                guard (try? await Task.sleep(for: quietPeriod)) != nil else { return }
                let released = atende_release_free_heap() != 0
                logger.debug("returned freed heap to the system after live sockets closed",
                             metadata: ["atende.heap.released": "\(released)"])
            }
        }
    }
}
