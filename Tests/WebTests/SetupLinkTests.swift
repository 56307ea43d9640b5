import AtendeTesting
import Desk
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import Web

@Suite struct SetupLinkTests {
    @Test func onAnEmptyStoreTheServerLogsAOneTimeSetupLinkThatWorks() async throws {
        try await TestDesk.with(seeded: false) { t in
            let capture = LogRecorder()
            let server = WebServer(desk: t.desk, configuration: WebConfiguration(), metrics: testMetrics, dashboard: try DashboardFiles(), logger: capture.logger())
            try await server.makeApplication().test(.live) { client in
                let line = try #require(capture.lines.first { $0.contains("setup?token=") })
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
            let capture = LogRecorder()
            let server = WebServer(desk: t.desk, configuration: WebConfiguration(), metrics: testMetrics, dashboard: try DashboardFiles(), logger: capture.logger())
            try await server.makeApplication().test(.live) { client in
                _ = try await client.execute(uri: "/healthz", method: .get)
            }
            #expect(capture.lines.allSatisfy { !$0.contains("token=") })
        }
    }
}
