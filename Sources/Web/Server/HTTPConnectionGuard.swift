import Logging
import NIOCore
import NIOHTTP1

/// One HTTP connection's guard (findings 3 and 9): its slot in the `ConnectionRegistry`, the
/// deadline for each request, and an answer for requests the parser refuses. It sees the
/// connection from two places, so it is two handlers sharing this state:
///
/// - `SocketSide`, first in the pipeline, sees bytes: the first byte of a request starts its
///   deadline (headers included — slowloris), and it writes the guard's own answers straight to
///   the socket, below the HTTP encoder.
/// - `MessageSide`, right after NIO's HTTP decoder, sees request and response parts: the end
///   of the body stops the deadline, a response's head and end say whether one is under way,
///   a 101 means the connection is now a WebSocket, and parser errors arrive here.
///
/// A request still arriving at its deadline is answered 408 when no response has started
/// (else the connection is just closed). A request the parser refuses is answered 400, 414 or
/// 431 with the JSON error shape. Either answer is followed by a lingering close: output shut,
/// input read and dropped for a moment, then the socket closed, so the client reads the answer
/// instead of a reset. Idle keep-alive stays Hummingbird's (`idleTimeout`): between requests no
/// deadline runs. After a WebSocket upgrade both handlers leave and the connection leaves the
/// registry: live sockets are not requests.
///
/// Both handlers run on the connection's event loop, which owns this object.
final class HTTPConnectionGuard {
    enum Phase { case idle, receiving, processing, upgraded, closing }

    let registry: ConnectionRegistry
    let id: UInt64
    let requestTimeout: TimeAmount
    let logger: Logger
    private(set) var phase = Phase.idle
    private var deadline: Scheduled<Void>?
    /// A response head has been written and its end not yet.
    private var responseOpen = false
    /// The current request was answered while its body was still arriving (a refusal that
    /// did not need the body); Hummingbird is draining the rest.
    private var answeredEarly = false
    /// The current request's line: whether it has ended (an LF seen, or its head decoded) and
    /// its length so far. NIO reports a long URL and long headers alike (`headerOverflow`, one
    /// 80 KiB budget for both); a request line that alone fills the budget, or never ends
    /// within it, is a URL too long (414), anything else too many header bytes (431).
    private var requestLineComplete = false
    private var requestLineLength = 0
    /// Hummingbird's decoder limit on the request line and headers together (80 KiB).
    static let headBudget = 80 * 1024
    /// An answer that waits for the response under way to end.
    private var pendingAnswer: APIError?
    /// Set when the registry refused the connection: the one thing it gets.
    var refusal: APIError?
    fileprivate var socketContext: ChannelHandlerContext?
    fileprivate var messageContext: ChannelHandlerContext?

    init(registry: ConnectionRegistry, id: UInt64, requestTimeout: TimeAmount, logger: Logger) {
        self.registry = registry
        self.id = id
        self.requestTimeout = requestTimeout
        self.logger = logger
    }

    var socketSide: SocketSide { SocketSide(self) }
    var messageSide: MessageSide { MessageSide(self) }

    // MARK: events

