import Desk
import Foundation
import Synchronization
import Testing

/// The hub through its public API, with real tasks.
@Suite struct LiveEventHubTests {
    struct Tick: Codable, Equatable { let publisher: Int; let n: Int }

    private func subscription(_ result: LiveSubscribeResult) throws -> LiveSubscription {
        guard case .subscribed(let subscription) = result else { throw HubTestFailure("expected a subscription, got reload") }
        return subscription
    }

    @Test func concurrentPublishersProduceOneGaplessOrderedStream() async throws {
        let hub = LiveEventHub(configuration: .init(replayCapacity: 8192, queueCapacity: 8192))
        let reader = try subscription(hub.subscribe(staffID: "s", role: "admin"))
        let publishers = 8, perPublisher = 500
        try await withThrowingTaskGroup(of: Void.self) { group in
            for p in 0..<publishers {
                group.addTask { for n in 0..<perPublisher { hub.publish("tick", Tick(publisher: p, n: n)) } }
            }
            try await group.waitForAll()
        }
        var seqs: [UInt64] = []
        var lastN = Array(repeating: -1, count: publishers)
        var inOrderPerPublisher = true
        while seqs.count < publishers * perPublisher, case .event(let event)? = await reader.next() {
            seqs.append(event.seq)
            let tick = try JSONDecoder().decode(Tick.self, from: Data(event.data.utf8))
            inOrderPerPublisher = inOrderPerPublisher && tick.n == lastN[tick.publisher] + 1
            lastN[tick.publisher] = tick.n
        }
        #expect(seqs == Array(1...UInt64(publishers * perPublisher)))
        #expect(inOrderPerPublisher)
        #expect(hub.currentSeq == UInt64(publishers * perPublisher))
    }

    @Test func aWaitingReaderReceivesAnEventPublishedLater() async throws {
        let hub = LiveEventHub()
        let reader = try subscription(hub.subscribe(staffID: "s", role: "admin"))
        async let delivery = reader.next()
        try await Task.sleep(for: .milliseconds(20))
        hub.publish("conversation.updated", ["id": "c1"])
        guard case .event(let event)? = await delivery else { Issue.record("expected an event"); return }
        #expect(event.seq == 1)
        #expect(event.type == "conversation.updated")
        #expect(event.frame == #"{"seq":1,"type":"conversation.updated","data":{"id":"c1"}}"#)
    }

    /// Counts how often it is encoded.
    struct Counted: Encodable, Sendable {
        let counter: Counter
        let value: Double
        func encode(to encoder: any Encoder) throws {
            counter.encodings.withLock { $0 += 1 }
            var container = encoder.singleValueContainer()
            try container.encode(value)
        }
    }

    final class Counter: Sendable { let encodings = Mutex(0) }

    @Test func anEventIsEncodedOnceWhenFirstReadAndNeverWhenNobodyReadsIt() async throws {
        let hub = LiveEventHub()
        let counter = Counter()
        hub.publish("tick", Counted(counter: counter, value: 1.5))
        #expect(counter.encodings.withLock { $0 } == 0)
        // Two readers resuming from before it: it is encoded for the first and shared with both.
        let first = try subscription(hub.subscribe(staffID: "s1", role: "admin", since: 0))
        let second = try subscription(hub.subscribe(staffID: "s2", role: "admin", since: 0))
        guard case .event(let a)? = await first.next(), case .event(let b)? = await second.next() else {
            Issue.record("expected the event twice"); return
        }
        #expect(a.frame == #"{"seq":1,"type":"tick","data":1.5}"# && b.data == "1.5")
        #expect(counter.encodings.withLock { $0 } == 1)
    }

    @Test func aPayloadThatCannotBeEncodedIsDeliveredAsNull() async throws {
        let hub = LiveEventHub()
        let reader = try subscription(hub.subscribe(staffID: "s", role: "admin"))
        hub.publish("tick", Counted(counter: Counter(), value: .nan))
        guard case .event(let event)? = await reader.next() else { Issue.record("expected an event"); return }
        #expect(event.frame == #"{"seq":1,"type":"tick","data":null}"#)
    }

