import AtendeTesting
import Desk
import Synchronization
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

/// Counts bcrypt verifications, to prove an unknown email costs the same work as a wrong password.
final class CountingHasher: PasswordHasher, Sendable {
    let inner = FastBcrypt()
    let verifications = Mutex(0)
    func hash(_ password: String) async throws -> String { try await inner.hash(password) }
    func verify(_ password: String, against hash: String) async throws -> Bool {
        verifications.withLock { $0 += 1 }
        return try await inner.verify(password, against: hash)
    }
}

@Suite struct LoginTimingTests {
    @Test func anUnknownEmailCostsOneBcryptVerificationLikeAWrongPassword() async throws {
        try await withTemporaryStore(schema: Desk.schema) { store, _ in
            let hasher = CountingHasher()
            let desk = Desk(store: store, hasher: hasher, clock: ManualDeskClock(), logger: .quiet)
            _ = try await desk.makeOwner()
            for (email, password) in [("nobody@example.com", strongPassword), ("owner@example.com", "wrong password here")] {
                let before = hasher.verifications.withLock { $0 }
                await expectDeskError(.invalidCredentials) { _ = try await desk.login(email: email, password: password, ip: nil) }
                #expect(hasher.verifications.withLock { $0 } - before == 1, "\(email)")
            }
        }
    }
}

@Suite struct OversizedInputTests {
    @Test(arguments: ["", "   ", String(repeating: "a", count: 5000) + "@example.com"])
    func anEmptyOrOverlongEmailIsJustInvalidCredentials(_ email: String) async throws {
        try await withDesk { desk, _ in
            _ = try await desk.makeOwner()
            await expectDeskError(.invalidCredentials) {
                _ = try await desk.login(email: email, password: strongPassword, ip: nil)
            }
            #expect(try desk.staffMember(email: email) == nil)
        }
    }

    @Test func aCursorLongerThanAnyOfOursIsAnInvalidField() {
        #expect(throws: DeskError.self) { try PageRequest(cursor: String(repeating: "A", count: 2000), limit: 10) }
    }
}
