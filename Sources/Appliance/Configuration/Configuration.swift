import Foundation
import Desk
import Logging
import Web

/// Everything `atende` can be told, resolved in one order: built-in defaults, then the config
/// file, then `ATENDE_*` environment variables, then command-line flags. Each setting is declared
/// once, in `Configuration.settings`, with its file key, variable, flag and meaning.
struct Configuration: Sendable, Equatable {
    var dataDirectory: String
    var masterKeyFile: String
    var host = "127.0.0.1"
    var port = 8080
    var logLevel: Logger.Level = .info
    var mapSizeMB = 256
    /// Seconds a password entered in a browser session allows sensitive changes.
    var reauthWindowSeconds = 600
    /// Live-event sockets the whole server keeps open at most.
    var liveMaxSockets = 1024
    /// Whether /metrics answers without credentials (otherwise an Admin or Manager token).
    var metricsPublic = false
    /// The address people and providers use to reach this server (e.g. https://desk.example.com);
    /// used for links in the log, the allowed browser Origin and secure cookies.
    var publicURL: String?
    /// Serve the dashboard from this directory instead of the copy inside the binary (development).
    var dashboardDirectory: String?
    /// The key is a systemd credential ($CREDENTIALS_DIRECTORY): read-only, never created.
    var masterKeyIsCredential = false
    /// Where the config file came from, if one was read.
    var configFile: String?

    // Connection hardening (harden-http): request deadline, connection caps, trusted proxies.
    /// Seconds a request's head and body may take to arrive, from its first byte.
    var requestTimeoutSeconds = 30
    /// HTTP connections open at once (WebSocket ones not counted), and per client address.
    var maxConnections = 512
    var maxConnectionsPerAddress = 64
    /// Peers whose X-Forwarded-* headers are believed, exempt from the per-address cap.
    var trustedProxies = TrustedProxies.loopback

    // Channels.
    /// The WhatsApp Graph API's base URL and version (tests and operators point them elsewhere).
    var whatsappGraphURL = "https://graph.facebook.com"
    var twilioAPIURL = "https://api.twilio.com"
    /// Google: the consent page's host, the OAuth token endpoint's host, and the Calendar API root.
    var googleAuthURL = "https://accounts.google.com"
    var googleOAuthURL = "https://oauth2.googleapis.com"
    var googleCalendarURL = "https://www.googleapis.com/calendar/v3"
    var whatsappGraphVersion = "v22.0"
    /// Embedded Signup ("Connect with Facebook"): the Meta app's id and its Facebook Login for
    /// Business configuration id. The app secret is not a setting: it is sealed in the vault as
    /// `whatsapp.app_secret` (`atende secret set`), so it is never in a file or the environment.
    var whatsappAppID: String?
    var whatsappLoginConfigID: String?

    // Assistant.
    /// The dense (embedding) ranking's share of the knowledge search's fused score.
    var knowledgeDenseWeight = KnowledgeConfiguration().denseWeight

    /// Installed by the .deb (the binary is /usr/bin/atende): system paths; otherwise ./data.
    static var isInstalled: Bool { CommandLine.arguments.first.map { resolve($0) == "/usr/bin/atende" } ?? false }

    static func defaults(installed: Bool = isInstalled) -> Configuration {
        installed
            ? Configuration(dataDirectory: "/var/lib/atende", masterKeyFile: "/etc/atende/master.key")
            : Configuration(dataDirectory: "./data", masterKeyFile: "./master.key")
    }

    static let defaultConfigFile = "/etc/atende/atende.toml"

    struct Setting: Sendable {
        let key: String          // in the config file
        let variable: String     // ATENDE_…
        let flag: String?        // --…, where a command offers it
        let help: String
        let apply: @Sendable (inout Configuration, String) throws(ConfigurationError) -> Void
    }

