import HTTPTypes
import Hummingbird

/// Refuses state-changing browser requests that another site could have made (reliability.md
/// A5.3, ASVS 3.5.1): Fetch Metadata first, then `Origin`, then — when a client sends neither —
/// the custom header `X-Atende-CSRF: 1`, which a cross-site form cannot set without a CORS
/// preflight we never grant. Bearer-token requests are exempt: a browser never adds that header
/// by itself, so a forged request cannot carry one.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AtendeContext
    let configuration: WebConfiguration

    static let safeMethods: Set<HTTPRequest.Method> = [.get, .head, .options]
    static let customHeader = HTTPField.Name("X-Atende-CSRF")!

    /// The paths of signed routes (`APIRoute.Access.signed`): the only ones exempt.
    static let webhookPaths = Set(APIRoutes.all.filter { $0.access == .signed }.map(\.path))
    static func isWebhook(_ path: String) -> Bool { webhookPaths.contains(path) }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try check(request, context: context)
        return try await next(request, context)
    }

    func check(_ request: Request, context: Context) throws {
        guard !Self.safeMethods.contains(request.method) else { return }
        // Provider webhooks are signed (checked in their handler), never cookie-authenticated:
        // the one exemption.
        if Self.isWebhook(request.uri.path) { return }
        if let authorization = request.headers[.authorization], authorization.lowercased().hasPrefix("bearer ") { return }
        let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!]?.lowercased()
        if let site, site != "same-origin", site != "none" {
            throw APIError.csrf("Requests from another site cannot change anything here.")
        }
        if configuration.foreignOrigin(of: request, secure: context.isSecure) != nil {
            throw APIError.csrf("This request's Origin is not this server.")
        }
        if site == nil && request.headers[.origin] == nil && request.headers[Self.customHeader] != "1" {
            throw APIError.csrf("Send the header X-Atende-CSRF: 1 with requests that change something.")
        }
    }
}
