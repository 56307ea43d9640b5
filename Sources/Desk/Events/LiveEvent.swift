import Synchronization

/// One event on the live stream, as every subscriber receives it.
///
/// The payload is encoded once, when a subscriber first reads the event, so fanning it out to
/// many sockets copies a reference to the same string rather than encoding again — and an
/// event nobody reads (no dashboard open, or none allowed to see it) is never encoded.
public struct LiveEvent: Sendable, Equatable {
    /// Position in the stream; strictly increasing, starting at 1 for each process.
    public let seq: UInt64
    /// What happened, e.g. `message.created`.
    public let type: String
    /// Who may see the event.
    public let audience: LiveAudience
    private let text: Text

    /// The payload as JSON text (`null` if it could not be encoded: a non-finite number).
    public var data: String { text.value.data }
    /// The complete frame: `{"seq":N,"type":"…","data":…}`.
    public var frame: String { text.value.frame }

    init(seq: UInt64, type: String, encodedType: String, audience: LiveAudience, encode: @escaping @Sendable () -> String) {
        self.seq = seq
        self.type = type
        self.audience = audience
        text = Text(header: #"{"seq":\#(seq),"type":\#(encodedType),"data":"#, encode: encode)
    }

    public static func == (a: LiveEvent, b: LiveEvent) -> Bool {
        a.seq == b.seq && a.type == b.type && a.audience == b.audience && a.data == b.data
    }

    /// The encoded payload and frame, made by the first reader and shared by all; the payload
    /// itself is let go once encoded.
    private final class Text: Sendable {
        private enum State {
            case pending(header: String, encode: @Sendable () -> String)
            case made(data: String, frame: String)
        }

        private let state: Mutex<State>

        init(header: String, encode: @escaping @Sendable () -> String) {
            state = Mutex(.pending(header: header, encode: encode))
        }

        var value: (data: String, frame: String) {
            state.withLock { state in
                switch state {
                case .made(let data, let frame):
                    return (data, frame)
                case .pending(let header, let encode):
                    let data = encode(), frame = header + data + "}"
                    state = .made(data: data, frame: frame)
                    return (data, frame)
                }
            }
        }
    }
}

/// The staff members an event is meant for. Everyone else never receives it
/// (it still takes a sequence number, so a gap in `seq` is normal for them).
public enum LiveAudience: Sendable, Hashable {
    /// Every connected staff member.
    case everyone
    /// Staff whose role name is in the set.
    case roles(Set<String>)
    /// The staff members with these ids.
    case staff(Set<String>)
    /// Staff whose role is in `roles`, and the staff members in `staff` whatever their role (a
    /// conversation: everyone with full Chats access, and the Agent it is assigned to).
    case anyOf(roles: Set<String>, staff: Set<String>)

    /// Whether a staff member with this id and role may receive the event.
    public func includes(staffID: String, role: String) -> Bool {
        switch self {
        case .everyone: true
        case .roles(let roles): roles.contains(role)
        case .staff(let ids): ids.contains(staffID)
        case .anyOf(let roles, let ids): roles.contains(role) || ids.contains(staffID)
        }
    }
}

/// Why a subscription stopped delivering events.
public enum LiveEnding: Sendable, Hashable {
    /// The subscriber fell too far behind (its queue overflowed). The client should reload.
    case overflow
    /// The staff member's access changed; the socket must close.
    case revoked(LiveRevocation)
}

/// Why a staff member's live connections are being closed.
public enum LiveRevocation: String, Sendable, Hashable {
    /// The session (or token) that authenticated the socket ended: logout, expiry, rotation.
    case sessionEnded = "session_ended"
    /// The account was disabled.
    case accountDisabled = "account_disabled"
    /// The staff member's role changed; they must reconnect to be authorised again.
    case roleChanged = "role_changed"
}

/// What a waiting reader of a subscription is handed.
public enum LiveDelivery: Sendable, Equatable {
    /// The next event the subscriber may see.
    case event(LiveEvent)
    /// The subscription is over; nothing more will be delivered.
    case end(LiveEnding)
}
