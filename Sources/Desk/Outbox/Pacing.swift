public import Foundation

/// Send slots for one stream (a business number, or one person): a burst of `burst` at once, then
/// one every `interval`, handed out in the order they are asked for (GCRA's virtual scheduling).
/// WhatsApp allows a number 80 messages a second and a person about one every 6 s after a burst
/// (wire-protocols.md §2.7). Pure: callers pass `now`.
///
/// A send that cannot go now is given a slot of its own, held under the asker's name (its job's
/// id): the job waits once, until that slot, and then goes. A bucket that only says "not yet"
/// sends every waiting job back together each time one send frees up; with a thousand queued
/// sends that was two commits per waiting job every 1/80 s, and the backlog left no faster.
public struct SendSlots: Sendable {
    public let interval: TimeInterval
    public let burst: Int
    /// When the slot after the last one given is free, if no burst were allowed (GCRA's TAT).
    private var theoretical: Date?
    /// Slots given to askers that could not go at once, until they come back for them.
    private var held: [String: Date] = [:]
    /// Closer than this is now: slot times add up intervals, and a Date's rounding is ~0.1 µs.
    static let sameTime: TimeInterval = 1e-4

    public init(interval: TimeInterval, burst: Int) {
        precondition(interval > 0 && burst >= 1, "slots must be spaced and a burst holds at least one")
        (self.interval, self.burst) = (interval, burst)
    }

    /// When `holder` may send: `now` means now (the slot is used); a later time is the slot kept
    /// for it, and asking again at or after that time returns `now`. A holder that comes back
    /// early keeps its slot.
    public mutating func slot(for holder: String, now: Date) -> Date {
        if let mine = held[holder] {
            guard mine.timeIntervalSince(now) <= Self.sameTime else { return mine }
            held[holder] = nil
            return now
        }
        let next = max(theoretical ?? now, now)
        var at = max(now, next.addingTimeInterval(-Double(burst - 1) * interval))
        theoretical = next.addingTimeInterval(interval)
        if at.timeIntervalSince(now) <= Self.sameTime { at = now }
        if at > now {
            held[holder] = at
            // A holder that never came back (its message was sent by hand, or failed) is
            // forgotten a minute after its slot.
            if held.count > 4096 { held = held.filter { $0.value > now.addingTimeInterval(-60) } }
        }
        return at
    }

    /// Whether nothing is held and a whole burst is free at `now`: forgetting these slots changes
    /// nothing.
    public func isIdle(now: Date) -> Bool { held.isEmpty && (theoretical ?? now) <= now }
}

/// `SendSlots` per stream (per number, per person), made as they are first asked for; idle ones
/// are forgotten so the table stays small however many people are written to.
public struct SendSlotTable: Sendable {
    public let interval: TimeInterval
    public let burst: Int
    private var streams: [String: SendSlots] = [:]

    public init(interval: TimeInterval, burst: Int) { (self.interval, self.burst) = (interval, burst) }

    /// `SendSlots.slot(for:now:)` on `stream`'s slots.
    public mutating func slot(on stream: String, for holder: String, now: Date) -> Date {
        var slots = streams[stream] ?? SendSlots(interval: interval, burst: burst)
        let at = slots.slot(for: holder, now: now)
        streams[stream] = slots
        if streams.count > 10_000 { streams = streams.filter { !$0.value.isIdle(now: now) } }
        return at
    }
}
