/// One event on the live stream, as every subscriber receives it.
///
/// The wire frame is built once, when the event is published, so fanning it out to
/// many sockets copies a reference to the same string rather than encoding again.
public struct LiveEvent: Sendable, Equatable {
    /// Position in the stream; strictly increasing, starting at 1 for each process.
    public let seq: UInt64
    /// What happened, e.g. `message.created`.
    public let type: String
    /// The payload, already encoded as JSON text.
    public let data: String
    /// Who may see the event.
    public let audience: LiveAudience
    /// The complete frame: `{"seq":N,"type":"…","data":…}`.
    public let frame: String

    init(seq: UInt64, type: String, encodedType: String, data: String, audience: LiveAudience) {
        self.seq = seq
        self.type = type
        self.data = data
        self.audience = audience
        self.frame = #"{"seq":\#(seq),"type":\#(encodedType),"data":\#(data)}"#
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
