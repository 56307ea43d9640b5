import AtendeTesting
import Desk
import Foundation
import Synchronization
import Testing

/// Real bcrypt at the lowest cost, slowed to take as long as a production hash does on a small
/// VPS, counting how many checks run at once: enough for concurrent sign-ins to overlap.
final class CountingSlowHasher: PasswordHasher {
    private let inner = FastBcrypt()
    private let state = Mutex((running: 0, mostAtOnce: 0, verified: 0))

    var mostAtOnce: Int { state.withLock { $0.mostAtOnce } }
    var verified: Int { state.withLock { $0.verified } }

    func hash(_ password: String) async throws -> String { try await inner.hash(password) }

    func verify(_ password: String, against hash: String) async throws -> Bool {
        state.withLock { $0.running += 1; $0.verified += 1; $0.mostAtOnce = max($0.mostAtOnce, $0.running) }
        defer { state.withLock { $0.running -= 1 } }
        try await Task.sleep(for: .milliseconds(100))
        return try await inner.verify(password, against: hash)
    }
}

/// Issue 8, finding 1: requests that arrive together must not get around the login throttle.
@Suite struct LoginFloodTests {
    /// Runs `attempts` concurrently and returns each one's outcome: "ok" or the error code.
    func outcomes(_ attempts: [@Sendable () async throws -> Void]) async -> [String] {
        await withTaskGroup(of: (Int, String).self) { group in
            for (index, attempt) in attempts.enumerated() {
                group.addTask {
                    do { try await attempt(); return (index, "ok") } catch let error as DeskError {
                        return (index, error.code.rawValue)
                    } catch { return (index, "\(error)") }
                }
            }
            var results = Array(repeating: "", count: attempts.count)
            for await (index, outcome) in group { results[index] = outcome }
            return results
        }
    }

    func withSlowDesk(_ body: (Desk, CountingSlowHasher) async throws -> Void) async throws {
        try await withTemporaryStore(schema: Desk.schema) { store, _ in
            let hasher = CountingSlowHasher()
            let desk = Desk(store: store, hasher: hasher, clock: ManualDeskClock(), logger: .quiet)
            _ = try await desk.makeOwner()
            try await body(desk, hasher)
        }
    }

    @Test func aHundredConcurrentWrongSignInsFromOneAddressHashAtMostTwoAtATime() async throws {
        try await withSlowDesk { desk, hasher in
            let results = await outcomes((0..<100).map { i in
                { _ = try await desk.login(email: "owner@example.com", password: "wrong guess \(i)", ip: "203.0.113.7") }
            })
            // Before the fix: 100 × invalid_credentials, 100 hashes at once.
            #expect(hasher.mostAtOnce <= 2)
            #expect(hasher.verified <= 10, "after ten failures the address is blocked; \(hasher.verified) were hashed")
            #expect(results.filter { $0 == "too_many_attempts" }.count >= 90)
            #expect(results.allSatisfy { $0 == "too_many_attempts" || $0 == "invalid_credentials" }, "\(Set(results))")
        }
    }

    @Test func fortyConcurrentGuessesAtOneAccountAreCheckedOneAtATime() async throws {
        try await withSlowDesk { desk, hasher in
            // Each guess from its own address, the right password last (as in the finding).
            let results = await outcomes((0..<40).map { i in
                let password = i == 39 ? strongPassword : "wrong guess \(i)"
                return { _ = try await desk.login(email: "owner@example.com", password: password, ip: "198.51.100.\(i)") }
            })
            #expect(hasher.mostAtOnce == 1)
            #expect(hasher.verified <= 10)
            #expect(results.filter { $0 == "too_many_attempts" }.count >= 29)
        }
    }

    @Test func aFloodFromOneAddressDoesNotStopAnotherPersonSigningIn() async throws {
        try await withSlowDesk { desk, _ in
            async let flood = outcomes((0..<100).map { i in
                { _ = try await desk.login(email: "user\(i % 7)@example.com", password: "wrong guess \(i)", ip: "203.0.113.7") }
            })
            try await Task.sleep(for: .milliseconds(20))     // the flood holds its two checks now
            // The owner, from elsewhere, while the flood is under way: not refused, not queued behind it.
            let started = ContinuousClock.now
            _ = try await desk.login(email: "owner@example.com", password: strongPassword, ip: "192.0.2.44")
            let waited = ContinuousClock.now - started
            print("sign-in during a 100-request flood from another address took \(waited) (one hash is 100 ms here)")
            _ = await flood
        }
    }
}
