import Desk
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing
import Web

/// Keeps every log line (message and metadata) for a test to read.
final class LogCapture: Sendable {
    let lines = Mutex<[String]>([])

    var logger: Logger {
        Logger(label: "atende.test") { _ in Handler(capture: self) }
    }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.lines.withLock { $0.append("\(event.message) \(all)") }
        }
    }
}

@Suite struct SetupLinkTests {
    @Test func onAnEmptyStoreTheServerLogsAOneTimeSetupLinkThatWorks() async throws {
        try await TestDesk.with(seeded: false) { t in
            let capture = LogCapture()
            let server = WebServer(desk: t.desk, configuration: WebConfiguration(), metrics: testMetrics, logger: capture.logger)
            try await server.makeApplication().test(.live) { client in
                let line = try #require(capture.lines.withLock { $0.first { $0.contains("setup?token=") } })
                let token = try #require(line.split(separator: "token=").last?.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
                let response = try await client.execute(
                    uri: "/api/v1/setup", method: .post, headers: [.atendeCSRF: "1"],
                    body: body(["token": String(token), "name": "Ana", "email": "ana@example.com", "password": strongPassword]))
                #expect(response.status == .created)
            }
        }
    }

    @Test func withAccountsTheServerLogsNoSetupLink() async throws {
        try await TestDesk.with { t in
            let capture = LogCapture()
            let server = WebServer(desk: t.desk, configuration: WebConfiguration(), metrics: testMetrics, logger: capture.logger)
            try await server.makeApplication().test(.live) { client in
                _ = try await client.execute(uri: "/healthz", method: .get)
            }
            #expect(capture.lines.withLock { $0.allSatisfy { !$0.contains("token=") } })
        }
    }
}
