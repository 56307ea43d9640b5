public import Foundation
import Synchronization

/// Where Desk reads the time. Sessions, tokens, throttling and the audit log all need wall-clock
/// time (they are stored and shown as RFC 3339), so this is a wall clock, injected so tests can
/// move it by hand instead of sleeping.
public protocol DeskClock: Sendable {
    var now: Date { get }
}

/// The system's wall clock.
public struct SystemDeskClock: DeskClock {
    public init() {}
    public var now: Date { Date() }
}

/// A clock that moves only when told to: for tests of expiry and throttling.
public final class ManualDeskClock: DeskClock {
    private let current: Mutex<Date>
    public init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) { current = Mutex(start) }
    public var now: Date { current.withLock { $0 } }
    public func advance(by seconds: TimeInterval) { current.withLock { $0 += seconds } }
}
