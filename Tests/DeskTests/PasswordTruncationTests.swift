import AtendeTesting
import Desk
import Foundation
import Testing

/// Issue 8, finding 5: no password reaches bcrypt in a form it would cut short.
@Suite struct PasswordTruncationTests {
    @Test(arguments: ["Abc\u{0}defghij", "tab\tinside-a-password", "line\nbreak-in-password", "bell\u{7}character-here"])
    func controlCharactersAreRefused(_ password: String) async throws {
        #expect(throws: DeskError.self) { try PasswordPolicy().check(password) }
        try await withDesk { desk, _ in
            _ = try await desk.makeOwner()
            await expectDeskError(.weakPassword) {
                _ = try await desk.createStaff(name: "Bia", email: "bia@example.com", role: "agent", password: password, by: .commandLine)
            }
        }
    }

    @Test func aPasswordLongerThanBcryptReadsNeverMatchesTheOneItStartsWith() async throws {
        try await withDesk { desk, _ in
            _ = try await desk.makeOwner()
            let exact = String(repeating: "k7", count: 36)          // 72 bytes: the most bcrypt reads
            _ = try await desk.createStaff(name: "Bia", email: "bia@example.com", role: "agent", password: exact, by: .commandLine)
            _ = try await desk.login(email: "bia@example.com", password: exact, ip: nil)
            await expectDeskError(.invalidCredentials) {
                _ = try await desk.login(email: "bia@example.com", password: exact + "anything", ip: nil)
            }
            await expectDeskError(.invalidCredentials) {
                _ = try await desk.login(email: "owner@example.com", password: strongPassword + "\u{0}tail", ip: nil)
            }
        }
    }
}
