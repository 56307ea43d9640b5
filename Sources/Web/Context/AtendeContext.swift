public import Desk
public import Hummingbird
public import HummingbirdWebSocket
import NIOCore

/// The context of every request: who is asking (set by `AuthenticationMiddleware`), from which
/// address, and whether the browser reached us over TLS. The same context serves the WebSocket
/// upgrade of `/api/v1/live`, so a socket is authenticated exactly as a request is.
public struct AtendeContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Where the WebSocket router leaves the handler of an accepted upgrade; held until the
    /// connection closes (`WebSocketSlot` breaks the library's context-to-itself cycle).
    public var webSocket: WebSocketHandlerReference<AtendeContext> { webSocketSlot.reference(closingWith: channel) }
    let webSocketSlot = WebSocketSlot()
    /// The connection, so a live socket whose client stopped reading can be cut (`LiveConnection`).
    let channel: any Channel
    /// The TCP peer (the reverse proxy, when there is one), in canonical form.
    public let peerAddress: String?
    /// Whether the peer is a trusted proxy (`WebConfiguration.trustedProxies`), so its
    /// `X-Forwarded-*` headers may be believed; set by `TransportMiddleware`.
    public var peerIsTrustedProxy = false
    /// Whether the peer is a Unix socket (a local proxy by construction).
    let peerIsUnixSocket: Bool
    /// The client's address: the peer, or a trusted proxy's `X-Forwarded-For` (canonical form).
    public var clientIP: String?
    /// Whether the browser's connection is TLS (public URL https, or a loopback proxy saying so).
    public var isSecure = false
    /// The signed-in staff member or API token, if any.
    public var principal: Principal?
    /// The session cookie name for this request (`__Host-atende_sid` over TLS).
    public var sessionCookieName: String { isSecure ? "__Host-atende_sid" : "atende_sid" }

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
        let remote = source.channel.remoteAddress
        peerAddress = remote?.ipAddress.map { IPAddress($0)?.description ?? $0 }
        if case .unixDomainSocket = remote { peerIsUnixSocket = true } else { peerIsUnixSocket = false }
        clientIP = peerAddress
        // Our own random id replaces Hummingbird's counter-based one (finding 10), before
        // anything logs with this context; error bodies quote the same id (`requestID(of:)`).
        logger[metadataKey: "hb.request.id"] = .string(RequestIDs.make())
    }

    /// 1 MiB: the API's body limit (issue 4). `BodyLimitMiddleware` refuses larger bodies up front.
    public var maxUploadSize: Int { 1 << 20 }
}

/// The context of routes that need a signed-in principal; built from `AtendeContext`, throwing
/// 401 when there is none, so handlers never see an optional.
public struct StaffContext: ChildRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let principal: Principal
    public let clientIP: String?
    public let isSecure: Bool
    public let sessionCookieName: String

    public init(context: AtendeContext) throws {
        guard let principal = context.principal else { throw APIError.unauthenticated }
        coreContext = context.coreContext
        self.principal = principal
        clientIP = context.clientIP
        isSecure = context.isSecure
        sessionCookieName = context.sessionCookieName
    }

    public var maxUploadSize: Int { 1 << 20 }

    /// The principal as the author of a change.
    public var requester: Requester { principal.requester(ip: clientIP) }
}
