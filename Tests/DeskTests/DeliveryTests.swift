import Desk
import Foundation
import Testing

@Suite struct DeliveryTests {
    static let t0 = Date(timeIntervalSince1970: 1_767_261_600)

    static func permutations<T>(_ items: [T]) -> [[T]] {
        guard items.count > 1 else { return [items] }
        return items.indices.flatMap { i in
            permutations(Array(items[..<i] + items[(i + 1)...])).map { [items[i]] + $0 }
        }
    }

    @Test(arguments: permutations(["sent", "delivered", "read", "delivered", "sent"]))
    func theFurthestStatusWinsWhateverTheOrder(_ order: [String]) {
        var delivery = Delivery(queuedAt: Self.t0)
        for (i, status) in order.enumerated() { delivery.apply(status, at: Self.t0.addingTimeInterval(Double(i))) }
        #expect(delivery.state == .read)
    }

    @Test(arguments: permutations(["sent", "failed", "sent"]))
    func aFailureAfterSentSticksWithItsError(_ order: [String]) {
        var delivery = Delivery(queuedAt: Self.t0)
        for status in order { delivery.apply(status, at: Self.t0, code: 131047, reason: "Re-engagement message") }
        #expect(delivery.state == .failed)
        #expect(delivery.failureCode == 131047)
        #expect(delivery.failureReason == "Re-engagement message")
    }

    @Test func deliveredOrReadProveArrivalOverAFailureButTheErrorIsKept() {
        var delivery = Delivery(queuedAt: Self.t0)
        delivery.apply("failed", at: Self.t0, code: 131000, reason: "Something went wrong")
        let changed1 = delivery.apply("delivered", at: Self.t0.addingTimeInterval(5))
        #expect(changed1)
        #expect(delivery.state == .delivered)
        #expect(delivery.failureCode == 131000)
        let changed2 = delivery.apply("failed", at: Self.t0.addingTimeInterval(9), code: 1, reason: "late")
        #expect(!changed2)
        #expect(delivery.failureCode == 131000)
    }

    @Test func aRepeatedOrUnknownStatusChangesNothing() {
        var delivery = Delivery(queuedAt: Self.t0)
        let changed3 = delivery.apply("sent", at: Self.t0)
        #expect(changed3)
        let changed4 = delivery.apply("sent", at: Self.t0.addingTimeInterval(1))
        #expect(!changed4)
        let changed5 = delivery.apply("deleted", at: Self.t0)
        #expect(!changed5)
        let changed6 = delivery.apply("warning", at: Self.t0)
        #expect(!changed6)
        let changed7 = delivery.apply("played", at: Self.t0)
        #expect(changed7)            // a voice note played: read
        #expect(delivery.state == .read)
        #expect(delivery.times["sent"] == Self.t0)
    }

    @Test func theWindowIsOpenForTwentyFourHoursAfterTheLastCustomerMessage() {
        #expect(CustomerWindow.isOpen(lastInboundAt: Self.t0, now: Self.t0.addingTimeInterval(86_399)))
        #expect(!CustomerWindow.isOpen(lastInboundAt: Self.t0, now: Self.t0.addingTimeInterval(86_400)))
        #expect(!CustomerWindow.isOpen(lastInboundAt: nil, now: Self.t0))
        #expect(CustomerWindow.closes(lastInboundAt: Self.t0) == Self.t0.addingTimeInterval(86_400))
    }

    @Test func theBucketAllowsItsBurstThenItsRateOverTenThousandSends() {
        var bucket = TokenBucket(rate: 80, capacity: 80, now: Self.t0)
        var now = Self.t0
        var sent: [Date] = []
        while sent.count < 10_000 {
            let wait = bucket.take(now: now)
            if wait == 0 { sent.append(now) } else { now = now.addingTimeInterval(wait) }
        }
        // The first 80 go at once (the burst); after it, one every 1/80 s, never closer.
        #expect(sent.prefix(80).allSatisfy { $0 == Self.t0 })
        let gaps = zip(sent.dropFirst(80), sent.dropFirst(81)).map { $1.timeIntervalSince($0) }
        #expect(gaps.allSatisfy { $0 >= 1.0 / 80 - 1e-6 }, "\(gaps.min() ?? 0)")
        let seconds = sent.last!.timeIntervalSince(Self.t0)
        #expect(abs(seconds - (10_000 - 80) / 80.0) < 0.01)
    }

    @Test func oneRecipientGetsABurstThenOneMessageEverySixSecondsOthersAreNotHeldBack() {
        var pacing = RecipientPacing(gap: 6, burst: 3)
        for _ in 0..<3 { #expect(pacing.reserve("5511", now: Self.t0) == Self.t0) }
        let fourth = pacing.reserve("5511", now: Self.t0)
        #expect(abs(fourth.timeIntervalSince(Self.t0) - 6) < 0.001)
        #expect(pacing.reserve("5522", now: Self.t0) == Self.t0)
        #expect(pacing.reserve("5511", now: Self.t0.addingTimeInterval(6)) == Self.t0.addingTimeInterval(6))
    }
}
