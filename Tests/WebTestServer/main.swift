// A stand-in for `atende serve` while the Appliance wiring is merged: the same store, Desk and
// WebServer, the same command line (`serve --data DIR --host H --port P`), no vault. It exists so
// Tests/api/run-schemathesis.sh can run before the real binary has the web server; the script
// uses the real `atende` whenever ATENDE_BIN points at it. Never shipped.
import Desk
import Foundation
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Storage
import Web

var arguments = CommandLine.arguments.dropFirst()
guard arguments.first == "serve" else {
    FileHandle.standardError.write(Data("usage: web-test-server serve --data DIR [--host H] [--port P]\n".utf8))
    exit(64)
}
arguments = arguments.dropFirst()
var options: [String: String] = [:]
while let key = arguments.first, key.hasPrefix("--") {
    arguments = arguments.dropFirst()
    options[key] = arguments.first
    arguments = arguments.dropFirst()
}

LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = .info
    return handler
}
let registry = PrometheusCollectorRegistry()
MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
let logger = Logger(label: "atende")

let store = try Store(directory: options["--data"] ?? "./data", schema: Desk.schema, logger: logger)
var web = WebConfiguration(host: options["--host"] ?? "127.0.0.1", port: Int(options["--port"] ?? "8080") ?? 8080)
let desk = Desk(store: store, hasher: BcryptHasher(cost: web.bcryptCost), logger: logger)
let app = WebServer(desk: desk, configuration: web, metrics: registry, logger: logger).makeApplication()
let group = ServiceGroup(configuration: .init(
    services: [.init(service: StoreService(store: store)), .init(service: app)],
    gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
try await group.run()
