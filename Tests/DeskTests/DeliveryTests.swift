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

    @Test func theSlotsAllowTheirBurstThenTheirRateOverTenThousandSends() {
        var slots = SendSlots(interval: 1.0 / 80, burst: 80)
        // Ten thousand sends ask at once; each is given its own slot and sends when it comes back.
        let given = (0..<10_000).map { slots.slot(for: "job\($0)", now: Self.t0) }
        let sent = given.enumerated().map { n, at in at > Self.t0 ? slots.slot(for: "job\(n)", now: at) : at }
        #expect(zip(sent, given).allSatisfy { $0 == $1 })
        // The first 80 go at once (the burst); after it, one every 1/80 s, never closer.
        #expect(sent.prefix(80).allSatisfy { $0 == Self.t0 })
        let gaps = zip(sent.dropFirst(80), sent.dropFirst(81)).map { $1.timeIntervalSince($0) }
        #expect(gaps.allSatisfy { $0 >= 1.0 / 80 - 1e-6 }, "\(gaps.min() ?? 0)")
        #expect(abs(sent.last!.timeIntervalSince(Self.t0) - (10_000 - 80) / 80.0) < 0.01)
    }

    @Test func aSendThatMustWaitKeepsItsSlotUntilItComesBackForIt() {
        var slots = SendSlots(interval: 1, burst: 1)
        #expect(slots.slot(for: "a", now: Self.t0) == Self.t0)
        let b = slots.slot(for: "b", now: Self.t0)
        #expect(b == Self.t0.addingTimeInterval(1))
        // Coming back early changes nothing; a newcomer queues behind the held slot.
        #expect(slots.slot(for: "b", now: Self.t0.addingTimeInterval(0.5)) == b)
        #expect(slots.slot(for: "c", now: Self.t0.addingTimeInterval(0.5)) == Self.t0.addingTimeInterval(2))
        // At its slot (or after it) the holder goes, and the slot is used up.
        #expect(slots.slot(for: "b", now: Self.t0.addingTimeInterval(1.2)) == Self.t0.addingTimeInterval(1.2))
        #expect(slots.slot(for: "b", now: Self.t0.addingTimeInterval(1.2)) == Self.t0.addingTimeInterval(3))
        #expect(!slots.isIdle(now: Self.t0.addingTimeInterval(3.5)))
        // Once every slot is used and the burst has refilled, nothing is left to remember.
        _ = slots.slot(for: "c", now: Self.t0.addingTimeInterval(2))
        _ = slots.slot(for: "b", now: Self.t0.addingTimeInterval(3))
        #expect(slots.isIdle(now: Self.t0.addingTimeInterval(4)))
    }

    @Test func oneRecipientGetsABurstThenOneMessageEverySixSecondsOthersAreNotHeldBack() {
        var table = SendSlotTable(interval: 6, burst: 3)
        for n in 0..<3 { #expect(table.slot(on: "5511", for: "m\(n)", now: Self.t0) == Self.t0) }
        let fourth = table.slot(on: "5511", for: "m3", now: Self.t0)
        #expect(abs(fourth.timeIntervalSince(Self.t0) - 6) < 0.001)
        #expect(table.slot(on: "5522", for: "n0", now: Self.t0) == Self.t0)
        #expect(table.slot(on: "5511", for: "m3", now: Self.t0.addingTimeInterval(6)) == Self.t0.addingTimeInterval(6))
    }
}
