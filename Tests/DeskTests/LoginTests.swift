import Desk
import Testing

@Suite struct LoginTests {
    @Test func anUnknownEmailAWrongPasswordAndADisabledAccountFailAlike() async throws {
        try await withDesk { desk, _ in
            _ = try await desk.makeOwner()
            let disabled = try await desk.createStaff(name: "Caio", email: "caio@example.com", role: "operator",
                                                      password: strongPassword, by: .commandLine)
            _ = try await desk.updateStaff(disabled.id, disabled: true, by: .commandLine)
            var messages: Set<String> = []
            for (email, password) in [("nobody@example.com", strongPassword), ("owner@example.com", "wrong password here"),
                                      ("caio@example.com", strongPassword)] {
                let error = await expectDeskError(.invalidCredentials) {
                    _ = try await desk.login(email: email, password: password, ip: "198.51.100.7")
                }
                messages.insert(error?.message ?? "")
            }
            #expect(messages.count == 1)
        }
    }

    @Test func theEleventhFailedLoginOfAnAccountIsRefusedWithRetryAfter() async throws {
        try await withDesk { desk, clock in
            _ = try await desk.makeOwner()
            for i in 0..<10 {
                await expectDeskError(.invalidCredentials) {
                    _ = try await desk.login(email: "owner@example.com", password: "wrong password \(i)", ip: "203.0.113.\(i)")
                }
            }
            let error = await expectDeskError(.tooManyAttempts) {
                _ = try await desk.login(email: "owner@example.com", password: strongPassword, ip: "203.0.113.99")
            }
            #expect(error?.retryAfter == 1)
            clock.advance(by: 1)
            _ = try await desk.login(email: "owner@example.com", password: strongPassword, ip: "203.0.113.99")
        }
    }

    @Test func oneAddressGuessingManyAccountsIsThrottled() async throws {
        try await withDesk { desk, _ in
            _ = try await desk.makeOwner()
            for i in 0..<10 {
                await expectDeskError(.invalidCredentials) {
                    _ = try await desk.login(email: "user\(i)@example.com", password: "wrong password", ip: "203.0.113.5")
                }
            }
            await expectDeskError(.tooManyAttempts) {
                _ = try await desk.login(email: "owner@example.com", password: strongPassword, ip: "203.0.113.5")
            }
            _ = try await desk.login(email: "owner@example.com", password: strongPassword, ip: "203.0.113.6")
        }
    }

    @Test func emailsAreMatchedWithoutRegardToCase() async throws {
        try await withDesk { desk, _ in
            _ = try await desk.makeOwner()
            _ = try await desk.login(email: "  OWNER@Example.COM ", password: strongPassword, ip: nil)
        }
    }
}
