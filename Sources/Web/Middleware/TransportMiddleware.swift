import Foundation
import HTTPTypes
import Hummingbird

/// Works out the client's address and whether its connection is TLS. `X-Forwarded-*` headers are
/// believed only from a loopback peer (the local reverse proxy, reliability.md A5.9); from anyone
/// else they are ignored, since any client can send them.
struct TransportMiddleware: RouterMiddleware {
    typealias Context = AtendeContext
    let configuration: WebConfiguration

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.isSecure = configuration.isPublicTLS
        if context.peerIsLoopback {
            if let proto = request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() {
                context.isSecure = proto == "https"
            }
            // The proxy appends the address it saw; the last entry is the one it vouches for.
            if let forwarded = request.headers[HTTPField.Name("X-Forwarded-For")!],
               let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces),
               !last.isEmpty, last.count <= 45 {
                context.clientIP = last
            }
        }
        return try await next(request, context)
    }
}

/// Refuses bodies over the limit before reading them, by `Content-Length`; streamed bodies are
/// cut at the same limit when decoded (`AtendeContext.maxUploadSize`).
struct BodyLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limit: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw APIError.bodyTooLarge(limit)
        }
        return try await next(request, context)
    }
}
