import ArgumentParser
import Foundation
import Logging
import Metrics
import Prometheus

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the daemon: the store, the web server and the dashboard.",
        discussion: """
            With no flags it serves ./data on 127.0.0.1:8080. It owns the data directory while it \
            runs: a second `serve`, `restore` or `secret set` on the same directory is refused \
            (exit 69). SIGTERM or SIGINT drains requests in flight, commits queued writes and \
            closes the store cleanly.
            """)

    @OptionGroup var common: CommonOptions
    @Option(help: "Address to listen on (default 127.0.0.1). Env: ATENDE_HOST.") var host: String?
    @Option(help: "Port to listen on (default 8080). Env: ATENDE_PORT.") var port: String?
    @Option(help: "Serve the dashboard's files from this directory instead of the binary (development). Env: ATENDE_DASHBOARD_DIR.")
    var dashboardDir: String?
    @Option(help: "The WhatsApp Graph API's base URL (default https://graph.facebook.com). Env: ATENDE_WHATSAPP_GRAPH_URL.")
    var whatsappGraphURL: String?
    @Option(name: .customLong("twilio-api-url"), help: "The Twilio REST API's base URL (default https://api.twilio.com). Env: ATENDE_TWILIO_API_URL.")
    var twilioAPIURL: String?
    @Option(name: .customLong("google-auth-url"), help: "Where Google's consent page is (default https://accounts.google.com). Env: ATENDE_GOOGLE_AUTH_URL.")
    var googleAuthURL: String?
    @Option(name: .customLong("google-oauth-url"), help: "Where Google's OAuth token endpoint is (default https://oauth2.googleapis.com). Env: ATENDE_GOOGLE_OAUTH_URL.")
    var googleOAuthURL: String?
    @Option(name: .customLong("google-calendar-url"), help: "The Google Calendar API's base URL (default https://www.googleapis.com/calendar/v3). Env: ATENDE_GOOGLE_CALENDAR_URL.")
    var googleCalendarURL: String?

    func run() async throws {
        var extra: [String: String] = [:]
        if let host { extra["--host"] = host }
        if let port { extra["--port"] = port }
        if let dashboardDir { extra["--dashboard-dir"] = dashboardDir }
        if let whatsappGraphURL { extra["--whatsapp-graph-url"] = whatsappGraphURL }
        if let twilioAPIURL { extra["--twilio-api-url"] = twilioAPIURL }
        if let googleAuthURL { extra["--google-auth-url"] = googleAuthURL }
        if let googleOAuthURL { extra["--google-oauth-url"] = googleOAuthURL }
        if let googleCalendarURL { extra["--google-calendar-url"] = googleCalendarURL }
        let config = try common.configuration(extra: extra)
        Logger.bootstrapJSON(level: config.logLevel)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        let logger = Logger(label: "atende")
        do {
            let group = try await Appliance.makeServiceGroup(config, metrics: registry, logger: logger)
            try await group.run()
        } catch {
            logger.critical("atende serve stopped", metadata: ["atende.error": "\(error)"])
            throw Exit.fail(error, hint: Appliance.hint(for: error, config: config))
        }
    }
}
