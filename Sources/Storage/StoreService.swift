public import ServiceLifecycle

/// Runs the store as a service of the daemon's ServiceGroup: it lives until graceful shutdown,
/// then commits what is queued and closes LMDB. If a commit fails at the disk it ends the group
/// with an error, so the process exits non-zero and systemd restarts it (fail-stop).
public struct StoreService: Service {
    public let store: Store
    public init(store: Store) { self.store = store }

    public func run() async throws {
        await withTaskCancellationOrGracefulShutdownHandler {
            await store.stopSignal.wait()
        } onCancelOrGracefulShutdown: {
            store.stopSignal.fire()
        }
        store.close()
        if case .failed(let reason) = store.health {
            throw StorageError(.unhealthy, "the store failed: \(reason)")
        }
    }
}
