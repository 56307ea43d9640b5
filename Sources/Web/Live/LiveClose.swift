import Desk
import NIOWebSocket

/// Why the server closes a live socket, and the close code the client sees. Codes 4000–4999
/// are ours (RFC 6455 §7.4.2); the reason text is the snake_case name, for logs and clients.
enum LiveClose: Sendable, Equatable {
    /// The client's `since` cannot be resumed; it must reload its state.
    case reload
    /// The session or token ended: logout, expiry, password change or reset, token revoked.
    case sessionEnded
    /// The staff member's role changed: reconnect to be authorised anew.
    case roleChanged
    /// The account was disabled.
    case accountDisabled
    /// The client fell too far behind; reconnect with `since` to catch up (or reload).
    case tooSlow
    /// The client sent more messages than allowed.
    case tooManyMessages
    /// The server is shutting down (SIGTERM); reconnect in a moment.
    case goingAway
    /// This session or token already has the most sockets allowed open (other tabs, devices).
    case tooManyConnections

    init(_ ending: LiveEnding) {
        switch ending {
        case .overflow: self = .tooSlow
        case .revoked(.sessionEnded): self = .sessionEnded
        case .revoked(.roleChanged): self = .roleChanged
        case .revoked(.accountDisabled): self = .accountDisabled
        }
    }

    /// The close code of the frame sent to the client.
    var code: UInt16 {
        switch self {
        case .reload: 4000
        case .sessionEnded: 4001
        case .roleChanged: 4002
        case .accountDisabled: 4003
        case .tooSlow: 4008
        case .tooManyMessages: 1008      // policy violation
        case .goingAway: 1001
        case .tooManyConnections: 4029
        }
    }

    var reason: String {
        switch self {
        case .reload: "reload"
        case .sessionEnded: "session_ended"
        case .roleChanged: "role_changed"
        case .accountDisabled: "account_disabled"
        case .tooSlow: "too_slow"
        case .tooManyMessages: "too_many_messages"
        case .goingAway: "server_shutting_down"
        case .tooManyConnections: "too_many_connections"
        }
    }

    var errorCode: WebSocketErrorCode { WebSocketErrorCode(codeNumber: Int(code)) }
}
