public import Hummingbird

/// The only way routes reach the router: each registration names its `APIRoute`, and routes
/// that are not public are wrapped so the principal is checked before the handler runs.
public final class RouteRegistrar {
    let router: Router<AtendeContext>
    private var registered: [APIRoute] = []

    init(router: Router<AtendeContext>) { self.router = router }

    /// Every route registered so far, in order.
    public var routes: [APIRoute] { registered }

    /// A public route: the handler sees the plain context (principal optional).
    public func addPublic(_ route: APIRoute, _ handler: @escaping @Sendable (Request, AtendeContext) async throws -> some ResponseGenerator) {
        precondition(route.access == .public || route.access == .signed, "\(route) is not public; register it with a StaffContext handler")
        record(route)
        router.on(RouterPath(route.routerPath), method: route.method, use: handler)
    }

    /// A route that needs a principal: 401 for guests, 403 (`forbidden` or `session_required`) for
    /// principals the route's `access` does not admit — checked before the body is read.
    public func add(_ route: APIRoute, _ handler: @escaping @Sendable (Request, StaffContext) async throws -> some ResponseGenerator) {
        precondition(route.access != .public && route.access != .signed, "\(route) is public; register it with an AtendeContext handler")
        record(route)
        router.on(RouterPath(route.routerPath), method: route.method) { request, context in
            let staffContext = try StaffContext(context: context)
            guard route.allows(staffContext.principal) else {
                if case .browserSession = route.access { throw APIError.sessionRequired }
                if case .sessionArea = route.access, case .token = staffContext.principal { throw APIError.sessionRequired }
                context.logger.notice("access denied", metadata: ["atende.route": "\(route)"])
                throw APIError.forbidden
            }
            return try await handler(request, staffContext)
        }
    }

    private func record(_ route: APIRoute) {
        precondition(!registered.contains(route), "\(route) registered twice")
        registered.append(route)
    }
}