    /// A setting whose value is a whole number in `range`; anything else stops with a message
    /// naming the setting and the range.
    static func wholeNumber(_ key: String, _ variable: String, flag: String? = nil, in range: ClosedRange<Int>, help: String,
                            _ set: @escaping @Sendable (inout Configuration, Int) -> Void) -> Setting {
        Setting(key: key, variable: variable, flag: flag, help: help) { config, text throws(ConfigurationError) in
            guard let value = Int(text), range.contains(value) else {
                throw ConfigurationError(key, "must be a whole number from \(range.lowerBound) to \(range.upperBound), got \(text)")
            }
            set(&config, value)
        }
    }

    static let settings: [Setting] = [
        Setting(key: "data_dir", variable: "ATENDE_DATA", flag: "--data",
                help: "Data directory (holds store/ and atende.lock).") { $0.dataDirectory = $1 },
        Setting(key: "master_key_file", variable: "ATENDE_MASTER_KEY_FILE", flag: "--master-key",
                help: "The vault's master key file, kept outside the data directory.") { $0.masterKeyFile = $1 },
        Setting(key: "host", variable: "ATENDE_HOST", flag: "--host", help: "Address to listen on.") { $0.host = $1 },
        wholeNumber("port", "ATENDE_PORT", flag: "--port", in: 0...65_535, help: "Port to listen on.") { $0.port = $1 },
        Setting(key: "log_level", variable: "ATENDE_LOG_LEVEL", flag: nil,
                help: "trace, debug, info, notice, warning, error or critical.") { config, text throws(ConfigurationError) in
            guard let level = Logger.Level(rawValue: text.lowercased()) else { throw ConfigurationError("log_level", "unknown level \(text)") }
            config.logLevel = level
        },
        wholeNumber("map_size_mb", "ATENDE_MAP_SIZE_MB", in: 1...(1 << 20),
                    help: "First LMDB map size in MiB; it grows by itself.") { $0.mapSizeMB = $1 },
        Setting(key: "public_url", variable: "ATENDE_PUBLIC_URL", flag: nil,
                help: "The URL people use to reach this server.") { config, text throws(ConfigurationError) in
            guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                throw ConfigurationError("public_url", "must be an http(s) URL, got \(text)")
            }
            config.publicURL = text.hasSuffix("/") ? String(text.dropLast()) : text
        },
        Setting(key: "dashboard_dir", variable: "ATENDE_DASHBOARD_DIR", flag: "--dashboard-dir",
                help: "Serve the dashboard from this directory (development).") { $0.dashboardDirectory = $1 },
        wholeNumber("reauth_window_s", "ATENDE_REAUTH_WINDOW_S", in: 1...43_200,
                    help: "Seconds after entering their password during which staff may change roles, access, passwords and tokens without entering it again.") { $0.reauthWindowSeconds = $1 },
        wholeNumber("live_max_sockets", "ATENDE_LIVE_MAX_SOCKETS", in: 1...100_000,
                    help: "Live-event WebSockets open at once on the whole server (each is a file descriptor).") { $0.liveMaxSockets = $1 },
        Setting(key: "metrics_public", variable: "ATENDE_METRICS_PUBLIC", flag: nil,
                help: "true: /metrics answers anyone; false: it needs an Admin or Manager API token or session.") { config, text throws(ConfigurationError) in
            switch text.lowercased() {
            case "true": config.metricsPublic = true
            case "false": config.metricsPublic = false
            default: throw ConfigurationError("metrics_public", "must be true or false, got \(text)")
            }
        },

        // Connections: deadlines, caps and the proxies to believe.
        wholeNumber("request_timeout_s", "ATENDE_REQUEST_TIMEOUT_S", in: 1...3600,
                    help: "Seconds a request's head and body may take to arrive, from its first byte; then it is answered 408.") { $0.requestTimeoutSeconds = $1 },
        wholeNumber("max_connections", "ATENDE_MAX_CONNECTIONS", in: 1...1_000_000,
                    help: "HTTP connections open at once (live sockets not counted); size LimitNOFILE= to it.") { $0.maxConnections = $1 },
        wholeNumber("max_connections_per_address", "ATENDE_MAX_CONNECTIONS_PER_ADDRESS", in: 1...1_000_000,
                    help: "HTTP connections one client address may hold (trusted proxies exempt).") { $0.maxConnectionsPerAddress = $1 },
        Setting(key: "trusted_proxies", variable: "ATENDE_TRUSTED_PROXIES", flag: nil,
                help: "Comma-separated IPs or CIDR blocks whose X-Forwarded-For/-Proto are believed.") { config, text throws(ConfigurationError) in
            do {
                config.trustedProxies = try TrustedProxies(parsing: text)
            } catch {
                throw ConfigurationError("trusted_proxies", "\(error)")
            }
        },

