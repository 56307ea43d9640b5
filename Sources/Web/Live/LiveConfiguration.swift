/// How the live-events WebSocket treats its clients. The defaults are production values; tests
/// shorten the periods.
public struct LiveConfiguration: Sendable {
    /// The server pings this often; a client that has not answered the previous ping by the
    /// next one is dropped (issue 4: every 30 s).
    public var pingInterval: Duration = .seconds(30)
    /// How often an open socket re-checks its session or token (expiry, idle timeout), besides
    /// being closed at once by logout, disabling or a role change.
    public var revalidateInterval: Duration = .seconds(30)
    /// How long a closing socket may take to flush its close frame before the connection is cut.
    public var closeGrace: Duration = .seconds(5)
    /// The largest message a client may send. The protocol is server to client; clients have
    /// nothing to say beyond pongs, so this is small.
    public var maxClientMessageBytes = 4096
    /// Messages a client may send per `clientMessageWindow` before it is closed (1008).
    public var maxClientMessages = 60
    public var clientMessageWindow: Duration = .seconds(60)

    public init() {}
}