    @Test func publishingNeverWaitsForASubscriberThatDoesNotRead() async throws {
        let hub = LiveEventHub(configuration: .init(replayCapacity: 64, queueCapacity: 16))
        let stalled = try subscription(hub.subscribe(staffID: "stalled", role: "agent"))
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for n in 0..<100_000 { hub.publish("tick", Tick(publisher: 0, n: n)) }
        }
        #expect(elapsed < .seconds(10))
        #expect(await stalled.ended() == .overflow)
        #expect(await stalled.next() == .end(.overflow))
    }

    @Test func anOverflowWakesTheEndingWatcherWhileAnotherReaderGetsEverything() async throws {
        let hub = LiveEventHub(configuration: .init(replayCapacity: 64, queueCapacity: 8))
        let slow = try subscription(hub.subscribe(staffID: "slow", role: "agent"))
        let fast = try subscription(hub.subscribe(staffID: "fast", role: "agent"))
        async let slowEnding = slow.ended()
        var received: [UInt64] = []
        for n in 0..<40 {
            hub.publish("tick", Tick(publisher: 0, n: n))
            if case .event(let event)? = await fast.next() { received.append(event.seq) }
        }
        #expect(await slowEnding == .overflow)
        #expect(received == Array(1...40))
    }

    @Test func revokingAStaffMemberEndsTheirSubscriptionWithTheReason() async throws {
        let hub = LiveEventHub()
        let revoked = try subscription(hub.subscribe(staffID: "s1", role: "agent", credentialID: "session-a"))
        let kept = try subscription(hub.subscribe(staffID: "s2", role: "agent", credentialID: "session-b"))
        async let ending = revoked.ended()
        async let reading = revoked.next()
        try await Task.sleep(for: .milliseconds(20))
        hub.revoke(staffID: "s1", because: .accountDisabled)
        #expect(await ending == .revoked(.accountDisabled))
        #expect(await reading == .end(.revoked(.accountDisabled)))
        hub.publish("tick", Tick(publisher: 0, n: 0))
        guard case .event? = await kept.next() else { Issue.record("another staff member keeps receiving"); return }
    }

    @Test func revokingACredentialLeavesTheSameStaffMembersOtherConnectionsOpen() async throws {
        let hub = LiveEventHub()
        let phone = try subscription(hub.subscribe(staffID: "s1", role: "agent", credentialID: "session-phone"))
        let laptop = try subscription(hub.subscribe(staffID: "s1", role: "agent", credentialID: "session-laptop"))
        hub.revoke(credentialID: "session-phone", because: .sessionEnded)
        #expect(await phone.ended() == .revoked(.sessionEnded))
        hub.publish("tick", Tick(publisher: 0, n: 0))
        guard case .event? = await laptop.next() else { Issue.record("the laptop session keeps receiving"); return }
    }

    @Test func aCancelledReaderReturnsNil() async throws {
        let hub = LiveEventHub()
        let reader = try subscription(hub.subscribe(staffID: "s", role: "admin"))
        let task = Task { await reader.next() }
        try await Task.sleep(for: .milliseconds(20))
        task.cancel()
        #expect(await task.value == nil)
        hub.publish("tick", Tick(publisher: 0, n: 0))
        guard case .event(let event)? = await reader.next() else { Issue.record("the subscription survives a cancelled read"); return }
        #expect(event.seq == 1)
    }

    @Test func releasingASubscriptionLeavesTheHub() throws {
        let hub = LiveEventHub()
        do {
            let reader = try subscription(hub.subscribe(staffID: "s", role: "admin"))
            #expect(hub.subscriberCount == 1)
            _ = reader
        }
        #expect(hub.subscriberCount == 0)
    }

    @Test func oneCredentialMayHoldOnlySoManySubscriptionsAtOnce() throws {
        let hub = LiveEventHub(configuration: .init(maxPerCredential: 2))
        let first = try subscription(hub.subscribe(staffID: "s1", role: "agent", credentialID: "session-a"))
        let second = try subscription(hub.subscribe(staffID: "s1", role: "agent", credentialID: "session-a"))
        guard case .limitReached(2) = hub.subscribe(staffID: "s1", role: "agent", credentialID: "session-a") else {
            Issue.record("a third subscription of one session must be refused"); return
        }
        let otherDevice = try subscription(hub.subscribe(staffID: "s1", role: "agent", credentialID: "session-b"))
        first.cancel()
        let reopened = try subscription(hub.subscribe(staffID: "s1", role: "agent", credentialID: "session-a"))   // a slot freed
        #expect(hub.subscriberCount == 3)
        withExtendedLifetime((second, otherDevice, reopened)) {}
    }

    @Test func aClientResumingFromAnEarlierRunIsToldToReload() throws {
        let hub = LiveEventHub()
        hub.publish("tick", Tick(publisher: 0, n: 0))
        guard case .reload(let current) = hub.subscribe(staffID: "s", role: "admin", since: 900) else {
            Issue.record("a seq from the future means the server restarted"); return
        }
        #expect(current == 1)
    }
}

struct HubTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
