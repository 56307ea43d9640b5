import Synchronization

/// One reader's place in the live stream. Read it from one task with ``next()``; another
/// task may wait in ``ended()`` to learn promptly that it was dropped or revoked, even
/// while the reader is busy writing. Cancel it (or let it go) to leave the hub.
public final class LiveSubscription: Sendable {
    let id: UInt64
    let hub: LiveEventHub
    /// The newest seq when the subscription opened.
    public let currentSeq: UInt64
    /// How many missed events are delivered before live ones.
    public let replayCount: Int

    init(id: UInt64, hub: LiveEventHub, currentSeq: UInt64, replayCount: Int) {
        self.id = id
        self.hub = hub
        self.currentSeq = currentSeq
        self.replayCount = replayCount
    }

    deinit { cancel() }

    /// The next event this subscriber may see, waiting for one if needed; `.end` once the
    /// subscription is over; `nil` if the calling task was cancelled or the subscription was.
    public func next() async -> LiveDelivery? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: LiveEventHub.Waiter) in
                let poll = hub.state.withLock { state -> LiveHubState<LiveEventHub.Waiter>.Poll in
                    if Task.isCancelled { return .ready(nil) }
                    return state.next(id, parking: waiter)
                }
                if case .ready(let delivery) = poll { waiter.resume(returning: delivery) }
            }
        } onCancel: {
            if let wake = hub.state.withLock({ $0.unparkReader(id) }) { LiveEventHub.resume([wake]) }
        }
    }

    /// Waits until the subscription ends and says why; `nil` if the waiting task was
    /// cancelled or the subscription was.
    public func ended() async -> LiveEnding? {
        let delivery = await withTaskCancellationHandler {
            await withCheckedContinuation { (waiter: LiveEventHub.Waiter) in
                let poll = hub.state.withLock { state -> LiveHubState<LiveEventHub.Waiter>.Poll in
                    if Task.isCancelled { return .ready(nil) }
                    return state.ending(id, parking: waiter)
                }
                if case .ready(let delivery) = poll { waiter.resume(returning: delivery) }
            }
        } onCancel: {
            if let wake = hub.state.withLock({ $0.unparkEndWaiter(id) }) { LiveEventHub.resume([wake]) }
        }
        guard case .end(let ending) = delivery else { return nil }
        return ending
    }

    /// Leaves the hub; waiting tasks get `nil`. Safe to call more than once.
    public func cancel() {
        LiveEventHub.resume(hub.state.withLock { $0.remove(id) })
    }
}
