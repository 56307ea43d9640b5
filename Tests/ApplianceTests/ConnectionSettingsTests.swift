import AtendeTesting
import Foundation
import Testing
import Web
@testable import Appliance

/// The connection-hardening settings (request deadline, caps, trusted proxies): read like every
/// other setting, documented in the packaged config, matched by the unit's LimitNOFILE=, and
/// applied by `atende serve`.
@Suite struct ConnectionSettingsTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theDefaultsAreThirtySecondsFiveHundredTwelveSixtyFourAndLoopback() throws {
        let config = try Configuration.load(flags: [:], configFlag: nil, environment: [:], installed: false)
        #expect(config.requestTimeoutSeconds == 30 && config.maxConnections == 512 && config.maxConnectionsPerAddress == 64)
        #expect(config.trustedProxies == .loopback)
    }

    @Test func theFileAndTheEnvironmentSetThem() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let file = directory.appending("atende.toml")
        try """
            request_timeout_s = 5
            max_connections = 100
            max_connections_per_address = 10
            trusted_proxies = "10.0.0.0/8, ::1"
            """.write(toFile: file, atomically: true, encoding: .utf8)
        let config = try Configuration.load(flags: [:], configFlag: file, environment: ["ATENDE_MAX_CONNECTIONS": "200"], installed: false)
        #expect(config.requestTimeoutSeconds == 5 && config.maxConnections == 200 && config.maxConnectionsPerAddress == 10)
        #expect(config.trustedProxies.contains(IPAddress("10.1.2.3")) && !config.trustedProxies.contains(IPAddress("127.0.0.1")))
    }

    @Test(arguments: [
        ("ATENDE_REQUEST_TIMEOUT_S", "0"), ("ATENDE_MAX_CONNECTIONS", "many"), ("ATENDE_MAX_CONNECTIONS_PER_ADDRESS", "-1"),
        ("ATENDE_TRUSTED_PROXIES", "proxy.local"), ("ATENDE_TRUSTED_PROXIES", "10.0.0.0/40"),
    ])
    func aBadValueIsRefusedNamingTheSetting(variable: String, value: String) {
        #expect {
            _ = try Configuration.load(flags: [:], configFlag: nil, environment: [variable: value], installed: false)
        } throws: { error in
            let setting = variable.dropFirst("ATENDE_".count).lowercased()
            return "\(error)".hasPrefix(setting)
        }
    }

    @Test func thePackagedConfigDocumentsThemAndTheUnitsFileLimitCoversTheCaps() throws {
        let toml = try String(contentsOf: Self.repository.appendingPathComponent("packaging/atende.toml"), encoding: .utf8)
        for key in ["request_timeout_s", "max_connections", "max_connections_per_address", "trusted_proxies"] {
            #expect(toml.contains("\n#\(key) = "), "packaging/atende.toml does not show \(key)")
        }
        let unit = try String(contentsOf: Self.repository.appendingPathComponent("packaging/systemd/atende.service"), encoding: .utf8)
        let limit = unit.split(separator: "\n").first { $0.hasPrefix("LimitNOFILE=") }.flatMap { Int($0.dropFirst("LimitNOFILE=".count)) }
        #expect((limit ?? 0) >= FileLimit.needed(for: Configuration.defaults(installed: true)))
    }

    @Test func serveAppliesThePerAddressCap() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let port = try freeLoopbackPort()
        let child = try ChildProcess(BuiltProducts.path("atende"), [
            "serve", "--data", directory.appending("data"), "--master-key", directory.appending("master.key"), "--port", String(port),
        ], environment: ["ATENDE_MAX_CONNECTIONS_PER_ADDRESS": "2"])
        defer { if child.isRunning { child.signal(SIGKILL) } }
        try await waitUntilServing("http://127.0.0.1:\(port)/healthz")
        var clients: [RawHTTPConnection] = []
        for _ in 0..<2 {
            let client = try await RawHTTPConnection.connect(port: port, from: "127.0.0.2", timeout: 0.5)
            await client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n")          // half a head: holds its slot
            clients.append(client)
        }
        try await Task.sleep(for: .milliseconds(200))
        let third = try await RawHTTPConnection.connect(port: port, from: "127.0.0.2", timeout: 3)
        let response = try await third.readResponse()
        #expect(response?.status == 429 && response?.errorCode == "too_many_connections")
        child.signal(SIGTERM)
        #expect(try await child.wait(timeout: .seconds(30)) == 0)
    }
}
