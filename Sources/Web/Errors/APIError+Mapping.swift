import Desk
import Hummingbird
import Storage

/// The one table from every error the server can meet to what the client sees (STYLE §5.3).
extension APIError {
    init(_ error: DeskError) {
        let status: HTTPResponse.Status
        switch error.code {
        case .notFound: status = .notFound
        case .invalidField, .weakPassword: status = .unprocessableContent
        case .emailTaken, .alreadySetUp, .lastAdmin: status = .conflict
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

    /// Any error, mapped; `isUnexpected` says whether to log it as a server fault.
    static func from(_ error: any Error) -> (error: APIError, isUnexpected: Bool) {
        switch error {
        case let error as APIError: return (error, error.status.code >= 500)
        case let error as DeskError: let e = APIError(error); return (e, e.status.code >= 500)
        case let error as StorageError: return (APIError(error), true)
        case let error as HTTPError: let e = APIError(error); return (e, e.status.code >= 500)
        default: return (.internalError, true)
        }
    }
}
