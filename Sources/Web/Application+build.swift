public import Desk
public import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
public import Logging
public import Prometheus
import NIOCore

/// The web face of the daemon: every middleware in order and every route group, on one screen.
/// The Appliance makes one, puts `makeApplication()` in its ServiceGroup, and runs it.
public struct WebServer: Sendable {
    public let desk: Desk
    public let configuration: WebConfiguration
    public let metrics: PrometheusCollectorRegistry
    public let logger: Logger
    /// The dashboard's files: embedded in the binary, or a directory in development.
    public let dashboard: DashboardFiles
    /// Gives the heap freed by closed live sockets back to the system: run it in the same
    /// ServiceGroup as the application (without it, closes are only noted).
    public let heapTrimmer: HeapTrimmer

    public init(desk: Desk, configuration: WebConfiguration, metrics: PrometheusCollectorRegistry,
                dashboard: DashboardFiles, logger: Logger) {
        self.desk = desk
        self.dashboard = dashboard
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        self.heapTrimmer = HeapTrimmer(logger: logger)
    }

    /// The router with every middleware and route, and the registrar that recorded the routes.
    public func buildRouter() -> (router: Router<AtendeContext>, routes: RouteRegistrar) {
        let router = Router(context: AtendeContext.self)
        router.add(middleware: TransportMiddleware(configuration: configuration))   // client IP, TLS
        router.add(middleware: SecurityHeadersMiddleware(facebookSDK: desk.signup.isConfigured))  // every response
        router.add(middleware: APIErrorMiddleware())                                // errors → JSON
        router.add(middleware: DashboardMiddleware(dashboard))                      // pages, /assets
        router.add(middleware: BodyLimitMiddleware(limit: configuration.maxBodySize, webhookLimit: WebhookController.maxBody,
                                                   uploadLimit: MediaKind.allCases.map(desk.outbox.uploadLimit).max() ?? 0))
        router.add(middleware: CSRFMiddleware(configuration: configuration))
        router.add(middleware: AuthenticationMiddleware(desk: desk))                // principal, if any

        let routes = RouteRegistrar(router: router)
        HealthController(desk: desk, metrics: metrics, metricsArePublic: configuration.metricsPublic).addRoutes(to: routes)
        ReferenceController().addRoutes(to: routes)
        SetupController(desk: desk).addRoutes(to: routes)
        SessionController(desk: desk).addRoutes(to: routes)
        StaffController(desk: desk).addRoutes(to: routes)
        TokensController(desk: desk).addRoutes(to: routes)
        AuditController(desk: desk).addRoutes(to: routes)
        WebhookController(desk: desk).addRoutes(to: routes)
        TwilioController(telephony: desk.telephony).addRoutes(to: routes)
        InboxController(inbox: desk.inbox, outbox: desk.outbox).addRoutes(to: routes)
        AppointmentsController(appointments: desk.appointments).addRoutes(to: routes)
        EmbeddedSignupController(signup: desk.signup, channels: desk.channels).addRoutes(to: routes)   // before {id}
        ChannelsController(channels: desk.channels, templates: desk.templates).addRoutes(to: routes)
        AssistantController(attendant: desk.attendant).addRoutes(to: routes)
        KnowledgeController(knowledge: desk.knowledge).addRoutes(to: routes)
        CalendarFeedsController(appointments: desk.appointments).addRoutes(to: routes)
        GoogleCalendarController(google: desk.googleCalendar).addRoutes(to: routes)
        LiveController(desk: desk, configuration: configuration, heapTrimmer: heapTrimmer).addRoutes(to: routes)   // its plain-HTTP face
        return (router, routes)
    }

    /// The Hummingbird application (a `Service`): HTTP/1.1, with WebSocket upgrades checked by
    /// the live controller's own router. When it starts listening on a store with no accounts, it
    /// logs a one-time setup link.
    /// - Parameter onListening: Called with the bound port once the server listens (tests that
    ///   ask for port 0 learn the real one here).
    public func makeApplication(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let (router, _) = buildRouter()
        let desk = desk, logger = logger, configuration = configuration, heapTrimmer = heapTrimmer
        let live = configuration.live
        let webSocket = WebSocketServerConfiguration(maxFrameSize: live.maxClientMessageBytes,
                                                     autoPing: .enabled(timePeriod: live.pingInterval),
                                                     closeTimeout: live.closeGrace)
        return Application(
            router: router,
            server: Self.server(webSocketRouter: LiveController(desk: desk, configuration: configuration, heapTrimmer: heapTrimmer).webSocketRouter(),
                                webSocket: webSocket, configuration: configuration),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "atende"),
            onServerRunning: { channel in
                if let port = channel.localAddress?.port { await onListening(port) }
                await Self.announceSetup(desk: desk, configuration: configuration, port: channel.localAddress?.port, logger: logger)
            },
            logger: logger)
    }

    /// HTTP/1.1 with WebSocket upgrades decided by `webSocketRouter`, guarded (`GuardedUpgradeChannel`):
    /// capped connections, a deadline per request, statuses for malformed requests, and no
    /// connection that never completes a first request can hold the server. Idle keep-alive
    /// connections close after `idleTimeout`.
    static func server(webSocketRouter: Router<AtendeContext>, webSocket: WebSocketServerConfiguration,
                       configuration web: WebConfiguration) -> HTTPServerBuilder {
        let responder = webSocketRouter.buildResponder()
        let configuration = HTTP1WebSocketUpgradeChannel.Configuration(http1: .init(idleTimeout: .init(web.idleTimeout)), ws: webSocket)
        let firstRequestTimeout = TimeAmount(web.firstRequestTimeout), requestTimeout = TimeAmount(web.requestTimeout)
        let registry = ConnectionRegistry(limits: .init(maxConnections: web.maxConnections, maxPerAddress: web.maxConnectionsPerAddress))
        let trustedProxies = web.trustedProxies
        return HTTPServerBuilder { httpResponder in
            GuardedUpgradeChannel(inner: HTTP1WebSocketUpgradeChannel(responder: httpResponder, webSocketResponder: responder,
                                                                      configuration: configuration),
                                  firstRequestTimeout: firstRequestTimeout, requestTimeout: requestTimeout,
                                  registry: registry, trustedProxies: trustedProxies)
        }
    }

    /// Logs the setup link if no account exists yet.
    static func announceSetup(desk: Desk, configuration: WebConfiguration, port: Int?, logger: Logger) async {
        do {
            guard let token = try await desk.beginSetup() else { return }
            let base = configuration.publicURL?.absoluteString.trimmingSuffix("/")
                ?? "http://\(configuration.host):\(port ?? configuration.port)"
            // The one intended exception to "no secrets in logs": the owner needs this link to
            // create the first account. It is single use and expires in an hour.
            logger.notice("no accounts yet: open the setup link to create the first admin (valid 1 hour, single use)",
                          metadata: ["atende.setup.url": "\(base)/setup?token=\(token)"])
        } catch {
            logger.error("could not create the setup token", metadata: ["atende.error": "\(error)"])
        }
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
