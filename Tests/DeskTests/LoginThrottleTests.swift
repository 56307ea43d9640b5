import Desk
import Foundation
import Testing

@Suite struct LoginThrottleTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func tenFailuresInAMinuteAreAllowedAndThenTheKeyIsBlocked() {
        var throttle = LoginThrottle()
        for i in 0..<9 {
            #expect(throttle.decide(["a"], now: start + Double(i)) == .allow)
            throttle.recordFailure(["a"], now: start + Double(i))
        }
        #expect(throttle.decide(["a"], now: start + 9) == .allow)
        throttle.recordFailure(["a"], now: start + 9)          // the tenth failure
        #expect(throttle.decide(["a"], now: start + 9) == .deny(retryAfter: 1))
        #expect(throttle.decide(["a"], now: start + 10) == .allow)
    }

    @Test func theDelayDoublesWithEveryFurtherFailureUpToTheCap() {
        var throttle = LoginThrottle()
        var now = start
        for _ in 0..<10 { throttle.recordFailure(["a"], now: now) }
        var delays: [Int] = []
        for _ in 0..<12 {
            guard case .deny(let wait) = throttle.decide(["a"], now: now) else { Issue.record("not blocked"); return }
            delays.append(wait)
            now += Double(wait)                                // wait it out, then fail again
            #expect(throttle.decide(["a"], now: now) == .allow)
            throttle.recordFailure(["a"], now: now)
        }
        #expect(Array(delays.prefix(6)) == [1, 2, 4, 8, 16, 32])
        #expect(delays.max() == 300)
    }

    @Test func aSuccessClearsTheAccountButNotTheAddress() {
        var throttle = LoginThrottle()
        for _ in 0..<10 { throttle.recordFailure(["account:a", "ip:1"], now: start) }
        throttle.recordSuccess("account:a")
        #expect(throttle.decide(["account:a"], now: start) == .allow)
        #expect(throttle.decide(["ip:1"], now: start) != .allow)
    }

    @Test func failuresOlderThanTheWindowDoNotCount() {
        var throttle = LoginThrottle()
        for i in 0..<9 { throttle.recordFailure(["a"], now: start + Double(i)) }
        throttle.recordFailure(["a"], now: start + 120)        // the first nine left the window
        #expect(throttle.decide(["a"], now: start + 120) == .allow)
    }

    @Test func oneKeysFailuresDoNotBlockAnotherKey() {
        var throttle = LoginThrottle()
        for _ in 0..<20 { throttle.recordFailure(["account:a"], now: start) }
        #expect(throttle.decide(["account:b", "ip:2"], now: start) == .allow)
        #expect(throttle.decide(["account:b", "account:a"], now: start) != .allow)
    }

    @Test func memoryStaysBoundedUnderAFloodOfKeys() {
        var policy = LoginThrottle.Policy()
        policy.maxKeys = 100
        var throttle = LoginThrottle(policy: policy)
        for i in 0..<1_000 { throttle.recordFailure(["ip:\(i)"], now: start + Double(i) / 1000) }
        #expect(throttle.trackedKeys <= 101)
    }

    @Test func checksRunAtOnceAtMostOncePerAccountTwicePerAddressAndEightInAll() {
        var throttle = LoginThrottle()
        let a1 = LoginThrottle.keys(email: "a@example.com", ip: "192.0.2.1")
        #expect(throttle.begin(a1, now: start) == .allow)
        // The same account from elsewhere waits for the check in flight.
        #expect(throttle.begin(LoginThrottle.keys(email: "a@example.com", ip: "192.0.2.2"), now: start) == .deny(retryAfter: 1))
        // The same address: a second account may be checked, a third must wait.
        #expect(throttle.begin(LoginThrottle.keys(email: "b@example.com", ip: "192.0.2.1"), now: start) == .allow)
        #expect(throttle.begin(LoginThrottle.keys(email: "c@example.com", ip: "192.0.2.1"), now: start) == .deny(retryAfter: 1))
        for i in 0..<6 {
            #expect(throttle.begin(LoginThrottle.keys(email: "u\(i)@example.com", ip: "198.51.100.\(i)"), now: start) == .allow)
        }
        #expect(throttle.checksRunning == 8)
        #expect(throttle.begin(LoginThrottle.keys(email: "late@example.com", ip: "203.0.113.9"), now: start) == .busy)
        throttle.finish(a1, succeeded: false, now: start)
        #expect(throttle.begin(LoginThrottle.keys(email: "a@example.com", ip: "192.0.2.2"), now: start) == .allow)
    }

    @Test func aFinishedCheckCountsItsOutcomeAndOneThatCouldNotRunCountsNothing() {
        var throttle = LoginThrottle()
        let keys = LoginThrottle.keys(email: "a@example.com", ip: "192.0.2.1")
        for i in 0..<10 {
            #expect(throttle.begin(keys, now: start + Double(i)) == .allow)
            throttle.finish(keys, succeeded: i == 0 ? nil : false, now: start + Double(i))
        }
        #expect(throttle.begin(keys, now: start + 9) == .allow)          // nine failures: the first counted nothing
        throttle.finish(keys, succeeded: false, now: start + 9)
        #expect(throttle.begin(keys, now: start + 9) == .deny(retryAfter: 1))
        #expect(throttle.checksRunning == 0)
    }
}
