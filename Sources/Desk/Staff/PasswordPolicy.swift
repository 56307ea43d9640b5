/// What a password must be (ASVS 5.0 6.2.x): at least 8 characters, no composition rules, not a
/// common password, and at most 72 bytes of UTF-8 — bcrypt reads only the first 72 bytes, so a
/// longer password would silently be cut; we refuse it with a clear message instead. Control
/// characters are refused too: bcrypt stops at NUL, and the others are typing accidents
/// (a pasted newline or tab) that the person could not type again at sign-in.
public struct PasswordPolicy: Sendable {
    public static let minimumCharacters = 8
    public static let maximumBytes = 72

    public init() {}

    /// Throws `.weakPassword` naming `field` when `password` is not acceptable. `context` holds
    /// the account's own email and name: a password equal to either is refused too.
    public func check(_ password: String, field: String = "password", context: [String] = []) throws(DeskError) {
        if password.count < Self.minimumCharacters {
            throw DeskError(.weakPassword, "Use at least \(Self.minimumCharacters) characters.", field: field)
        }
        if password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw DeskError(.weakPassword, "Passwords cannot contain control characters (such as tabs, line breaks or NUL).",
                            field: field)
        }
        if password.utf8.count > Self.maximumBytes {
            throw DeskError(.weakPassword,
                            "Use at most \(Self.maximumBytes) bytes (about \(Self.maximumBytes) letters without accents); longer passwords would be cut short.",
                            field: field)
        }
        let folded = password.lowercased()
        if CommonPasswords.contains(folded) || Self.isTrivial(folded) {
            throw DeskError(.weakPassword, "This password is too common; choose one that is harder to guess.", field: field)
        }
        for value in context where !value.isEmpty {
            let other = value.lowercased()
            if folded == other || folded == other.split(separator: "@").first.map(String.init) {
                throw DeskError(.weakPassword, "Do not use your name or email address as the password.", field: field)
            }
        }
    }

    /// Whether bcrypt reads all of `password`: no NUL (where it stops) or other control character,
    /// and at most `maximumBytes` of UTF-8 (where it cuts).
    static func reachesBcryptWhole(_ password: String) -> Bool {
        password.utf8.count <= maximumBytes
            && !password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
    }

    /// One repeated character ("aaaaaaaa") or a run of consecutive characters ("12345678",
    /// "abcdefgh", "87654321"): guessed first by any attacker, and not worth listing one by one.
    static func isTrivial(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars.map(\.value))
        guard scalars.count > 1 else { return true }
        if Set(scalars).count == 1 { return true }
        let steps = zip(scalars.dropFirst(), scalars).map { Int($0) - Int($1) }
        return Set(steps).count == 1 && (steps[0] == 1 || steps[0] == -1)
    }
}
