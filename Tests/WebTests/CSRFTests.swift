import Desk
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import Web

@Suite struct CSRFTests {
    let newStaff = body(["name": "Nova", "email": "nova@example.com", "role": "agent", "password": strongPassword])

    func post(_ t: TestDesk, _ mode: TestingSetup = .router, _ edit: (inout HTTPFields) -> Void) async throws -> TestResponse {
        var edited = t.headers(for: .session(.admin), csrf: false)
        edit(&edited)
        let headers = edited
        return try await t.server.makeApplication().test(mode) { client in
            try await client.execute(uri: "/api/v1/staff", method: .post, headers: headers, body: newStaff)
        }
    }

    @Test func aCrossSiteRequestIsRefused() async throws {
        try await TestDesk.with { t in
            let response = try await post(t) { $0[.secFetchSite] = "cross-site"; $0[.atendeCSRF] = "1" }
            #expect(response.status == .forbidden)
            #expect(response.error?.code == "csrf_rejected")
            #expect(try t.desk.staffMember(email: "nova@example.com") == nil)
        }
    }

    @Test func aForeignOriginIsRefused() async throws {
        try await TestDesk.with { t in
            let response = try await post(t) { $0[.origin] = "https://evil.example"; $0[.atendeCSRF] = "1" }
            #expect(response.error?.code == "csrf_rejected")
        }
    }

    @Test func aRequestWithNeitherFetchMetadataNorOriginNeedsTheCustomHeader() async throws {
        try await TestDesk.with { t in
            let refused = try await post(t) { _ in }
            #expect(refused.status == .forbidden)
            #expect(refused.error?.code == "csrf_rejected")
            let accepted = try await post(t) { $0[.atendeCSRF] = "1" }
            #expect(accepted.status == .created)
        }
    }

    @Test func aSameOriginBrowserRequestIsAccepted() async throws {
        try await TestDesk.with { t in
            let response = try await post(t, .live) { $0[.secFetchSite] = "same-origin"; $0[.origin] = "http://localhost" }
            #expect(response.status == .created, "\(response.text)")
        }
    }

    @Test func aBearerTokenRequestIsExempt() async throws {
        try await TestDesk.with { t in
            var edited = t.headers(for: .token(.admin))
            edited[.secFetchSite] = "cross-site"
            let headers = edited
            let response = try await t.server.makeApplication().test(.router) { client in
                try await client.execute(uri: "/api/v1/staff", method: .post, headers: headers, body: newStaff)
            }
            #expect(response.status == .created)
        }
    }

    @Test func aCrossSiteLoginIsRefusedToo() async throws {
        try await TestDesk.with { t in
            let response = try await t.server.makeApplication().test(.router) { client in
                try await client.execute(uri: "/api/v1/session", method: .post, headers: [.secFetchSite: "cross-site"],
                                         body: body(["email": "owner@example.com", "password": strongPassword]))
            }
            #expect(response.error?.code == "csrf_rejected")
        }
    }
}
