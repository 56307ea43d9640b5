import Desk
import Foundation
import HTTPTypes
import Hummingbird

/// Works out the client's address and whether its connection is TLS. `X-Forwarded-*` headers are
/// believed only from a trusted proxy (`trusted_proxies`, by default loopback's 127.0.0.1 and ::1:
/// the local reverse proxy, reliability.md A5.9); from anyone else they are ignored, since any
/// client can send them.
struct TransportMiddleware: RouterMiddleware {
    typealias Context = AtendeContext
    let configuration: WebConfiguration

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.isSecure = configuration.isPublicTLS
        context.peerIsTrustedProxy = context.peerIsUnixSocket
            || configuration.trustedProxies.contains(context.peerAddress.flatMap { IPAddress($0) })
        if context.peerIsTrustedProxy {
            if let proto = request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() {
                context.isSecure = proto == "https"
            }
            if let address = Self.forwardedClient(request.headers[values: HTTPField.Name("X-Forwarded-For")!]) {
                context.clientIP = address.description
            }
        }
        return try await next(request, context)
    }

    /// The address the proxy vouches for: the last entry of the last `X-Forwarded-For` field
    /// (the proxy appends the peer it saw), parsed as an IP address. Anything else — a name, a
    /// port, `198.018.0.1` (leading zeros: octal to some parsers, decimal to others, so it
    /// is refused rather than guessed) — is ignored and the peer address stands.
    static func forwardedClient(_ fields: [String]) -> IPAddress? {
        guard let last = fields.last?.split(separator: ",", omittingEmptySubsequences: false).last else { return nil }
        return IPAddress(last.trimmingCharacters(in: .whitespaces))
    }
}

/// Refuses bodies over the limit before reading them, by `Content-Length`; streamed bodies are
/// cut at the same limit when decoded (`AtendeContext.maxUploadSize`).
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limit: Int
    /// Provider webhooks (`/webhooks/…`) batch many messages: they get this larger limit.
    var webhookLimit: Int = 3 << 20
    /// Files staff upload to send (`POST /api/v1/uploads`): the largest file of any kind; the
    /// handler then holds each kind to its own cap.
    var uploadLimit: Int = 1 << 20

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let limit = path.hasPrefix("/webhooks/") ? webhookLimit
            : path == APIRoutes.uploadMedia.path ? max(uploadLimit, self.limit)
            : path == APIRoutes.importKnowledge.path ? max(KnowledgeLimits.importBytes, self.limit) : self.limit
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw APIError.bodyTooLarge(limit)
        }
        return try await next(request, context)
    }
}
