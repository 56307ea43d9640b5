public import Desk
import HummingbirdBcrypt
import NIOPosix

/// `PasswordHasher` over bcrypt (hummingbird-auth). Hashing runs on NIO's blocking thread pool,
/// never on the cooperative pool or an event loop: one hash at cost 12 is ~0.25 s of CPU, and the
/// pool's fixed size caps how many run at once (a login flood cannot take every core).
public struct BcryptHasher: PasswordHasher {
    public let cost: UInt8

    public init(cost: UInt8 = WebConfiguration.defaultBcryptCost) {
        precondition((4...31).contains(cost), "bcrypt cost must be 4...31")
        self.cost = cost
    }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, against hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
