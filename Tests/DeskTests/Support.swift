import Testing
import AtendeTesting
import Desk
import Foundation
import HummingbirdBcrypt
import Storage

/// Real bcrypt at the lowest cost, so tests that hash many passwords stay fast.
struct FastBcrypt: PasswordHasher {
    func hash(_ password: String) async throws -> String { Bcrypt.hash(password, cost: 4) }
    func verify(_ password: String, against hash: String) async throws -> Bool { Bcrypt.verify(password, hash: hash) }
}

/// A Desk over a real LMDB store in a temporary directory, with a manual clock.
func withDesk<R>(_ configure: (inout DeskConfiguration) -> Void = { _ in },
                 _ body: (Desk, ManualDeskClock) async throws -> R) async throws -> R {
    try await withTemporaryStore(schema: Desk.schema) { store, _ in
        var configuration = DeskConfiguration()
        configure(&configuration)
        let clock = ManualDeskClock()
        let desk = Desk(store: store, hasher: FastBcrypt(), clock: clock, configuration: configuration, logger: .quiet)
        return try await body(desk, clock)
    }
}

/// Expects `body` to throw a DeskError with `code`; returns it.
@discardableResult
func expectDeskError(_ code: DeskError.Code, _ body: () async throws -> Void,
                     sourceLocation: SourceLocation = #_sourceLocation) async -> DeskError? {
    do {
        try await body()
        Issue.record("expected \(code), nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as DeskError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

let strongPassword = "correct horse battery staple"

extension Desk {
    /// The first admin, made through the setup token (as a fresh install does).
    func makeOwner(email: String = "owner@example.com") async throws -> NewSession {
        let token = try await beginSetup()!
        return try await completeSetup(token: token, name: "Owner", email: email, password: strongPassword, ip: "192.0.2.1")
    }
}
