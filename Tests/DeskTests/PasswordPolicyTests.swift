@testable import Desk
import Testing

@Suite struct PasswordPolicyTests {
    let policy = PasswordPolicy()

    @Test func aPasswordShorterThanEightCharactersIsRefused() {
        #expect(throws: DeskError.self) { try policy.check("k3#Lm9q") }
    }

    @Test func aLongUncommonPassphraseIsAccepted() throws {
        try policy.check("correct horse battery staple")
        try policy.check("ÁrvoreAzul!77 no quintal")
    }

    @Test func seventyTwoBytesAreAcceptedAndSeventyThreeAreRefusedWithAClearMessage() throws {
        try policy.check(String(repeating: "ab", count: 36))
        do {
            try policy.check(String(repeating: "ab", count: 36) + "c")
            Issue.record("a 73-byte password was accepted")
        } catch {
            #expect(error.code == .weakPassword)
            #expect(error.message.contains("72 bytes"))
        }
    }

    @Test func theByteLimitCountsUTF8BytesNotCharacters() {
        // 37 characters of two bytes each: few characters, but 74 bytes that bcrypt would cut.
        #expect(throws: DeskError.self) { try policy.check(String(repeating: "ç", count: 37)) }
    }

    @Test(arguments: ["senha123", "Senha@123", "password1", "Password123", "qwertyuiop", "flamengo10", "iloveyou",
                      "12345678", "abcdefgh", "aaaaaaaaaaa", "brasil2022", "mudar123", "teamo123"])
    func commonAndTrivialPasswordsAreRefused(_ password: String) {
        #expect(throws: DeskError.self) { try policy.check(password) }
    }

    @Test func theBundledListHoldsAtLeastFiveHundredPasswordsOfEightOrMoreCharacters() {
        #expect(CommonPasswords.all.count >= 500)
        #expect(CommonPasswords.all.allSatisfy { $0.count >= 8 && $0 == $0.lowercased() })
    }

    @Test func theAccountsOwnEmailIsRefusedAsAPassword() {
        #expect(throws: DeskError.self) { try policy.check("ana.souza@example.com", context: ["ana.souza@example.com"]) }
        #expect(throws: DeskError.self) { try policy.check("ana.souza", context: ["ana.souza@example.com"]) }
    }

    @Test func theErrorNamesTheFieldItIsAbout() {
        do {
            try policy.check("short", field: "new_password")
        } catch {
            #expect(error.field == "new_password")
        }
    }
}
