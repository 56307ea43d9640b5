import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1

/// The HTTP/1.1 child channel with WebSocket upgrades, plus the guards the library lacks.
///
/// - `HTTPConnectionGuard`: the connection caps (`ConnectionRegistry`), a deadline for each
///   request's head and body, and statuses for requests the parser refuses.
/// - `FirstRequestGuard`: in the upgrade pipeline, Hummingbird adds its connection-state handler
///   (the one that closes idle connections on graceful shutdown) only after the first request
///   has been decided. A connection that never finishes a first request — a browser's
///   speculative preconnect, a stalled or hostile client — would therefore hold SIGTERM forever.
///   `FirstRequestGuard` closes such a connection when the server starts shutting down, and
///   after `firstRequestTimeout` in any case (a connection that never sends a byte).
struct GuardedUpgradeChannel: ServerChildChannel {
    typealias Value = HTTP1WebSocketUpgradeChannel.Value
    let inner: HTTP1WebSocketUpgradeChannel
    let firstRequestTimeout: TimeAmount
    let requestTimeout: TimeAmount
    let registry: ConnectionRegistry
    let trustedProxies: TrustedProxies

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        // The guard lives on the channel's event loop, where every closure here runs.
        channel.eventLoop.makeCompletedFuture { () -> NIOLoopBound<HTTPConnectionGuard> in
            let peer = channel.remoteAddress
            let address = peer?.ipAddress.flatMap { IPAddress($0) }
            var exempt = trustedProxies.contains(address)
            if case .unixDomainSocket = peer { exempt = true }
            let (id, admission) = registry.admit(channel, address: address, exempt: exempt, logger: logger)
            let connection = HTTPConnectionGuard(registry: registry, id: id, requestTimeout: requestTimeout, logger: logger)
            if case .refused(let reason) = admission {
                connection.refusal = reason == .perAddress ? .tooManyConnections : .serverBusy
            }
            channel.closeFuture.whenComplete { _ in registry.remove(id) }
            try channel.pipeline.syncOperations.addHandler(connection.socketSide)
            try channel.pipeline.syncOperations.addHandler(FirstRequestGuard(timeout: firstRequestTimeout))
            return NIOLoopBound(connection, eventLoop: channel.eventLoop)
        }.flatMap { bound in
            inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
                // Right after NIO's request decoder: it sees parts and the decoder's errors
                // before the upgrade handler (first request) or Hummingbird (later ones) does.
                let operations = channel.pipeline.syncOperations
                let decoder = try operations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
                try operations.addHandler(bound.value.messageSide, position: .after(decoder))
                return value
            }
        }
    }

    func handle(value: Value, logger: Logger) async {
        // Hummingbird logs "Error handling upgrade result" at error level whenever a connection
        // closes before its first request is decided — a client that hung up, or one we cut off
        // (FirstRequestGuard, a deadline, an eviction, a refusal). That is client behaviour, not
        // a fault of ours, and must not page anyone (finding 7); this logger turns records at
        // error or above into debug ones once the connection is closed. It is given to this one
        // library call only: request handling logs with the application's logger.
        var scoped = logger
        scoped.handler = ClosedConnectionLogHandler(wrapping: logger.handler, channel: value.channel)
        await inner.handle(value: value, logger: scoped)
    }
}

/// Passes records on, except that an error (or worse) logged after `channel` closed becomes
/// a debug record: see `GuardedUpgradeChannel.handle`.
struct ClosedConnectionLogHandler: LogHandler {
    var inner: any LogHandler
    let channel: any Channel

    init(wrapping inner: any LogHandler, channel: any Channel) {
        self.inner = inner
        self.channel = channel
    }

    func log(event: LogEvent) {
        var event = event
        if event.level >= .error && !channel.isActive { event.level = .debug }
        guard event.level >= inner.logLevel else { return }
        inner.log(event: event)
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    var logLevel: Logger.Level {
        get { inner.logLevel }
        set { inner.logLevel = newValue }
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
        // The task runs on this handler's event loop, where the handler and its context live.
        let loopBound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: timeout) {
            loopBound.value.handler.closeIfUndecided(loopBound.value.context)
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
