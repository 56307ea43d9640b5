public import Foundation

/// Where a message we sent stands (seed 004, "Message State Machine"): queued → sent →
/// delivered → read, or failed with the provider's code and reason.
public enum DeliveryState: String, Codable, Sendable, CaseIterable {
    case queued, sent, delivered, read, failed

    /// How far along a state is. Statuses arrive late, twice and out of order (wire-protocols.md
    /// §1.3, §1.6), so the furthest one seen wins. A failure outranks sent — the provider took the
    /// message and then could not deliver it — but delivered and read outrank a failure: they
    /// prove the message arrived.
    var rank: Int {
        switch self {
        case .queued: 0
        case .sent: 1
        case .failed: 2
        case .delivered: 3
        case .read: 4
        }
    }
}

/// A message's delivery as the status updates have told it. Pure: the inbox applies each update
/// inside the write transaction that stores it.
public struct Delivery: Codable, Sendable, Equatable {
    public private(set) var state: DeliveryState
    /// When each state was reported (the provider's timestamp).
    public private(set) var times: [String: Date]
    /// The provider's code and reason, once a failure was reported (kept even if a later
    /// `delivered` wins, so staff can see what happened).
    public private(set) var failureCode: Int?
    public private(set) var failureReason: String?

    public init(queuedAt: Date) {
        state = .queued
        times = [DeliveryState.queued.rawValue: queuedAt]
        failureCode = nil
        failureReason = nil
    }

    /// Applies one reported status; says whether the shown state changed. `played` (a voice note
    /// was played) counts as read; statuses we do not know are ignored.
    @discardableResult
    public mutating func apply(_ reported: String, at: Date, code: Int? = nil, reason: String? = nil) -> Bool {
        let next: DeliveryState
        switch reported {
        case "sent": next = .sent
        case "delivered": next = .delivered
        case "read", "played": next = .read
        case "failed": next = .failed
        default: return false
        }
        if times[next.rawValue] == nil { times[next.rawValue] = at }
        if next == .failed, failureCode == nil, failureReason == nil { (failureCode, failureReason) = (code, reason) }
        guard next.rank > state.rank else { return false }
        state = next
        return true
    }
}

/// The customer-service window (wire-protocols.md §2.6): free-form messages may be sent for 24
/// hours after the customer's last message; after that only approved templates.
public enum CustomerWindow {
    public static let length: TimeInterval = 24 * 60 * 60

    /// When the window closes, or nil when the customer never wrote.
    public static func closes(lastInboundAt: Date?) -> Date? {
        lastInboundAt.map { $0.addingTimeInterval(length) }
    }

    public static func isOpen(lastInboundAt: Date?, now: Date) -> Bool {
        closes(lastInboundAt: lastInboundAt).map { now < $0 } ?? false
    }
}
