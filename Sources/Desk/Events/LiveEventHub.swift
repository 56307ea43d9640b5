import Foundation
import Storage
import Synchronization

/// The in-process stream of live events: `Desk` publishes, `Web` fans out to WebSockets.
///
/// Publishing takes a lock for a few microseconds and never waits for a subscriber: a
/// subscriber that cannot keep up is ended with ``LiveEnding/overflow`` instead. Sequence
/// numbers start at 1 in each process, so a client that resumes with a number from an
/// earlier run is told to reload.
public final class LiveEventHub: Sendable {
    /// Sizes of the replay window and of each subscriber's queue.
    public struct Configuration: Sendable {
        /// How many recent events a reconnecting client can catch up on.
        public var replayCapacity: Int
        /// How many live events may wait for one subscriber before it is dropped.
        public var queueCapacity: Int
        /// How many subscriptions one session or token may hold at once (tabs, devices); more
        /// would let one credential exhaust a small server's memory.
        public var maxPerCredential: Int
        /// How many one staff member (or token) may hold over all their sessions: signing in
        /// again and again must not multiply the per-session allowance (issue 8).
        public var maxPerAccount: Int
        /// How many the whole server holds at once; each is a socket and a file descriptor.
        public var maxSubscribers: Int

        public init(replayCapacity: Int = 1024, queueCapacity: Int = 256, maxPerCredential: Int = 16,
                    maxPerAccount: Int = 32, maxSubscribers: Int = 1024) {
            self.replayCapacity = replayCapacity
            self.queueCapacity = queueCapacity
            self.maxPerCredential = maxPerCredential
            self.maxPerAccount = maxPerAccount
            self.maxSubscribers = maxSubscribers
        }
    }

    typealias Waiter = CheckedContinuation<LiveDelivery?, Never>
    let state: Mutex<LiveHubState<Waiter>>

    /// Creates an empty hub. `queueCapacity` must be between 1 and `replayCapacity`.
    public init(configuration: Configuration = .init()) {
        state = Mutex(LiveHubState(replayCapacity: configuration.replayCapacity,
                                   queueCapacity: configuration.queueCapacity,
                                   maxPerCredential: configuration.maxPerCredential,
                                   maxPerAccount: configuration.maxPerAccount,
                                   maxSubscribers: configuration.maxSubscribers))
    }

    /// The seq of the newest event (0 before the first).
    public var currentSeq: UInt64 { state.withLock { $0.lastSeq } }

    /// How many subscriptions are open, ended ones included until they are cancelled.
    public var subscriberCount: Int { state.withLock { $0.subscriberCount } }

    /// Publishes an event and returns its seq.
    ///
    /// - Parameters:
    ///   - type: What happened, e.g. `conversation.updated`.
    ///   - payload: Encoded to JSON once, outside the hub's lock, by the first subscriber that
    ///     reads the event (never, if none does); `null` if it cannot be (a non-finite number).
    ///   - audience: Who may receive it.
    @discardableResult
    public func publish(_ type: String, _ payload: some Encodable & Sendable, to audience: LiveAudience = .everyone) -> UInt64 {
        let encodedType = String(decoding: (try? JSONBytesEncoder.encode(type)) ?? Array(#""""#.utf8), as: UTF8.self)
        let encode: @Sendable () -> String = {
            (try? JSONBytesEncoder.encode(payload)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
        }
        let published = state.withLock {
            $0.publish(type: type, encodedType: encodedType, audience: audience, encode: encode)
        }
        Self.resume(published.wakes)
        return published.seq
    }

    /// Opens a subscription resuming after `since` (the last seq the client processed),
    /// or starting with the next event when `since` is nil.
    ///
    /// - Returns: The subscription, or `.reload` when `since` is outside the replay window
    ///   (too old, or from before a restart) and the client must reload its state.
    public func subscribe(staffID: String, role: String, credentialID: String? = nil, since: UInt64? = nil) -> LiveSubscribeResult {
        let outcome = state.withLock {
            $0.subscribe(staffID: staffID, role: role, credentialID: credentialID, since: since)
        }
        switch outcome {
        case .reload(let currentSeq):
            return .reload(currentSeq: currentSeq)
        case .limitReached(let limit):
            return .limitReached(limit)
        case .subscribed(let id, let currentSeq, let replay):
            return .subscribed(LiveSubscription(id: id, hub: self, currentSeq: currentSeq, replayCount: replay))
        }
    }

    /// Ends every subscription of a staff member: call it when their role changes, their
    /// account is disabled, or their last session ends. Their sockets close.
    public func revoke(staffID: String, because reason: LiveRevocation) {
        let wakes = state.withLock { $0.revoke(reason) { $0.staffID == staffID } }
        Self.resume(wakes)
    }

    /// Ends the subscriptions opened with one credential (a session or an API token),
    /// leaving the staff member's other connections alone.
    public func revoke(credentialID: String, because reason: LiveRevocation) {
        let wakes = state.withLock { $0.revoke(reason) { $0.credentialID == credentialID } }
        Self.resume(wakes)
    }

    static func resume(_ wakes: [LiveHubState<Waiter>.Wake]) {
        for wake in wakes { wake.waiter.resume(returning: wake.delivery) }
    }
}

/// The answer to ``LiveEventHub/subscribe(staffID:role:credentialID:since:)``.
public enum LiveSubscribeResult: Sendable {
    case subscribed(LiveSubscription)
    /// The client's position cannot be resumed; `currentSeq` is where the stream is now.
    case reload(currentSeq: UInt64)
    /// The credential already holds `limit` open subscriptions (subscriptions without a
    /// credential are not limited).
    case limitReached(Int)
}
