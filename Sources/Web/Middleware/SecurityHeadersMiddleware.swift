import HTTPTypes
import Hummingbird

/// Adds the security headers of reliability.md A5.5 to every response, errors included.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AtendeContext

    /// The dashboard's policy (docs/api-v1.md): no inline script or style, nothing framed.
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

    /// The same, opened only as far as Meta's JavaScript SDK needs for Embedded Signup: its script
    /// from connect.facebook.net, its hidden frames and calls to facebook.com hosts.
    static let facebookPolicy =
        "default-src 'self'; script-src 'self' https://connect.facebook.net; style-src 'self'; img-src 'self' data:; connect-src 'self' https://*.facebook.com; frame-src https://*.facebook.com; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

    /// Whether Embedded Signup is configured: then the policy above, and an opener policy that
    /// lets Facebook's login pop-up post its result back to the dashboard (`same-origin` would
    /// cut the pop-up off from its opener).
    let facebookSDK: Bool

    init(facebookSDK: Bool = false) { self.facebookSDK = facebookSDK }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        var h = response.headers
        // A response that set its own, stricter policy keeps it (a stored file is served sandboxed).
        if h[.contentSecurityPolicy] == nil { h[.contentSecurityPolicy] = facebookSDK ? Self.facebookPolicy : Self.contentSecurityPolicy }
        h[.xContentTypeOptions] = "nosniff"
        h[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        h[HTTPField.Name("X-Frame-Options")!] = "DENY"
        h[HTTPField.Name("Cross-Origin-Opener-Policy")!] = facebookSDK ? "same-origin-allow-popups" : "same-origin"
        h[HTTPField.Name("Cross-Origin-Resource-Policy")!] = "same-origin"
        h[HTTPField.Name("Permissions-Policy")!] = "geolocation=(), camera=(), microphone=()"
        if context.isSecure {
            h[.strictTransportSecurity] = "max-age=63072000; includeSubDomains"
        }
        if request.uri.path.hasPrefix("/api/") || request.uri.path == "/api", h[.cacheControl] == nil {
            h[.cacheControl] = "no-store"
        }
        response.headers = h
        return response
    }
}
