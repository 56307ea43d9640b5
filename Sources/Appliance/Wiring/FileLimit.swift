#if canImport(Glibc)
import Glibc
#endif
import Logging

/// The open-file limit the connection caps need (finding 3): every connection is a descriptor,
/// and a server that reaches the limit before its caps stops accepting anyone, `/healthz`
/// included.
enum FileLimit {
    /// LMDB, the journal, outbound HTTP, and refused connections lingering for their answer.
    static let headroom = 256

    static func needed(for config: Configuration) -> Int { config.maxConnections + config.liveMaxSockets + headroom }

    /// Raises the soft limit towards what the caps need, up to the hard limit (as Go's runtime
    /// does for every program): a shell's default soft limit is 1024 while the hard one is far
    /// higher. Under the systemd unit LimitNOFILE= has set it already, and setrlimit is
    /// filtered (@resources), so this only logs. Warns when the limit stays short.
    static func ensure(for config: Configuration, logger: Logger) {
        let needed = rlim_t(needed(for: config))
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        if limit.rlim_cur < needed && limit.rlim_max > limit.rlim_cur {
            var raised = limit
            raised.rlim_cur = min(needed, limit.rlim_max)
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        if limit.rlim_cur < needed {
            logger.warning("the open-file limit is below what the connection caps need; lower max_connections or raise LimitNOFILE=", metadata: [
                "atende.files.limit": "\(limit.rlim_cur)", "atende.files.needed": "\(needed)",
            ])
        }
    }
}
