import Desk
import Testing

@Suite struct SetupTests {
    @Test func anEmptyStoreNeedsSetupAndGetsAToken() async throws {
        try await withDesk { desk, _ in
            #expect(try desk.isSetupRequired())
            let token = try #require(try await desk.beginSetup())
            #expect(token.count >= 43)                            // 256 random bits, base64url
        }
    }

    @Test func theSetupTokenCreatesTheFirstAdminOnceOnly() async throws {
        try await withDesk { desk, _ in
            let token = try #require(try await desk.beginSetup())
            let session = try await desk.completeSetup(token: token, name: "Ana", email: "Ana@Example.com",
                                                       password: strongPassword, ip: nil)
            #expect(session.staff.role == .admin)
            #expect(session.staff.email == "ana@example.com")
            #expect(try !desk.isSetupRequired())
            await expectDeskError(.alreadySetUp) {
                _ = try await desk.completeSetup(token: token, name: "Eve", email: "eve@example.com", password: strongPassword, ip: nil)
            }
            #expect(try await desk.beginSetup() == nil)
        }
    }

    @Test func aWrongSetupTokenIsRefused() async throws {
        try await withDesk { desk, _ in
            _ = try await desk.beginSetup()
            await expectDeskError(.invalidSetupToken) {
                _ = try await desk.completeSetup(token: "guess", name: "Eve", email: "eve@example.com", password: strongPassword, ip: nil)
            }
            #expect(try desk.isSetupRequired())
        }
    }

    @Test func theSetupTokenExpiresAfterOneHour() async throws {
        try await withDesk { desk, clock in
            let token = try #require(try await desk.beginSetup())
            clock.advance(by: 3600)
            await expectDeskError(.invalidSetupToken) {
                _ = try await desk.completeSetup(token: token, name: "Ana", email: "ana@example.com", password: strongPassword, ip: nil)
            }
        }
    }

    @Test func aNewSetupTokenReplacesTheOldOne() async throws {
        try await withDesk { desk, _ in
            let first = try #require(try await desk.beginSetup())
            let second = try #require(try await desk.beginSetup())
            await expectDeskError(.invalidSetupToken) {
                _ = try await desk.completeSetup(token: first, name: "Ana", email: "ana@example.com", password: strongPassword, ip: nil)
            }
            _ = try await desk.completeSetup(token: second, name: "Ana", email: "ana@example.com", password: strongPassword, ip: nil)
        }
    }

    @Test func aWeakPasswordDoesNotUseUpTheToken() async throws {
        try await withDesk { desk, _ in
            let token = try #require(try await desk.beginSetup())
            let error = await expectDeskError(.weakPassword) {
                _ = try await desk.completeSetup(token: token, name: "Ana", email: "ana@example.com", password: "senha123", ip: nil)
            }
            #expect(error?.field == "password")
            _ = try await desk.completeSetup(token: token, name: "Ana", email: "ana@example.com", password: strongPassword, ip: nil)
        }
    }
}
