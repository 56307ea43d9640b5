import Desk
#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import NIOCore
import NIOHTTP1
import Storage

/// The one table from every error the server can meet to what the client sees (STYLE §5.3).
extension APIError {
    init(_ error: DeskError) {
        let status: HTTPResponse.Status
        switch error.code {
        case .notFound: status = .notFound
        case .invalidField, .weakPassword: status = .unprocessableContent
        case .emailTaken, .alreadySetUp, .lastAdmin, .conflict, .customerWindowClosed, .contactUnavailable, .channelPaused,
             .notRetriable, .notConfigured, .slotTaken: status = .conflict
        case .providerRefused: status = .badGateway
        case .unsupportedMediaType: status = .unsupportedMediaType
        case .fileTooLarge: status = .contentTooLarge
        case .invalidCredentials, .unauthenticated: status = .unauthorized
        case .tooManyAttempts: status = .tooManyRequests
        case .forbidden, .invalidSetupToken, .sessionRequired, .reauthenticationRequired: status = .forbidden
        case .storeUnavailable, .busy: status = .serviceUnavailable
        default: status = .internalServerError
        }
        if status == .internalServerError {
            self = .internalError
        } else {
            self.init(status: status, code: error.code.rawValue, message: error.message, field: error.field,
                      retryAfter: error.retryAfter)
            self.options = error.options
        }
    }

    init(_ error: StorageError) {
        switch error.code {
        case .io, .mapFull, .locked, .readersFull, .unhealthy: self = .storeUnavailable
        case .keyExists: self.init(status: .conflict, code: "conflict", message: "That already exists.")
        default: self = .internalError
        }
    }

    init(_ error: HTTPError) {
        switch error.status {
        case .notFound: self = .notFound
        case .contentTooLarge: self = .bodyTooLarge(1 << 20)
        case .methodNotAllowed:
            self.init(status: .methodNotAllowed, code: "method_not_allowed", message: "This address does not take that method.")
        case .unauthorized: self = .unauthenticated
        case .forbidden: self = .forbidden
        case let status where (400..<500).contains(status.code):
            self.init(status: status, code: "bad_request", message: error.body ?? "The request is not valid.")
        default: self = .internalError
        }
    }

    /// A request the HTTP parser refused (answered by `HTTPConnectionGuard` before Hummingbird
    /// sees it), or a body that ended early. llhttp reports an oversized request line and an
    /// oversized header block alike (`headerOverflow`, NIO's 80 KiB / 1,000-field limits), so
    /// the caller says whether the request line is what overflowed (then the URL is too long).
    init(_ error: HTTPParserError, requestLineTooLong: Bool = false) {
        let malformed = { (message: String) in APIError(status: .badRequest, code: "malformed_request", message: message) }
        switch error {
        case .headerOverflow where requestLineTooLong:
            self.init(status: .uriTooLong, code: "uri_too_long", message: "The request's URL is longer than 80 KiB.")
        case .headerOverflow:
            self.init(status: .requestHeaderFieldsTooLarge, code: "headers_too_large",
                      message: "The request's headers are over 80 KiB or 1,000 fields.")
        case .unexpectedContentLength:
            self = malformed("A request may not carry both Content-Length and Transfer-Encoding.")
        case .invalidContentLength:
            self = malformed("The Content-Length is not valid (or is given twice with different values).")
        case .invalidChunkSize:
            self = malformed("A chunk size of the chunked body is not valid.")
        case .lfExpected:
            self = malformed("Every line of the request head must end with CRLF.")
        case .invalidVersion:
            self = malformed("The request line has no valid HTTP version (HTTP/1.0 or HTTP/1.1).")
        case .invalidMethod:
            self = malformed("The request method is not valid.")
        case .invalidURL:
            self = malformed("The request's URL is not valid.")
        case .invalidHeaderToken, .invalidCharactersUsed:
            self = malformed("A header has a character that is not allowed.")
        case .invalidEOFState:
            self = malformed("The connection ended before the request was complete.")
        default:
            self = malformed("The request is not valid HTTP/1.1.")
        }
    }

    /// Any error, mapped; `isUnexpected` says whether to log it as a server fault. What a client
    /// causes — a body over the limit however it was framed, a body cut short by a hang-up, a
    /// connection gone — is never one (finding 7: `error` is for our faults, so it can page).
    static func from(_ error: any Error) -> (error: APIError, isUnexpected: Bool) {
        switch error {
        case let error as APIError: return (error, error.status.code >= 500)
        case let error as DeskError: let e = APIError(error); return (e, e.status.code >= 500)
        case let error as StorageError: return (APIError(error), true)
        case let error as HTTPError: let e = APIError(error); return (e, e.status.code >= 500)
        case let error as NIOTooManyBytesError: return (.bodyTooLarge(error.maxBytes ?? 1 << 20), false)
        case let error as HTTPParserError: return (APIError(error), false)
        case let error as ChannelError where Self.clientGoneErrors.contains(error): return (.clientGone, false)
        // A reset or broken connection while reading the body or writing the answer: the client left.
        case let error as IOError where [ECONNRESET, EPIPE, ECONNABORTED, ETIMEDOUT].contains(error.errnoCode): return (.clientGone, false)
        default: return (.internalError, true)
        }
    }

    /// Channel errors that mean the client went away (or we cut it off) mid-request.
    private static let clientGoneErrors: [ChannelError] = [.ioOnClosedChannel, .alreadyClosed, .eof, .inputClosed, .outputClosed]
}
