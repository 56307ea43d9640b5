import HummingbirdWebSocket
import NIOCore
import Synchronization

/// Where an upgrade request's context keeps its `WebSocketHandlerReference`, let go of when the
/// connection closes.
///
/// hummingbird-websocket (2.8.1) stores an accepted upgrade's handler in the reference together
/// with a copy of the request context, and the context holds the reference: a retain cycle. The
/// context holds the connection's `Channel` (`AtendeContext.channel`), so every upgraded socket
/// kept its channel, pipeline, buffers, logger and principal for the life of the process, about
/// 6.5 KB per socket after it closed (issue 8, #4). Dropping the reference when the channel
/// closes breaks the cycle whatever path the upgrade took (run, refused, or cut before it ran).
///
/// The reference is made on first use, so plain HTTP requests, which never touch
/// `context.webSocket`, cost nothing and register nothing on their connection.
final class WebSocketSlot: Sendable {
    private let reference = Mutex<WebSocketHandlerReference<AtendeContext>?>(nil)

    /// The reference, made on first use; it is dropped when `channel` closes.
    func reference(closingWith channel: any Channel) -> WebSocketHandlerReference<AtendeContext> {
        let (current, made) = reference.withLock { slot in
            if let existing = slot { return (existing, false) }
            let made = WebSocketHandlerReference<AtendeContext>()
            slot = made
            return (made, true)
        }
        // Runs at once when the channel is already closed.
        if made { channel.closeFuture.whenComplete { [self] _ in release() } }
        return current
    }

    /// Whether a reference is held (tests: it must be gone once the connection closed).
    var isHoldingReference: Bool { reference.withLock { $0 != nil } }

    /// Forgets the reference, and with it the handler and the context copy inside it.
    func release() {
        reference.withLock { $0 = nil }
    }
}
