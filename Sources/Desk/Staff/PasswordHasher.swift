/// Turns passwords into slow, salted hashes and checks them. Desk declares it so the domain does
/// not depend on a web framework; Web implements it with bcrypt (hummingbird-auth), off the
/// cooperative thread pool, since one hash at cost 12 takes a quarter of a second of CPU.
public protocol PasswordHasher: Sendable {
    /// A new salted hash of `password` (bcrypt's modular crypt format).
    func hash(_ password: String) async throws -> String
    /// Whether `password` matches `hash`. A malformed hash is a mismatch, not a crash.
    func verify(_ password: String, against hash: String) async throws -> Bool
}