        // Channels.
        Setting(key: "whatsapp_graph_url", variable: "ATENDE_WHATSAPP_GRAPH_URL", flag: "--whatsapp-graph-url",
                help: "The WhatsApp Graph API's base URL (default https://graph.facebook.com).") { config, text throws(ConfigurationError) in
            config.whatsappGraphURL = try baseURL(text, key: "whatsapp_graph_url")
        },
        Setting(key: "twilio_api_url", variable: "ATENDE_TWILIO_API_URL", flag: "--twilio-api-url",
                help: "The Twilio REST API's base URL (default https://api.twilio.com).") { config, text throws(ConfigurationError) in
            config.twilioAPIURL = try baseURL(text, key: "twilio_api_url")
        },
        Setting(key: "google_auth_url", variable: "ATENDE_GOOGLE_AUTH_URL", flag: "--google-auth-url",
                help: "Where Google's consent page is; /o/oauth2/v2/auth is appended (default https://accounts.google.com).") { config, text throws(ConfigurationError) in
            config.googleAuthURL = try baseURL(text, key: "google_auth_url")
        },
        Setting(key: "google_oauth_url", variable: "ATENDE_GOOGLE_OAUTH_URL", flag: "--google-oauth-url",
                help: "Where Google's OAuth token endpoint is; /token and /revoke are appended (default https://oauth2.googleapis.com).") { config, text throws(ConfigurationError) in
            config.googleOAuthURL = try baseURL(text, key: "google_oauth_url")
        },
        Setting(key: "google_calendar_url", variable: "ATENDE_GOOGLE_CALENDAR_URL", flag: "--google-calendar-url",
                help: "The Google Calendar API's base URL (default https://www.googleapis.com/calendar/v3).") { config, text throws(ConfigurationError) in
            config.googleCalendarURL = try baseURL(text, key: "google_calendar_url")
        },
        Setting(key: "whatsapp_graph_version", variable: "ATENDE_WHATSAPP_GRAPH_VERSION", flag: nil,
                help: "The Graph API version in request paths (default v22.0).") { config, text throws(ConfigurationError) in
            guard text.count <= 10, text.first == "v", text.dropFirst().allSatisfy({ $0.isNumber || $0 == "." }), text.count > 1 else {
                throw ConfigurationError("whatsapp_graph_version", "must look like v22.0, got \(text)")
            }
            config.whatsappGraphVersion = text
        },
        Setting(key: "whatsapp_app_id", variable: "ATENDE_WHATSAPP_APP_ID", flag: nil,
                help: "Your Meta app's id, for Connect with Facebook (Embedded Signup); with whatsapp_login_config_id and the vault secret whatsapp.app_secret.") { config, text throws(ConfigurationError) in
            config.whatsappAppID = try graphID("whatsapp_app_id", text)
        },
        Setting(key: "whatsapp_login_config_id", variable: "ATENDE_WHATSAPP_LOGIN_CONFIG_ID", flag: nil,
                help: "The id of the app's Facebook Login for Business configuration (WhatsApp Embedded Signup).") { config, text throws(ConfigurationError) in
            config.whatsappLoginConfigID = try graphID("whatsapp_login_config_id", text)
        },

