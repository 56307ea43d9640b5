import Hummingbird
import Logging

/// Turns every error below it into the JSON error shape. Server faults are logged with the
/// request id (the cause stays in the log, never in the body); client errors are not.
struct APIErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async -> Response {
        do {
            return try await next(request, context)
        } catch {
            let (apiError, isUnexpected) = APIError.from(error)
            let id = requestID(of: context)
            if isUnexpected {
                context.logger.error("request failed", metadata: [
                    "atende.request.id": "\(id)", "atende.error": "\(String(reflecting: error).prefix(500))",
                    "atende.request.path": "\(LoggedPath.redacting(request.uri.path))",
                ])
            }
            return apiError.response(requestID: id)
        }
    }
}
