/// Who holds the server's HTTP connection slots, and what becomes of a new connection: a pure
/// state machine (no I/O, no clock of its own), so the caps and the eviction order are tested
/// without sockets. `ConnectionRegistry` wraps it for the event loops.
///
/// Two caps: connections per client address (trusted proxies are exempt: behind a reverse proxy
/// every connection comes from it) and connections overall. At the overall cap a new connection
/// takes the slot of the connection most clearly wasting one — an idle one (keep-alive between
/// requests, or never used), longest idle first; else the one whose request started longest
/// ago and is still arriving — so a flood of slow clients cannot keep `/healthz` or a staff
/// member out. A connection whose request is complete and being answered is doing our work
/// and is never evicted; when only those remain, the new connection is refused.
struct ConnectionTable<Handle> {
    struct Limits: Sendable, Equatable {
        var maxConnections: Int
        var maxPerAddress: Int
    }

    /// What a connection is doing; times are monotonic nanoseconds.
    enum Activity: Equatable {
        /// Connected with no request in flight (never used, or between keep-alive requests).
        case idle(since: UInt64)
        /// A request's head or body is still arriving.
        case receiving(since: UInt64)
        /// The request is complete; the server is answering it.
        case processing
    }

    enum Refusal: String, Equatable {
        /// The client's address holds `maxPerAddress` connections.
        case perAddress = "per_address"
        /// Every slot is taken by a connection being answered.
        case full
    }

    enum Admission {
        case admitted(evicting: Handle?)
        case refused(Refusal)
    }

    private struct Entry {
        let address: IPAddress?
        let exempt: Bool
        var activity: Activity
        let handle: Handle
    }

    let limits: Limits
    private var entries: [UInt64: Entry] = [:]
    private var perAddress: [IPAddress: Int] = [:]

    init(limits: Limits) { self.limits = limits }

    var count: Int { entries.count }

    func count(of address: IPAddress) -> Int { perAddress[address, default: 0] }

    /// Decides on a new connection `id` from `address` (nil for a Unix socket); `exempt` skips
    /// the per-address cap (a trusted proxy). An admitted connection starts idle at `now`; the
    /// evicted one, if any, has already left the table and should be closed by the caller.
    mutating func admit(_ id: UInt64, address: IPAddress?, exempt: Bool, handle: Handle, now: UInt64) -> Admission {
        if !exempt, let address, perAddress[address, default: 0] >= limits.maxPerAddress {
            return .refused(.perAddress)
        }
        var evicted: Handle?
        if entries.count >= limits.maxConnections {
            guard let victim = evictionCandidate() else { return .refused(.full) }
            evicted = remove(victim)
        }
        entries[id] = Entry(address: address, exempt: exempt, activity: .idle(since: now), handle: handle)
        if !exempt, let address { perAddress[address, default: 0] += 1 }
        return .admitted(evicting: evicted)
    }

    mutating func update(_ id: UInt64, to activity: Activity) {
        entries[id]?.activity = activity
    }

    /// Removes `id` (closed, or upgraded to a WebSocket, which has caps of its own); returns its
    /// handle, or nil when it was not there (already evicted).
    @discardableResult
    mutating func remove(_ id: UInt64) -> Handle? {
        guard let entry = entries.removeValue(forKey: id) else { return nil }
        if !entry.exempt, let address = entry.address {
            let left = perAddress[address, default: 1] - 1
            perAddress[address] = left > 0 ? left : nil
        }
        return entry.handle
    }

    /// The longest-idle connection, else the one whose arriving request started first.
    private func evictionCandidate() -> UInt64? {
        var idle: (id: UInt64, since: UInt64)?, receiving: (id: UInt64, since: UInt64)?
        for (id, entry) in entries {
            switch entry.activity {
            case .idle(let since): if since < idle?.since ?? .max { idle = (id, since) }
            case .receiving(let since): if since < receiving?.since ?? .max { receiving = (id, since) }
            case .processing: continue
            }
        }
        return idle?.id ?? receiving?.id
    }
}
