import Desk
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging

/// `GET /api/v1/live`: the live-events WebSocket.
///
/// An upgrade request is checked by the WebSocket router (`webSocketRouter`): the `Origin`, when
/// a browser sends one, must be this server's (cross-site WebSocket hijacking); the session
/// cookie or bearer token must be live and allow the dashboard; `since` must be a number. A
/// refused upgrade is answered 400 by the WebSocket library, with no body — send the same
/// request without `Upgrade` to read why: the plain GET goes through the API and answers the
/// JSON error (401, 403, 422), or 426 when everything but the upgrade was right.
struct LiveController {
    let desk: Desk
    let configuration: WebConfiguration
    let heapTrimmer: HeapTrimmer

    /// The plain-HTTP face of the route: explains, never upgrades.
    func addRoutes(to routes: RouteRegistrar) {
        let configuration = configuration
        routes.add(APIRoutes.live) { request, context -> Response in
            _ = try Self.since(request)
            if configuration.foreignOrigin(of: request, secure: context.isSecure) != nil {
                throw APIError(status: .forbidden, code: "origin_rejected", message: "This request's Origin is not this server.")
            }
            throw APIError(status: .upgradeRequired, code: "upgrade_required",
                           message: "This is a WebSocket endpoint: connect with Upgrade: websocket.")
        }
    }

    /// The router the server consults for upgrade requests: the same transport and
    /// authentication middleware as the API, then the live route.
    func webSocketRouter() -> Router<AtendeContext> {
        LiveMetrics.register()
        let router = Router(context: AtendeContext.self)
        router.add(middleware: TransportMiddleware(configuration: configuration))
        router.add(middleware: AuthenticationMiddleware(desk: desk))
        let desk = desk, configuration = configuration, heapTrimmer = heapTrimmer
        router.ws(RouterPath(APIRoutes.live.routerPath)) { request, context in
            Self.shouldUpgrade(request, context: context, configuration: configuration)
        } onUpgrade: { inbound, outbound, wsContext in
            let context = wsContext.requestContext
            // shouldUpgrade admitted only a principal with a well-formed since.
            guard let principal = context.principal else { return }
            let since = try Self.since(wsContext.request)
            let connection = LiveConnection(desk: desk, principal: principal, since: since, configuration: configuration.live,
                                            channel: context.channel, heapTrimmer: heapTrimmer, logger: context.logger)
            try await connection.run(inbound: inbound, outbound: outbound)
        }
        return router
    }

    static func shouldUpgrade(_ request: Request, context: AtendeContext, configuration: WebConfiguration) -> RouterShouldUpgrade {
        if let origin = configuration.foreignOrigin(of: request, secure: context.isSecure) {
            context.logger.notice("live socket refused: foreign origin", metadata: ["atende.origin": "\(origin.prefix(100))"])
            return .dontUpgrade
        }
        guard let principal = context.principal, APIRoutes.live.allows(principal) else {
            context.logger.info("live socket refused: not signed in")
            return .dontUpgrade
        }
        do { _ = try since(request) } catch { return .dontUpgrade }
        return .upgrade([:])
    }

    /// The `since` query parameter: the last seq the client processed, or nil for "from now".
    static func since(_ request: Request) throws -> UInt64? {
        guard let text = request.uri.queryParameters.get("since"), !text.isEmpty else { return nil }
        guard text.count <= 20, text.allSatisfy(\.isASCII), let value = UInt64(text) else {
            throw DeskError.invalid("since", "since must be the seq of the last event received (a whole number).")
        }
        return value
    }
}
