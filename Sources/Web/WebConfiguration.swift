public import Foundation
import Hummingbird

/// What the web face needs to know about where it runs. The Appliance fills it from its
/// `Configuration` (flags, `ATENDE_*` environment, config file).
public struct WebConfiguration: Sendable {
    /// Address to listen on (loopback by default: a reverse proxy terminates TLS, reliability.md A5.9).
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// The URL people use to reach the dashboard, e.g. `https://desk.example.com`. When its scheme
    /// is https, cookies get `__Host-` and `Secure`, and HSTS is sent. Its origin is allowed by
    /// the CSRF check besides the request's own host.
    public var publicURL: URL?
    /// Extra origins allowed to send state-changing browser requests (rarely needed).
    public var allowedOrigins: [String] = []
    /// Largest request body accepted, in bytes (1 MiB for the API).
    public var maxBodySize: Int = 1 << 20
    /// bcrypt cost; 12 or more in production (tests lower it to stay fast).
    public var bcryptCost: UInt8 = WebConfiguration.defaultBcryptCost
    /// The live-events WebSocket: ping period, limits on what clients send.
    public var live = LiveConfiguration()
    /// A connection that has not completed its first request by then is closed (slow or idle
    /// clients; see `GuardedUpgradeChannel`).
    public var firstRequestTimeout: Duration = .seconds(30)
    /// Whether `/metrics` answers anyone. By default it needs a principal whose role has
    /// `dashboard full` (an Admin or Manager token for Prometheus): it shows how many staff are
    /// online and how busy the server is.
    public var metricsPublic = false
    /// A keep-alive connection with no request in flight is closed after this long.
    public var idleTimeout: Duration = .seconds(120)

    // Connection hardening (finding 3, 10): see `GuardedUpgradeChannel`.
    /// A request's head and body must arrive within this, counted from its first byte; a
    /// request still arriving then is answered 408 and its connection closed.
    public var requestTimeout: Duration = .seconds(30)
    /// HTTP connections open at once (WebSocket ones excluded: `live` caps those). At the cap
    /// the connection wasting its slot most clearly is evicted to make room.
    public var maxConnections = 512
    /// HTTP connections one client address may hold; trusted proxies are exempt.
    public var maxConnectionsPerAddress = 64
    /// Peers whose `X-Forwarded-*` headers are believed (the local reverse proxy).
    public var trustedProxies = TrustedProxies.loopback

    /// The production bcrypt cost (OWASP: ≥ 10; we use 12, about 0.25 s per hash).
    public static let defaultBcryptCost: UInt8 = 12

    public init(host: String = "127.0.0.1", port: Int = 8080, publicURL: URL? = nil) {
        self.host = host
        self.port = port
        self.publicURL = publicURL
    }

    /// Whether the configured public URL is https.
    var isPublicTLS: Bool { publicURL?.scheme?.lowercased() == "https" }

    /// The `Origin` of `request` when a browser sent one that is not allowed: not the public URL's,
    /// not a configured extra, not the one the request itself names (its Host, with the
    /// transport's scheme). Nil when there is no Origin or it is allowed. CSRF and the live
    /// socket's upgrade both ask this.
    func foreignOrigin(of request: Request, secure: Bool) -> String? {
        guard let origin = request.headers[.origin]?.lowercased() else { return nil }
        var origins = Set(allowedOrigins.map { $0.lowercased() })
        if let publicOrigin { origins.insert(publicOrigin) }
        if let host = request.head.authority { origins.insert("\(secure ? "https" : "http")://\(host.lowercased())") }
        return origins.contains(origin) ? nil : origin
    }

    /// `scheme://host[:port]` of the public URL, the form browsers send in `Origin`.
    var publicOrigin: String? {
        guard let url = publicURL, let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased() else { return nil }
        let defaultPort = scheme == "https" ? 443 : 80
        return url.port.map { $0 == defaultPort ? "\(scheme)://\(host)" : "\(scheme)://\(host):\($0)" } ?? "\(scheme)://\(host)"
    }
}
