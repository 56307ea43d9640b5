import HTTPTypes
public import Hummingbird
import Foundation

/// The only error shape the API returns: a stable snake_case `code`, a `message` safe to show,
/// the request `field` it is about (or null), and the request id to quote in a bug report.
/// The underlying error goes to the log with the request id, never to the client.
public struct APIError: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    public var field: String?
    /// Seconds, for 429 (sent as `Retry-After`).
    public var retryAfter: Int?
    /// What the caller can choose instead (the templates for `customer_window_closed`).
    public var options: [String]?

    public init(status: HTTPResponse.Status, code: String, message: String, field: String? = nil, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.retryAfter = retryAfter
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response(requestID: requestID(of: context))
    }

    func response(requestID: String) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body(requestID: requestID))))
    }

    /// The whole HTTP/1.1 response as bytes, with `Connection: close`, for answers written below
    /// Hummingbird (requests the parser refused, deadlines, connection refusals).
    func wireResponse(requestID: String) -> ByteBuffer {
        let body = body(requestID: requestID)
        var head = "HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\n"
        head += "Content-Type: application/json; charset=utf-8\r\nContent-Length: \(body.count)\r\n"
        if let retryAfter { head += "Retry-After: \(retryAfter)\r\n" }
        head += "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n"
        var buffer = ByteBuffer(string: head)
        buffer.writeBytes(body)
        return buffer
    }

    /// `{"error":{"code","message","field","request_id"}}`.
    private func body(requestID: String) -> Data {
        struct Body: Encodable {
            struct Detail: Encodable {
                let code: String, message: String, field: String?, request_id: String, options: [String]?
                func encode(to encoder: any Encoder) throws {     // keep "field": null in the output
                    var c = encoder.container(keyedBy: CodingKeys.self)
                    try c.encode(code, forKey: .code); try c.encode(message, forKey: .message)
                    try c.encode(field, forKey: .field); try c.encode(request_id, forKey: .request_id)
                    try c.encodeIfPresent(options, forKey: .options)
                }
                enum CodingKeys: String, CodingKey { case code, message, field, request_id, options }
            }
            let error: Detail
        }
        let body = Body(error: .init(code: code, message: message, field: field, request_id: requestID, options: options))
        return (try? JSONEncoder().encode(body)) ?? Data(#"{"error":{"code":"internal","message":"Something went wrong.","field":null,"request_id":""}}"#.utf8)
    }
}

extension APIError {
    static let unauthenticated = APIError(status: .unauthorized, code: "unauthenticated", message: "Sign in first.")
    static let forbidden = APIError(status: .forbidden, code: "forbidden", message: "Your role does not allow this.")
    static let notFound = APIError(status: .notFound, code: "not_found", message: "There is nothing at this address.")
    static let internalError = APIError(status: .internalServerError, code: "internal", message: "Something went wrong; the log has details.")
    static let storeUnavailable = APIError(status: .serviceUnavailable, code: "store_unavailable", message: "The data store cannot take changes right now; try again shortly.")
    static let sessionRequired = APIError(status: .forbidden, code: "session_required", message: "This needs a browser session, not an API token.")
    static func bodyTooLarge(_ limit: Int) -> APIError {
        APIError(status: .contentTooLarge, code: "body_too_large", message: "The request body is larger than \(limit) bytes.")
    }
    static func invalidBody(_ message: String, field: String? = nil) -> APIError {
        APIError(status: .badRequest, code: "invalid_body", message: message, field: field)
    }
    static func csrf(_ message: String) -> APIError {
        APIError(status: .forbidden, code: "csrf_rejected", message: message)
    }
    /// The client closed the connection (or was cut off) before its request was complete; no one
    /// reads this answer.
    static let clientGone = APIError(status: .badRequest, code: "client_gone", message: "The connection ended before the request was complete.")
    static func requestTimeout(_ seconds: Int) -> APIError {
        APIError(status: .requestTimeout, code: "request_timeout",
                 message: "The request's head and body did not arrive within \(seconds) s.")
    }
    static let tooManyConnections = APIError(status: .tooManyRequests, code: "too_many_connections",
                                             message: "This address has too many open connections; close some and retry.", retryAfter: 1)
    static let serverBusy = APIError(status: .serviceUnavailable, code: "server_busy",
                                     message: "The server has no free connection; retry shortly.", retryAfter: 1)
}

/// The request id in the logger's metadata (`AtendeContext` sets a random one), or a fresh one
/// when there is none (contexts built outside a server, as in router tests).
func requestID(of context: some RequestContext) -> String {
    if let id = context.logger[metadataKey: "hb.request.id"] { return id.description }
    return RequestIDs.make()
}

/// Request ids: 64 random bits as 16 hex digits. Hummingbird's own ids are a per-process random
/// prefix plus a counter, which tells anyone holding two ids how many requests the server took
/// between them (finding 10); these tell nothing.
enum RequestIDs {
    static func make() -> String {
        let n = UInt64.random(in: 0...UInt64.max)       // SystemRandomNumberGenerator: getrandom(2)
        let hex = String(n, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
