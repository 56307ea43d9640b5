/// The live hub's bookkeeping, without locks or tasks: every operation is synchronous and
/// returns the waiters to wake, so it can be tested without I/O and called under one lock.
///
/// Events live once, in a shared replay window. Each subscriber is a cursor into it; its
/// "queue" is the stretch between its cursor and the newest event. A subscriber whose
/// queue of live events grows past `queueCapacity`, or whose next event falls out of the
/// window, is ended with ``LiveEnding/overflow`` at once, so a slow reader never holds
/// memory or delays a publisher.
///
/// `Waiter` is what a suspended reader leaves behind (a continuation in the hub,
/// a plain value in tests).
struct LiveHubState<Waiter: Sendable>: ~Copyable {
    /// A waiter to resume, and with what (`nil`: the wait was cancelled or the subscriber removed).
    struct Wake: Sendable {
        let waiter: Waiter
        let delivery: LiveDelivery?
    }

    /// How `subscribe` went.
    enum SubscribeOutcome: Equatable {
        /// Subscribed: `replay` missed events are waiting, then live ones follow.
        case subscribed(id: UInt64, currentSeq: UInt64, replay: Int)
        /// The requested position cannot be resumed from; the client must reload.
        case reload(currentSeq: UInt64)
        /// A limit is reached: the credential's (`maxPerCredential`), the account's
        /// (`maxPerAccount`) or the server's (`maxSubscribers`); the value is that limit.
        case limitReached(Int)
    }

    /// The outcome of asking for the next delivery.
    enum Poll {
        case ready(LiveDelivery?)
        case parked
    }

    struct Subscriber {
        let staffID: String
        let role: String
        let credentialID: String?
        /// The newest seq when the subscriber joined; later events count against its queue.
        let joinedAt: UInt64
        /// The next seq to look at.
        var cursor: UInt64
        var ending: LiveEnding?
        var eventWaiter: Waiter?
        var endWaiter: Waiter?
    }

    let replayCapacity: Int
    let queueCapacity: Int
    /// Open subscriptions one credential (session or token) may hold at once.
    let maxPerCredential: Int
    /// Open subscriptions one account (staff member, or token) may hold over all its sessions.
    let maxPerAccount: Int
    /// Open subscriptions in all.
    let maxSubscribers: Int
    private(set) var lastSeq: UInt64 = 0
    private var window: RingBuffer<LiveEvent>
    private var subscribers: [UInt64: Subscriber] = [:]
    private var nextID: UInt64 = 1

    init(replayCapacity: Int, queueCapacity: Int, maxPerCredential: Int = .max, maxPerAccount: Int = .max,
         maxSubscribers: Int = .max) {
        precondition(queueCapacity > 0 && queueCapacity <= replayCapacity,
                     "the per-subscriber queue must fit in the replay window")
        precondition(maxPerCredential > 0, "a credential must be allowed at least one subscription")
        self.replayCapacity = replayCapacity
        self.queueCapacity = queueCapacity
        self.maxPerCredential = maxPerCredential
        self.maxPerAccount = maxPerAccount
        self.maxSubscribers = maxSubscribers
        self.window = RingBuffer(capacity: replayCapacity)
    }

    var subscriberCount: Int { subscribers.count }

    /// The oldest seq still in the window (`lastSeq + 1` when the window is empty).
    private var oldestSeq: UInt64 { lastSeq - UInt64(window.count) + 1 }

    // MARK: subscribing

    /// Starts a subscriber after `since` (the last seq the client saw), or at the newest
    /// event when `since` is nil. A `since` ahead of the stream means the server restarted;
    /// one older than the window means events were lost. Both answer `reload`.
    mutating func subscribe(staffID: String, role: String, credentialID: String?, since: UInt64?) -> SubscribeOutcome {
        // In all, ended subscribers count until their socket lets go of them (they hold a socket);
        // per credential and account, only open ones do, so a client closed for a role change
        // can reconnect at once.
        guard subscribers.count < maxSubscribers else { return .limitReached(maxSubscribers) }
        var ofCredential = 0, ofAccount = 0
        for subscriber in subscribers.values where subscriber.ending == nil {
            if subscriber.staffID == staffID { ofAccount += 1 }
            if credentialID != nil, subscriber.credentialID == credentialID { ofCredential += 1 }
        }
        if ofCredential >= maxPerCredential { return .limitReached(maxPerCredential) }
        if ofAccount >= maxPerAccount { return .limitReached(maxPerAccount) }
        let start: UInt64
        if let since {
            guard since <= lastSeq, since + 1 >= oldestSeq else { return .reload(currentSeq: lastSeq) }
            start = since + 1
        } else {
            start = lastSeq + 1
        }
        let id = nextID
        nextID += 1
        subscribers[id] = Subscriber(staffID: staffID, role: role, credentialID: credentialID,
                                     joinedAt: lastSeq, cursor: start)
        return .subscribed(id: id, currentSeq: lastSeq, replay: Int(lastSeq + 1 - start))
    }

