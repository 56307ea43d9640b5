/// Turns passwords into slow, salted hashes and checks them. Desk declares it so the domain does
/// not depend on a web framework; Web implements it with bcrypt (hummingbird-auth), off the
/// cooperative thread pool, since one hash at cost 12 takes a quarter of a second of CPU.
public protocol PasswordHasher: Sendable {
    /// A new salted hash of `password` (bcrypt's modular crypt format).
    func hash(_ password: String) async throws -> String
    /// Whether `password` matches `hash`. A malformed hash is a mismatch, not a crash.
    func verify(_ password: String, against hash: String) async throws -> Bool
}

/// Wraps every hasher Desk is given so that bcrypt never sees a password it would silently cut:
/// bcrypt reads up to the first NUL byte and at most 72 bytes, so `"Abc\u{0}defghij"` would be
/// hashed as `"Abc"`, and a 72-byte password followed by anything would match it (issue 8).
/// Such a password never matches (the hash still runs, so the answer takes as long as any other),
/// and hashing one is refused; `PasswordPolicy` tells people why before it gets here.
struct TruncationSafeHasher: PasswordHasher {
    let inner: any PasswordHasher

    func hash(_ password: String) async throws -> String {
        guard PasswordPolicy.reachesBcryptWhole(password) else {
            throw DeskError(.weakPassword, "This password cannot be used: it has control characters or is over 72 bytes.")
        }
        return try await inner.hash(password)
    }

    func verify(_ password: String, against hash: String) async throws -> Bool {
        guard PasswordPolicy.reachesBcryptWhole(password) else {
            _ = try await inner.verify("", against: hash)
            return false
        }
        return try await inner.verify(password, against: hash)
    }
}
