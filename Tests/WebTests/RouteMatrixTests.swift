import Desk
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Web

/// One route called by one caller, with the answer the route table says it must get.
struct RouteScenario: Sendable, CustomTestStringConvertible {
    let route: APIRoute
    let caller: Caller

    /// Every route of the table × every caller: a new route is in this list by construction.
    static let all: [RouteScenario] = APIRoutes.all.flatMap { route in Caller.all.map { RouteScenario(route: route, caller: $0) } }

    var isAllowed: Bool {
        switch (route.access, caller) {
        case (.public, _), (.signed, _): true
        case (_, .guest): false
        case (.browserSession, .session): true
        case (.browserSession, .token): false
        case (.sessionArea, .token): false
        case (.sessionArea(let area, let level), .session(let role)): role.permissions.allows(area, level)
        case (.area(let area, let level), .session(let role)), (.area(let area, let level), .token(let role)):
            role.permissions.allows(area, level)
        }
    }

    var testDescription: String {
        "\(caller) \(isAllowed ? "may call" : "may not call") \(route.method) \(route.path)"
    }
}

@Suite struct RouteMatrixTests {
    @Test(arguments: RouteScenario.all)
    func everyRouteAnswersEveryRoleAsTheTableSays(_ scenario: RouteScenario) async throws {
        try await TestDesk.with { t in
            let id: String
            if scenario.route.path.hasPrefix("/api/v1/tokens/") {
                id = t.tokens[.agent]!.token.id.description
            } else {
                id = t.staff[.agent]!.id.description
            }
            let path = scenario.route.path.replacingOccurrences(of: "{id}", with: id)
            let send = [HTTPRequest.Method.post, .patch, .put].contains(scenario.route.method) ? body([:]) : nil
            try await t.server.makeApplication().test(.router) { client in
                let response = try await client.execute(uri: path, method: scenario.route.method,
                                                        headers: t.headers(for: scenario.caller), body: send)
                if scenario.route.access == .signed {
                    // No caller's session or token opens a signed route: only a valid signature does.
                    #expect(response.status == .forbidden, "\(response.status) \(response.text)")
                    #expect(["invalid_signature", "verification_failed"].contains(response.error?.code ?? ""))
                } else if scenario.isAllowed {
                    #expect(![.unauthorized, .forbidden].contains(response.status), "\(response.status) \(response.text)")
                    #expect(response.status.code < 500, "\(response.text)")
                } else if case .guest = scenario.caller {
                    #expect(response.status == .unauthorized)
                    #expect(response.error?.code == "unauthenticated")
                } else {
                    #expect(response.status == .forbidden)
                    var expected = scenario.route.access == .browserSession ? "session_required" : "forbidden"
                    if case .sessionArea = scenario.route.access, case .token = scenario.caller { expected = "session_required" }
                    #expect(response.error?.code == expected)
                }
            }
        }
    }

    @Test func theServerRegistersExactlyTheRoutesOfTheTable() async throws {
        try await TestDesk.with(seeded: false) { t in
            let registered = t.server.buildRouter().routes.routes
            #expect(registered.map(\.description).sorted() == APIRoutes.all.map(\.description).sorted())
        }
    }

    @Test func theOpenAPIDocumentDescribesExactlyTheRoutesOfTheTable() async throws {
        try await TestDesk.with(seeded: false) { t in
            try await t.server.makeApplication().test(.router) { client in
                let response = try await client.execute(uri: "/api/openapi.json", method: .get)
                let document = try response.json()
                #expect(document["openapi"] as? String == "3.1.0")
                let paths = try #require(document["paths"] as? [String: [String: Any]])
                var documented: [String] = []
                for (path, item) in paths { for method in item.keys { documented.append("\(method.uppercased()) \(path)") } }
                #expect(documented.sorted() == APIRoutes.all.map(\.description).sorted())
                let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
                for name in ["Error", "Staff", "Permissions", "ApiToken", "AuditEntry", "Session"] { #expect(schemas[name] != nil) }
            }
        }
    }

    @Test func theReferencePageIsHTMLWithoutInlineScriptOrStyle() async throws {
        try await TestDesk.with(seeded: false) { t in
            try await t.server.makeApplication().test(.router) { client in
                let response = try await client.execute(uri: "/api/docs", method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                for route in APIRoutes.all { #expect(response.text.contains(route.path)) }
                for forbidden in ["<script", "<style", "style=", "onclick"] { #expect(!response.text.contains(forbidden)) }
            }
        }
    }
}