    /// Forgets a subscriber; its parked waiters are returned to be resumed with `nil`.
    mutating func remove(_ id: UInt64) -> [Wake] {
        guard let gone = subscribers.removeValue(forKey: id) else { return [] }
        return [gone.eventWaiter, gone.endWaiter].compactMap { $0.map { Wake(waiter: $0, delivery: nil) } }
    }

    // MARK: publishing

    /// Appends an event and hands it to every parked reader that may see it. Subscribers
    /// that fell too far behind are ended here, never waited for. `encode` makes the payload's
    /// JSON when the event is first read.
    mutating func publish(type: String, encodedType: String, audience: LiveAudience,
                          encode: @escaping @Sendable () -> String) -> (seq: UInt64, wakes: [Wake]) {
        lastSeq += 1
        let event = LiveEvent(seq: lastSeq, type: type, encodedType: encodedType, audience: audience, encode: encode)
        window.append(event)
        var wakes: [Wake] = []
        let oldest = oldestSeq, seq = lastSeq, capacity = UInt64(queueCapacity)
        forEachSubscriber { sub in
            guard sub.ending == nil else { return }
            let liveBacklog = seq - max(sub.cursor - 1, sub.joinedAt)
            if sub.cursor < oldest || liveBacklog > capacity {
                Self.end(&sub, .overflow, into: &wakes)
            } else if let waiter = sub.eventWaiter {
                // A parked reader has read everything before this event.
                sub.cursor = seq + 1
                if audience.includes(staffID: sub.staffID, role: sub.role) {
                    sub.eventWaiter = nil
                    wakes.append(Wake(waiter: waiter, delivery: .event(event)))
                }
            }
        }
        return (lastSeq, wakes)
    }

    // MARK: reading

    /// The next event for `id`, its ending, or `.parked` after storing `waiter`.
    /// One reader per subscriber: a second parked reader is a programming error.
    mutating func next(_ id: UInt64, parking waiter: Waiter) -> Poll {
        guard var sub = subscribers[id] else { return .ready(nil) }
        if let ending = sub.ending { return .ready(.end(ending)) }
        defer { subscribers[id] = sub }
        while sub.cursor <= lastSeq {
            let event = window[Int(sub.cursor - oldestSeq)]
            sub.cursor += 1
            if event.audience.includes(staffID: sub.staffID, role: sub.role) { return .ready(.event(event)) }
        }
        precondition(sub.eventWaiter == nil, "only one task may read a live subscription")
        sub.eventWaiter = waiter
        return .parked
    }

    /// The subscription's ending if it has one, or `.parked` after storing `waiter`.
    mutating func ending(_ id: UInt64, parking waiter: Waiter) -> Poll {
        guard var sub = subscribers[id] else { return .ready(nil) }
        if let ending = sub.ending { return .ready(.end(ending)) }
        precondition(sub.endWaiter == nil, "only one task may wait for a live subscription to end")
        sub.endWaiter = waiter
        subscribers[id] = sub
        return .parked
    }

    /// Takes back a parked reader whose task was cancelled.
    mutating func unparkReader(_ id: UInt64) -> Wake? {
        guard let waiter = subscribers[id]?.eventWaiter else { return nil }
        subscribers[id]?.eventWaiter = nil
        return Wake(waiter: waiter, delivery: nil)
    }

    /// Takes back a parked ending-waiter whose task was cancelled.
    mutating func unparkEndWaiter(_ id: UInt64) -> Wake? {
        guard let waiter = subscribers[id]?.endWaiter else { return nil }
        subscribers[id]?.endWaiter = nil
        return Wake(waiter: waiter, delivery: nil)
    }

    // MARK: revoking

    /// Ends every subscriber that `matches`, waking its readers with the ending.
    mutating func revoke(_ revocation: LiveRevocation, where matches: (Subscriber) -> Bool) -> [Wake] {
        var wakes: [Wake] = []
        forEachSubscriber { sub in
            guard sub.ending == nil, matches(sub) else { return }
            Self.end(&sub, .revoked(revocation), into: &wakes)
        }
        return wakes
    }

    /// Visits every subscriber in place: walking `values` by index mutates the
    /// dictionary's storage directly instead of copying it once per publish.
    private mutating func forEachSubscriber(_ body: (inout Subscriber) -> Void) {
        var index = subscribers.values.startIndex
        while index != subscribers.values.endIndex {
            body(&subscribers.values[index])
            subscribers.values.formIndex(after: &index)
        }
    }

    private static func end(_ sub: inout Subscriber, _ ending: LiveEnding, into wakes: inout [Wake]) {
        sub.ending = ending
        if let waiter = sub.eventWaiter { wakes.append(Wake(waiter: waiter, delivery: .end(ending))) }
        if let waiter = sub.endWaiter { wakes.append(Wake(waiter: waiter, delivery: .end(ending))) }
        sub.eventWaiter = nil
        sub.endWaiter = nil
    }
}
