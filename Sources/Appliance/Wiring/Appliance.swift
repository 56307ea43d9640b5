import Desk
import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import Storage
import Web

/// The composition root: every long-running part, in start order. SIGTERM stops them in
/// reverse, so the web server drains before the store commits its queue and closes.
enum Appliance {
    /// Every database the daemon keeps.
    static let schema = Schema(version: Desk.schemaVersion, databases: [Vault.database] + Desk.databases, migrations: Desk.migrations)

    /// Opens the vault with the configured master key. The key file is created (0600) only for a
    /// store that has no vault yet: a missing key for an existing vault is an error to fix, not a
    /// reason to mint a key that could never open it.
    static func openVault(store: Store, config: Configuration) async throws -> Vault {
        let isNewVault = try store.read { try Vault.database.count(in: $0) } == 0
        let source: MasterKey.Source = config.masterKeyIsCredential ? .credential(config.masterKeyFile) : .file(config.masterKeyFile)
        let masterKey = try MasterKey.load(from: source, createIfMissing: isNewVault)
        return try await Vault.open(store: store, masterKey: masterKey)
    }

    static func makeServiceGroup(_ config: Configuration, metrics: PrometheusCollectorRegistry,
                                 logger: Logger) async throws -> ServiceGroup {
        var options = Store.Options()
        options.mapSize = config.mapSizeMB << 20
        let store = try Store(directory: config.dataDirectory, schema: schema, options: options, logger: logger)
        logger.info("store open", metadata: ["atende.store.path": "\(store.environmentPath)"])
        sweepRestoreStaging(config.dataDirectory, logger: logger)
        let vault = try await openVault(store: store, config: config)
        var deskConfiguration = DeskConfiguration()
        deskConfiguration.reauthenticationWindow = TimeInterval(config.reauthWindowSeconds)
        deskConfiguration.live.maxSubscribers = config.liveMaxSockets
        deskConfiguration.whatsapp.graphURL = config.whatsappGraphURL
        deskConfiguration.twilio.apiURL = config.twilioAPIURL
        deskConfiguration.google.authURL = config.googleAuthURL
        deskConfiguration.google.oauthURL = config.googleOAuthURL
        deskConfiguration.google.calendarURL = config.googleCalendarURL
        deskConfiguration.whatsapp.graphVersion = config.whatsappGraphVersion
        deskConfiguration.whatsapp.publicURL = config.publicURL
        deskConfiguration.whatsapp.appID = config.whatsappAppID
        deskConfiguration.whatsapp.loginConfigID = config.whatsappLoginConfigID
        deskConfiguration.knowledge.denseWeight = config.knowledgeDenseWeight
        let desk = Desk(store: store, hasher: BcryptHasher(), configuration: deskConfiguration, vault: vault, logger: logger)
        try await desk.scheduleSweep(every: 600)
        try await desk.knowledge.start()
        var web = WebConfiguration(host: config.host, port: config.port, publicURL: config.publicURL.flatMap(URL.init(string:)))
        web.metricsPublic = config.metricsPublic
        web.requestTimeout = .seconds(config.requestTimeoutSeconds)
        web.maxConnections = config.maxConnections
        web.maxConnectionsPerAddress = config.maxConnectionsPerAddress
        web.trustedProxies = config.trustedProxies
        FileLimit.ensure(for: config, logger: logger)
        let dashboard = try DashboardFiles(overrideDirectory: config.dashboardDirectory)
        let server = WebServer(desk: desk, configuration: web, metrics: metrics, dashboard: dashboard, logger: logger)
        return ServiceGroup(configuration: .init(
            services: [.init(service: StoreService(store: store)),
                       .init(service: JobRunner(jobs: desk.jobs)),
                       .init(service: server.heapTrimmer),
                       .init(service: server.makeApplication())],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
    }

    /// Clears what a killed or failed restore left (`restore-*`), now that the store's lock is
    /// ours so no restore can be running. Never touches `store` or `previous-*`.
    static func sweepRestoreStaging(_ dataDirectory: String, logger: Logger) {
        for swept in RestorePlan.sweepStaging(in: dataDirectory) {
            let metadata: Logger.Metadata = ["atende.restore.path": "\(swept.path)"]
            switch swept.outcome {
            case .removed:
                logger.notice("removed a staging directory an interrupted restore left", metadata: metadata)
            case .keptAsPrevious(let previous):
                logger.notice("kept the store an interrupted restore swapped out as a previous store",
                              metadata: metadata.merging(["atende.restore.previous": "\(previous)"]) { $1 })
            case .failed(let reason):
                logger.warning("could not clear a staging directory an interrupted restore left",
                               metadata: metadata.merging(["atende.error": "\(reason)"]) { $1 })
            }
        }
    }

    /// What to tell an operator to do about `error`.
    static func hint(for error: any Error, config: Configuration) -> String? {
        switch error {
        case let error as StorageError where error.code == .locked:
            return "another atende process uses \(config.dataDirectory); stop it (systemctl stop atende) or choose another --data"
        case let error as VaultError where error.code == .keyPermissions:
            return "run: chmod 600 \(config.masterKeyFile)"
        case let error as VaultError where error.code == .wrongMasterKey:
            return "this data directory was sealed with another master key; point --master-key at that one"
        case let error as VaultError where error.code == .keyMissing:
            return "restore the master key file to \(config.masterKeyFile) (keep it outside the data directory)"
        default:
            return nil
        }
    }
}
