import Desk
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Web

@Suite struct BoundaryTests {
    static let csp = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

    @Test(arguments: ["/healthz", "/api/v1/nothing-here", "/api/v1/staff", "/no/such/page"])
    func everyResponseCarriesTheSecurityHeaders(_ path: String) async throws {
        try await TestDesk.with(seeded: false) { t in
            let response = try await t.server.makeApplication().test(.router) { client in
                try await client.execute(uri: path, method: .get)
            }
            #expect(response.headers[.contentSecurityPolicy] == Self.csp)
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
            #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
            #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            #expect(response.headers[.strictTransportSecurity] == nil)        // plain HTTP: no HSTS
            #expect((response.headers[.cacheControl] == "no-store") == path.hasPrefix("/api/"))
        }
    }

    @Test func anUnknownAPIRouteIsAJSON404WithARequestID() async throws {
        try await TestDesk.with(seeded: false) { t in
            let response = try await t.server.makeApplication().test(.router) { client in
                try await client.execute(uri: "/api/v1/nothing-here", method: .get)
            }
            #expect(response.status == .notFound)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let error = try #require(response.error)
            #expect(error.code == "not_found" && !error.request_id.isEmpty && error.field == nil)
            #expect(response.text.contains(#""field":null"#))
        }
    }

    @Test func aBodyThatIsNotJSONIsA400() async throws {
        try await TestDesk.with { t in
            let response = try await t.server.makeApplication().test(.router) { client in
                try await client.execute(uri: "/api/v1/staff", method: .post, headers: t.headers(for: .session(.admin)),
                                         body: ByteBuffer(string: "{not json"))
            }
            #expect(response.status == .badRequest)
            #expect(response.error?.code == "invalid_body")
        }
    }

    @Test func aMissingOrMistypedFieldIsA422NamingIt() async throws {
        try await TestDesk.with { t in
            try await t.server.makeApplication().test(.router) { client in
                let missing = try await client.execute(uri: "/api/v1/staff", method: .post, headers: t.headers(for: .session(.admin)),
                                                       body: body(["name": "Ana", "role": "agent", "password": strongPassword]))
                #expect(missing.status == .unprocessableContent)
                #expect(missing.error?.field == "email")
                let mistyped = try await client.execute(uri: "/api/v1/staff/\(t.staff[.agent]!.id)", method: .patch,
                                                        headers: t.headers(for: .session(.admin)), body: body(["disabled": "yes"]))
                #expect(mistyped.status == .unprocessableContent)
                #expect(mistyped.error?.field == "disabled")
                let weak = try await client.execute(uri: "/api/v1/staff", method: .post, headers: t.headers(for: .session(.admin)),
                                                    body: body(["name": "Ana", "email": "ana@example.com", "role": "agent", "password": "senha123"]))
                #expect(weak.status == .unprocessableContent)
                #expect(weak.error?.code == "weak_password" && weak.error?.field == "password")
                let limit = try await client.execute(uri: "/api/v1/staff?limit=500", method: .get, headers: t.headers(for: .session(.admin)))
                #expect(limit.status == .unprocessableContent && limit.error?.field == "limit")
            }
        }
    }

    @Test func aBodyOverOneMebibyteIsRefusedWith413() async throws {
        try await TestDesk.with { t in
            let huge = ByteBuffer(repeating: UInt8(ascii: "a"), count: (1 << 20) + 1)
            let response = try await t.server.makeApplication().test(.live) { client in
                try await client.execute(uri: "/api/v1/staff", method: .post, headers: t.headers(for: .session(.admin)), body: huge)
            }
            #expect(response.status == .contentTooLarge)
            #expect(response.error?.code == "body_too_large")
        }
    }

    @Test func healthAndReadinessAnswerAnyoneButMetricsNeedAnAdminOrManager() async throws {
        try await TestDesk.with { t in
            try await t.server.makeApplication().test(.router) { client in
                let health = try await client.execute(uri: "/healthz", method: .get)
                #expect(try health.json()["status"] as? String == "ok")
                let ready = try await client.execute(uri: "/readyz", method: .get)
                #expect(try ready.json()["status"] as? String == "ready")
                let guest = try await client.execute(uri: "/metrics", method: .get)
                #expect(guest.status == .unauthorized)
                #expect(!guest.text.contains("atende_"))
                for role in [Role.operator, .agent] {
                    let refused = try await client.execute(uri: "/metrics", method: .get, headers: t.headers(for: .token(role)))
                    #expect(refused.status == .forbidden, "\(role)")
                }
                for role in [Role.admin, .manager] {
                    let metrics = try await client.execute(uri: "/metrics", method: .get, headers: t.headers(for: .token(role)))
                    #expect(metrics.status == .ok, "\(role)")
                    #expect(metrics.text.contains("atende_store_commits_total"))
                }
            }
        }
    }

    @Test func metricsAnswerAnyoneWhenConfiguredPublic() async throws {
        var configuration = WebConfiguration()
        configuration.metricsPublic = true
        try await TestDesk.with(configuration: configuration) { t in
            try await t.server.makeApplication().test(.router) { client in
                let metrics = try await client.execute(uri: "/metrics", method: .get)
                #expect(metrics.status == .ok)
                #expect(metrics.text.contains("atende_store_commits_total"))
            }
        }
    }

    @Test func readinessCommitsAtMostOnceASecondHoweverOftenItIsAsked() async throws {
        try await TestDesk.with { t in
            try await t.server.makeApplication().test(.router) { client in
                let before = t.desk.store.statistics.commits
                let started = ContinuousClock.now
                var answers: [HTTPResponse.Status] = []
                for _ in 0..<200 { answers.append(try await client.execute(uri: "/readyz", method: .get).status) }
                #expect(answers.allSatisfy { $0 == .ok })
                let seconds = (ContinuousClock.now - started).components.seconds
                let commits = t.desk.store.statistics.commits - before
                // Before the fix, 200 calls were 200 commits; now at most one per second.
                #expect(commits <= Int(seconds) + 1, "\(commits) commits for 200 readiness checks in \(seconds) s")
            }
        }
    }

    @Test func readinessFailsOnceTheStoreStopsTakingWrites() async throws {
        try await TestDesk.with(seeded: false) { t in
            t.desk.store.close()
            let response = try await t.server.makeApplication().test(.router) { client in
                try await client.execute(uri: "/readyz", method: .get)
            }
            #expect(response.status == .serviceUnavailable)
            #expect(response.error?.code == "not_ready")
        }
    }

    @Test func theProductionBcryptCostIsAtLeastTwelve() async throws {
        #expect(WebConfiguration.defaultBcryptCost >= 12)
        let hasher = BcryptHasher()
        let hash = try await hasher.hash(strongPassword)
        #expect(hash.hasPrefix("$2b$12$") || hash.hasPrefix("$2a$12$") || hash.hasPrefix("$2y$12$"))
        #expect(try await hasher.verify(strongPassword, against: hash))
        #expect(try await !hasher.verify("something else entirely", against: hash))
    }
}
