@testable import Desk
import Testing

/// The hub's bookkeeping as a pure state machine: no tasks, no locks. Waiters are strings.
@Suite struct LiveEventHubStateTests {
    typealias State = LiveHubState<String>

    private func publish(_ state: inout State, _ n: Int, audience: LiveAudience = .everyone) -> [State.Wake] {
        var wakes: [State.Wake] = []
        for i in 0..<n {
            wakes += state.publish(type: "test.event", encodedType: #""test.event""#, audience: audience) { "{\"i\":\(i)}" }.wakes
        }
        return wakes
    }

    private func drain(_ state: inout State, _ id: UInt64) -> [UInt64] {
        var seqs: [UInt64] = []
        while case .ready(.event(let event)?) = state.next(id, parking: "reader") { seqs.append(event.seq) }
        _ = state.unparkReader(id)
        return seqs
    }

    @Test func sequenceNumbersStartAtOneAndIncreaseByOne() {
        var state = State(replayCapacity: 8, queueCapacity: 4)
        let seqs = (0..<5).map { _ in state.publish(type: "t", encodedType: #""t""#, audience: .everyone) { "{}" }.seq }
        #expect(seqs == [1, 2, 3, 4, 5])
        #expect(state.lastSeq == 5)
    }

    @Test func theFrameCarriesSeqTypeAndData() {
        var state = State(replayCapacity: 8, queueCapacity: 4)
        guard case .subscribed(let id, _, _) = state.subscribe(staffID: "s1", role: "admin", credentialID: nil, since: nil) else {
            Issue.record("expected a subscription"); return
        }
        _ = state.publish(type: "message.created", encodedType: #""message.created""#, audience: .everyone) { #"{"id":"m1"}"# }
        guard case .ready(.event(let event)?) = state.next(id, parking: "r") else { Issue.record("expected an event"); return }
        #expect(event.frame == #"{"seq":1,"type":"message.created","data":{"id":"m1"}}"#)
    }

    @Test func aParkedReaderIsWokenWithTheNextEvent() {
        var state = State(replayCapacity: 8, queueCapacity: 4)
        guard case .subscribed(let id, _, _) = state.subscribe(staffID: "s1", role: "admin", credentialID: nil, since: nil) else {
            Issue.record("expected a subscription"); return
        }
        guard case .parked = state.next(id, parking: "reader") else { Issue.record("expected to park"); return }
        let wakes = publish(&state, 1)
        #expect(wakes.count == 1)
        #expect(wakes.first?.waiter == "reader")
        guard case .event(let event)?? = wakes.first?.delivery else { Issue.record("expected an event"); return }
        #expect(event.seq == 1)
        guard case .parked = state.next(id, parking: "reader") else { Issue.record("nothing more should be ready"); return }
    }

    @Test func resumingWithinTheWindowReplaysExactlyTheMissedEventsInOrder() {
        var state = State(replayCapacity: 8, queueCapacity: 4)
        _ = publish(&state, 6)
        let outcome = state.subscribe(staffID: "s1", role: "admin", credentialID: nil, since: 3)
        guard case .subscribed(let id, let current, let replay) = outcome else { Issue.record("expected a subscription"); return }
        #expect(current == 6)
        #expect(replay == 3)
        #expect(drain(&state, id) == [4, 5, 6])
    }

    @Test func resumingAtTheNewestSeqReplaysNothing() {
        var state = State(replayCapacity: 8, queueCapacity: 4)
        _ = publish(&state, 3)
        guard case .subscribed(let id, _, 0) = state.subscribe(staffID: "s", role: "r", credentialID: nil, since: 3) else {
            Issue.record("expected an empty replay"); return
        }
        #expect(drain(&state, id).isEmpty)
    }

    @Test func resumingFromBeforeTheWindowAsksForAReload() {
        var state = State(replayCapacity: 4, queueCapacity: 2)
        _ = publish(&state, 10)  // the window now holds 7...10
        #expect(state.subscribe(staffID: "s", role: "r", credentialID: nil, since: 5) == .reload(currentSeq: 10))
        // since = 6 needs 7...10, all still held.
        guard case .subscribed(_, _, 4) = state.subscribe(staffID: "s", role: "r", credentialID: nil, since: 6) else {
            Issue.record("the oldest resumable position should be accepted"); return
        }
    }

    @Test func resumingFromASeqAheadOfTheStreamAsksForAReload() {
        var state = State(replayCapacity: 4, queueCapacity: 2)
        _ = publish(&state, 2)
        #expect(state.subscribe(staffID: "s", role: "r", credentialID: nil, since: 50) == .reload(currentSeq: 2))
        #expect(state.subscribe(staffID: "s", role: "r", credentialID: nil, since: .max) == .reload(currentSeq: 2))
    }

    @Test func aSubscriberThatFallsBehindItsQueueIsEndedWithOverflowAndOthersAreNot() {
        var state = State(replayCapacity: 16, queueCapacity: 4)
        guard case .subscribed(let slow, _, _) = state.subscribe(staffID: "slow", role: "r", credentialID: nil, since: nil),
              case .subscribed(let fast, _, _) = state.subscribe(staffID: "fast", role: "r", credentialID: nil, since: nil)
        else { Issue.record("expected subscriptions"); return }
        guard case .parked = state.ending(slow, parking: "slow-watcher") else { Issue.record("expected to park"); return }
        var received: [UInt64] = []
        var overflowWakes: [State.Wake] = []
        for _ in 0..<6 {
            overflowWakes += publish(&state, 1).filter { $0.waiter == "slow-watcher" }
            received += drain(&state, fast)
        }
        #expect(received == [1, 2, 3, 4, 5, 6])
        #expect(overflowWakes.count == 1)
        #expect(overflowWakes.first?.delivery == .end(.overflow))
        guard case .ready(.end(.overflow)?) = state.next(slow, parking: "x") else {
            Issue.record("the slow reader should see the overflow, not stale events"); return
        }
    }

    @Test func aReplayLongerThanTheQueueIsAllowedButLiveEventsOnTopAreBounded() {
        var state = State(replayCapacity: 16, queueCapacity: 2)
        _ = publish(&state, 10)
        guard case .subscribed(let id, _, 10) = state.subscribe(staffID: "s", role: "r", credentialID: nil, since: 0) else {
            Issue.record("expected a 10-event replay"); return
        }
        _ = publish(&state, 2)  // two live events: exactly the queue
        #expect(drain(&state, id) == Array(1...12))
        _ = publish(&state, 3)  // three unread live events: one too many
        guard case .ready(.end(.overflow)?) = state.next(id, parking: "r") else { Issue.record("expected overflow"); return }
    }

    @Test func anUnreadEventPushedOutOfTheWindowEndsTheSubscriber() {
        var state = State(replayCapacity: 4, queueCapacity: 4)
        _ = publish(&state, 4)
        guard case .subscribed(let id, _, 4) = state.subscribe(staffID: "s", role: "r", credentialID: nil, since: 0) else {
            Issue.record("expected a full replay"); return
        }
        _ = publish(&state, 1)  // evicts seq 1, which the subscriber has not read
        guard case .ready(.end(.overflow)?) = state.next(id, parking: "r") else { Issue.record("expected overflow"); return }
    }

    @Test func eventsOutsideTheAudienceAreSkippedForThatSubscriber() {
        var state = State(replayCapacity: 16, queueCapacity: 8)
        guard case .subscribed(let agent, _, _) = state.subscribe(staffID: "a1", role: "agent", credentialID: nil, since: nil),
              case .subscribed(let admin, _, _) = state.subscribe(staffID: "ad1", role: "admin", credentialID: nil, since: nil)
        else { Issue.record("expected subscriptions"); return }
        _ = publish(&state, 1, audience: .roles(["admin"]))
        _ = publish(&state, 1, audience: .staff(["a1"]))
        _ = publish(&state, 1)
        #expect(drain(&state, agent) == [2, 3])
        #expect(drain(&state, admin) == [1, 3])
    }

    @Test func aParkedReaderIsNotWokenForAnEventItMayNotSee() {
        var state = State(replayCapacity: 16, queueCapacity: 8)
        guard case .subscribed(let id, _, _) = state.subscribe(staffID: "a1", role: "agent", credentialID: nil, since: nil) else {
            Issue.record("expected a subscription"); return
        }
        guard case .parked = state.next(id, parking: "reader") else { Issue.record("expected to park"); return }
        #expect(publish(&state, 1, audience: .roles(["admin"])).isEmpty)
        let wakes = publish(&state, 1)
        guard case .event(let event)?? = wakes.first?.delivery else { Issue.record("expected an event"); return }
        #expect(event.seq == 2)
    }

    @Test func revokingAStaffMemberEndsOnlyTheirSubscriptionsAndWakesBothWaiters() {
        var state = State(replayCapacity: 8, queueCapacity: 4)
        guard case .subscribed(let mine, _, _) = state.subscribe(staffID: "s1", role: "agent", credentialID: "c1", since: nil),
              case .subscribed(let other, _, _) = state.subscribe(staffID: "s2", role: "agent", credentialID: "c2", since: nil)
        else { Issue.record("expected subscriptions"); return }
        _ = state.next(mine, parking: "reader")
        _ = state.ending(mine, parking: "watcher")
        let wakes = state.revoke(.roleChanged) { $0.staffID == "s1" }
        #expect(Set(wakes.map(\.waiter)) == ["reader", "watcher"])
        #expect(wakes.allSatisfy { $0.delivery == .end(.revoked(.roleChanged)) })
        guard case .parked = state.next(other, parking: "other") else { Issue.record("the other staff member is unaffected"); return }
    }

    @Test func removingASubscriberReleasesItsWaitersWithNothing() {
        var state = State(replayCapacity: 8, queueCapacity: 4)
        guard case .subscribed(let id, _, _) = state.subscribe(staffID: "s", role: "r", credentialID: nil, since: nil) else {
            Issue.record("expected a subscription"); return
        }
        _ = state.next(id, parking: "reader")
        let wakes = state.remove(id)
        #expect(wakes.map(\.waiter) == ["reader"])
        #expect(wakes.first?.delivery == .some(nil))
        #expect(state.subscriberCount == 0)
        guard case .ready(nil) = state.next(id, parking: "late") else { Issue.record("a removed subscriber yields nil"); return }
    }
}
