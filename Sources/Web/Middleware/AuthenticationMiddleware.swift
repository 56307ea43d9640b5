import Desk
import Hummingbird

/// Finds who is asking: a bearer token (`Authorization: Bearer atd_…`) or the session cookie.
/// It never refuses a request itself — routes declare what they need (`APIRoute.access`) — but
/// a bearer header that is not a live token is refused at once, so a typo is not silently a guest.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = AtendeContext
    let desk: Desk

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer",
                  let principal = try await desk.authenticate(bearer: String(parts[1]).trimmingCharacters(in: .whitespaces)) else {
                throw APIError(status: .unauthorized, code: "invalid_token", message: "The bearer token is not valid (revoked or mistyped).")
            }
            context.principal = principal
        } else if let sessionID = request.cookies[context.sessionCookieName]?.value {
            context.principal = try await desk.authenticate(sessionID: sessionID)
        }
        if let principal = context.principal {
            context.logger[metadataKey: "atende.principal.id"] = "\(principal.actor.id)"
        }
        return try await next(request, context)
    }
}
