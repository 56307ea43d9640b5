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
}
