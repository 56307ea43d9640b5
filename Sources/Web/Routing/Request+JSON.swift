import Foundation
import Hummingbird
import NIOCore

extension Request {
    /// Decodes the JSON body as `T`. The body is read up to the context's limit (413 beyond);
    /// a missing or mistyped field is a 422 naming it; text that is not JSON, or an object with a
    /// key twice, is a 400.
    func decodeJSON<T: Decodable>(as type: T.Type, context: some RequestContext) async throws -> T {
        let buffer = try await collectedBody(upTo: context.maxUploadSize)
        guard buffer.readableBytes > 0 else { throw APIError.invalidBody("Send a JSON object as the request body.") }
        let value: T
        do {
            value = try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw APIError(error)
        }
        if let key = DuplicateKeyScan.firstDuplicate(in: buffer.readableBytesView) {
            throw APIError(status: .badRequest, code: "duplicate_key",
                           message: "The key \(key.prefix(100)) appears twice in one object; send each key once.", field: String(key.prefix(100)))
        }
        return value
    }

    /// The whole body, read up to `limit` bytes; a longer one throws `tooLarge`, or a 413 saying
    /// the limit.
    func collectedBody(upTo limit: Int, tooLarge: (@Sendable () -> any Error)? = nil) async throws -> ByteBuffer {
        var request = self
        do {
            return try await request.collectBody(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge?() ?? APIError.bodyTooLarge(limit)
        }
    }
}

extension APIError {
    init(_ error: DecodingError) {
        func name(_ path: [any CodingKey]) -> String? {
            path.last.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = name(context.codingPath + [key]) ?? key.stringValue
            self.init(status: .unprocessableContent, code: "invalid_field", message: "The field \(field) is required.", field: field)
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            guard let field = name(context.codingPath) else {
                self = .invalidBody("The body must be a JSON object.")
                return
            }
            self.init(status: .unprocessableContent, code: "invalid_field",
                      message: "The field \(field) must be \(Self.describe(type)).", field: field)
        case .dataCorrupted(let context):
            if let field = name(context.codingPath) {
                self.init(status: .unprocessableContent, code: "invalid_field", message: "The field \(field) is not valid.", field: field)
            } else {
                self = .invalidBody("The body is not valid JSON.")
            }
        @unknown default:
            self = .invalidBody("The body could not be read.")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Double.Type: "a number"
        default: "of another type"
        }
    }
}

/// Encodes `value` as a JSON response with `status`.
func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(bytes: data)))
}