        // Assistant.
        Setting(key: "knowledge_dense_weight", variable: "ATENDE_KNOWLEDGE_DENSE_WEIGHT", flag: nil,
                help: "The embedding ranking's share (0 to 1) of the knowledge search's fused score; the rest is BM25 (default 0.4, tuned on FaQuAD).") { config, text throws(ConfigurationError) in
            guard let value = Double(text), (0...1).contains(value) else {
                throw ConfigurationError("knowledge_dense_weight", "must be a number from 0 to 1, got \(text)")
            }
            config.knowledgeDenseWeight = value
        },
    ]

    /// A Meta id (digits); empty means unset.
    /// A provider's base URL: http(s), a host, no query or credentials; without a trailing slash.
    static func baseURL(_ text: String, key: String) throws(ConfigurationError) -> String {
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil,
              url.query == nil, url.user == nil else {
            throw ConfigurationError(key, "must be an http(s) URL without query or credentials, got \(text)")
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    static func graphID(_ key: String, _ text: String) throws(ConfigurationError) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return nil }
        guard trimmed.count <= 32, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw ConfigurationError(key, "must be the id Meta shows (digits only), got \(text)")
        }
        return trimmed
    }

    /// Resolves the configuration. `flags` maps flag names (`--port`) to the values given.
    static func load(flags: [String: String], configFlag: String?, environment: [String: String],
                     installed: Bool = isInstalled) throws(ConfigurationError) -> Configuration {
        var config = defaults(installed: installed)
        var masterKeyExplicit = false
        let explicitFile = configFlag ?? environment["ATENDE_CONFIG"]
        let file = explicitFile ?? (installed && FileManager.default.fileExists(atPath: defaultConfigFile) ? defaultConfigFile : nil)
        if let file {
            let values = try readFile(file)
            for (key, _) in values where !settings.contains(where: { $0.key == key }) {
                throw ConfigurationError(key, "is not a setting atende knows (in \(file))")
            }
            for setting in settings {
                if let value = values[setting.key] {
                    try setting.apply(&config, value)
                    if setting.key == "master_key_file" { masterKeyExplicit = true }
                }
            }
            config.configFile = file
        }
        for setting in settings {
            if let value = environment[setting.variable] {
                try setting.apply(&config, value)
                if setting.key == "master_key_file" { masterKeyExplicit = true }
            }
            if let flag = setting.flag, let value = flags[flag] {
                try setting.apply(&config, value)
                if setting.key == "master_key_file" { masterKeyExplicit = true }
            }
        }
        if !masterKeyExplicit {
            if let credentials = environment["CREDENTIALS_DIRECTORY"],
               FileManager.default.fileExists(atPath: credentials + "/master.key") {
                config.masterKeyFile = credentials + "/master.key"      // systemd LoadCredential=
                config.masterKeyIsCredential = true
            } else if !installed {
                config.masterKeyFile = besideDataDirectory(config.dataDirectory)
            }
        }
        try config.validate()
        return config
    }

    /// `master.key` in the data directory's parent: never inside the directory a backup copies.
    static func besideDataDirectory(_ data: String) -> String {
        let parent = (resolve(data) as NSString).deletingLastPathComponent
        return (parent as NSString).appendingPathComponent("master.key")
    }

    func validate() throws(ConfigurationError) {
        let data = Self.resolve(dataDirectory), key = Self.resolve(masterKeyFile)
        if key.hasPrefix(data.hasSuffix("/") ? data : data + "/") {
            throw ConfigurationError("master_key_file", "must be outside the data directory (\(data)), or every backup would carry it")
        }
    }

    private static func readFile(_ path: String) throws(ConfigurationError) -> [String: String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigurationError("config", "cannot read \(path)")
        }
        do {
            return try ConfigFile(parsing: text).values.mapValues { value in
                switch value {
                case .string(let s): s
                case .integer(let n): String(n)
                case .boolean(let b): String(b)
                case .decimal(let d): String(d)
                }
            }
        } catch {
            throw ConfigurationError("config", "\(path): \(error)")
        }
    }

    static func resolve(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return (absolute as NSString).standardizingPath
    }
}

/// A setting that cannot be used, naming it.
struct ConfigurationError: Error, CustomStringConvertible {
    let setting: String, problem: String
    init(_ setting: String, _ problem: String) { (self.setting, self.problem) = (setting, problem) }
    var description: String { "\(setting) \(problem)" }
}