    fileprivate func bytesArrived(_ buffer: ByteBuffer, context: ChannelHandlerContext) {
        if phase == .idle || phase == .processing { beginRequest(context: context) }
        guard !requestLineComplete else { return }
        if let lf = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            requestLineLength += lf - buffer.readerIndex
            requestLineComplete = true
        } else {
            requestLineLength += buffer.readableBytes
        }
    }

    fileprivate func requestHead(context: ChannelHandlerContext) {
        if phase != .receiving { beginRequest(context: context) }
        requestLineComplete = true
    }

    fileprivate func requestEnd() {
        guard phase == .receiving else { return }
        deadline?.cancel()
        deadline = nil
        phase = .processing
        registry.update(id, to: .processing)
    }

    fileprivate func responseHead() { responseOpen = true }

    fileprivate func responseEnd() {
        responseOpen = false
        if let answer = pendingAnswer {
            pendingAnswer = nil
            send(answer)
        } else if phase == .receiving {
            answeredEarly = true
        } else if phase == .processing {
            phase = .idle
            registry.update(id, to: .idle(since: NIODeadline.now().uptimeNanoseconds))
        }
    }

    fileprivate func parserError(_ error: HTTPParserError) {
        guard phase != .closing, phase != .upgraded else { return }
        HTTPMetrics.malformed.increment()
        let answer = APIError(error, requestLineTooLong: !requestLineComplete || requestLineLength >= Self.headBudget)
        if responseOpen { pendingAnswer = answer } else { send(answer) }
    }

    /// The connection became a WebSocket: no deadline, no HTTP slot, and both handlers leave
    /// (the frames that follow are not HTTP parts).
    fileprivate func upgraded() {
        phase = .upgraded
        deadline?.cancel()
        deadline = nil
        registry.remove(id)
        for context in [messageContext, socketContext].compactMap({ $0 }) {
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }

    fileprivate func closed() {
        deadline?.cancel()
        deadline = nil
        registry.remove(id)
    }

    // MARK: actions

    private func beginRequest(context: ChannelHandlerContext) {
        phase = .receiving
        answeredEarly = false
        requestLineComplete = false
        requestLineLength = 0
        registry.update(id, to: .receiving(since: NIODeadline.now().uptimeNanoseconds))
        deadline?.cancel()
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: requestTimeout) { loopBound.value.deadlinePassed() }
    }

    private func deadlinePassed() {
        deadline = nil
        guard phase == .receiving else { return }
        HTTPMetrics.timedOut.increment()
        logger.info("request deadline passed; connection closed", metadata: [
            "atende.connection.peer": "\(socketContext?.channel.remoteAddress?.ipAddress ?? "?")",
            "atende.request.timeout_s": "\(requestTimeout.nanoseconds / 1_000_000_000)",
        ])
        if responseOpen || answeredEarly {
            // An answer is under way or given: a 408 now would be read as the answer to a
            // request the client has not sent yet.
            phase = .closing
            socketContext?.close(promise: nil)
        } else {
            send(.requestTimeout(Int(requestTimeout.nanoseconds / 1_000_000_000)))
        }
    }

    /// Writes `answer` below the HTTP encoder, then closes: output at once, the socket after a
    /// short linger that drops whatever the client is still sending.
    func send(_ answer: APIError) {
        guard phase != .closing, phase != .upgraded, let context = socketContext else { return }
        phase = .closing
        deadline?.cancel()
        deadline = nil
        let channel = context.channel
        let requestID = RequestIDs.make()
        logger.debug("answered below the router, closing", metadata: [
            "atende.request.id": "\(requestID)", "atende.http.status": "\(answer.status.code)", "atende.error.code": "\(answer.code)",
            "atende.connection.peer": "\(channel.remoteAddress?.ipAddress ?? "?")",
        ])
        context.writeAndFlush(NIOAny(answer.wireResponse(requestID: requestID)), promise: nil)
        channel.close(mode: .output, promise: nil)
        channel.eventLoop.scheduleTask(in: .seconds(1)) { channel.close(promise: nil) }
    }

    // MARK: the two handlers

    /// The byte side, first in the pipeline.
    final class SocketSide: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer
        typealias OutboundOut = ByteBuffer
        private let state: HTTPConnectionGuard

        fileprivate init(_ state: HTTPConnectionGuard) { self.state = state }

        func handlerAdded(context: ChannelHandlerContext) {
            state.socketContext = context
            if context.channel.isActive { refuseIfRefused() }
        }

        func handlerRemoved(context: ChannelHandlerContext) { state.socketContext = nil }

        func channelActive(context: ChannelHandlerContext) {
            refuseIfRefused()
            context.fireChannelActive()
        }

        private func refuseIfRefused() {
            if let refusal = state.refusal { state.send(refusal) }
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch state.phase {
            case .closing: return                      // lingering: read and drop
            case .upgraded: context.fireChannelRead(data)
            case .idle, .receiving, .processing:
                state.bytesArrived(Self.unwrapInboundIn(data), context: context)
                context.fireChannelRead(data)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            state.closed()
            context.fireChannelInactive()
        }
    }

    /// The message side, right after NIO's HTTP request decoder.
    final class MessageSide: ChannelDuplexHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias InboundOut = HTTPServerRequestPart
        typealias OutboundIn = HTTPServerResponsePart
        typealias OutboundOut = HTTPServerResponsePart
        private let state: HTTPConnectionGuard
        /// The 101 has been written: once it is flushed, the connection is a WebSocket.
        private var upgradeWritten = false

        fileprivate init(_ state: HTTPConnectionGuard) { self.state = state }

        func handlerAdded(context: ChannelHandlerContext) { state.messageContext = context }
        func handlerRemoved(context: ChannelHandlerContext) { state.messageContext = nil }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard state.phase != .closing else { return }
            switch Self.unwrapInboundIn(data) {
            case .head: state.requestHead(context: context)
            case .body: break
            case .end: state.requestEnd()
            }
            context.fireChannelRead(data)
        }

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            guard state.phase != .closing else {
                promise?.fail(ChannelError.outputClosed)       // our answer was the last word
                return
            }
            switch Self.unwrapOutboundIn(data) {
            case .head(let head) where head.status == .switchingProtocols:
                context.write(data, promise: promise)
                upgradeWritten = true           // leave after its flush, which comes through here

            case .head(let head) where head.status.code < 200:
                context.write(data, promise: promise)           // 100 Continue: not the response
            case .head:
                state.responseHead()
                context.write(data, promise: promise)
            case .body:
                context.write(data, promise: promise)
            case .end:
                context.write(data, promise: promise)
                state.responseEnd()
            }
        }

        func flush(context: ChannelHandlerContext) {
            context.flush()
            if upgradeWritten { state.upgraded() }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            switch error {
            case let error as HTTPParserError where error != .invalidEOFState:
                state.parserError(error)                        // answered here; Hummingbird never sees it
            case is ByteToMessageDecoderError:
                break                                           // more of a request already refused
            default:
                context.fireErrorCaught(error)                  // a body cut short reaches its route
            }
        }
    }
}
