import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1

/// The HTTP/1.1 child channel with WebSocket upgrades, plus one guard the library lacks.
///
/// In the upgrade pipeline, Hummingbird adds its connection-state handler (the one that closes
/// idle connections on graceful shutdown) only after the first request has been decided. A
/// connection that never finishes a first request — a browser's speculative preconnect, a
/// stalled or hostile client — would therefore hold SIGTERM forever. `FirstRequestGuard` closes
/// such a connection when the server starts shutting down, and after `firstRequestTimeout` in
/// any case (slow-header clients).
struct GuardedUpgradeChannel: ServerChildChannel {
    typealias Value = HTTP1WebSocketUpgradeChannel.Value
    let inner: HTTP1WebSocketUpgradeChannel
    let firstRequestTimeout: TimeAmount

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(FirstRequestGuard(timeout: firstRequestTimeout))
        }.flatMap {
            inner.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

/// Closes the connection if its first request is still undecided (the upgrade handler still in
/// the pipeline) on graceful shutdown or at the deadline; otherwise passes the shutdown on.
final class FirstRequestGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount) { self.timeout = timeout }

    func handlerAdded(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: timeout) { [self] in
            closeIfUndecided(loopBound.value)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent, closeIfUndecided(context) { return }
        context.fireUserInboundEventTriggered(event)
    }

    /// Closes the channel when no first request has been decided yet; says whether it did.
    @discardableResult
    private func closeIfUndecided(_ context: ChannelHandlerContext) -> Bool {
        let undecided = (try? context.pipeline.syncOperations
            .handler(type: NIOTypedHTTPServerUpgradeHandler<HTTP1WebSocketUpgradeChannel.UpgradeResult>.self)) != nil
        deadline?.cancel()        // either way: closed now, or past its first request (Hummingbird's handlers own it)
        if undecided { context.close(promise: nil) }
        return undecided
    }
}
