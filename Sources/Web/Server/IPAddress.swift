import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address, parsed strictly and printed in one canonical form, so the same
/// client never counts as two (`198.18.0.1` and `198.018.0.1`) and nothing that is not an
/// address (`not-an-ip<script>`) reaches a log or a throttle key.
///
/// Parsing is `inet_pton`'s, which takes only dotted-quad IPv4 (no leading zeros, no octal or
/// hex forms) and RFC 4291 IPv6 text; an IPv4-mapped IPv6 address (`::ffff:198.18.0.1`) is the
/// IPv4 address it maps.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6, in network order.
    public let bytes: [UInt8]

    public init?(_ text: some StringProtocol) {
        let text = String(text)
        guard !text.isEmpty, text.utf8.count <= 45 else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let raw = withUnsafeBytes(of: &v6) { Array($0) }
        let mappedPrefix: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]
        bytes = Array(raw.prefix(12)) == mappedPrefix ? Array(raw.suffix(4)) : raw
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    public var isIPv4: Bool { bytes.count == 4 }

    /// The canonical text (`inet_ntop`): `198.18.0.1`, `2001:db8::1`.
    public var description: String {
        var out = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = isIPv4 ? AF_INET : AF_INET6
        let ok = bytes.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &out, socklen_t(out.count)) } != nil
        return ok ? String(decoding: out.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
    }
}

/// The peers whose `X-Forwarded-*` headers are believed, and who share the per-address
/// connection cap's exemption: the local reverse proxy (reliability.md A5.9). Exact addresses
/// and CIDR blocks from the `trusted_proxies` setting; by default only `127.0.0.1` and `::1`,
/// not the whole of `127.0.0.0/8`, so a test (or a local user) can connect from `127.0.0.2`
/// as an ordinary client.
public struct TrustedProxies: Sendable, Equatable, CustomStringConvertible {
    public struct Block: Sendable, Equatable, CustomStringConvertible {
        public let network: IPAddress
        public let prefixLength: Int

        public func contains(_ address: IPAddress) -> Bool {
            guard address.bytes.count == network.bytes.count else { return false }
            var remaining = prefixLength
            for (a, n) in zip(address.bytes, network.bytes) where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if a & mask != n & mask { return false }
                remaining -= bits
            }
            return true
        }

        public var description: String { "\(network)/\(prefixLength)" }
    }

    public let blocks: [Block]

    /// `127.0.0.1/32, ::1/128`.
    public static let loopback = try! TrustedProxies(parsing: "127.0.0.1/32, ::1/128")
    /// Nobody: forwarded headers are never believed.
    public static let none = TrustedProxies(blocks: [])

    init(blocks: [Block]) { self.blocks = blocks }

    /// Parses a comma-separated list of addresses and CIDR blocks (`10.0.0.0/8, ::1`); an empty
    /// string trusts nobody. Throws a message naming the entry that is not one.
    public init(parsing text: String) throws(TrustedProxiesError) {
        var blocks: [Block] = []
        for entry in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            let parts = entry.split(separator: "/", maxSplits: 1)
            guard let address = IPAddress(parts[0]) else { throw TrustedProxiesError(entry: entry) }
            let maximum = address.isIPv4 ? 32 : 128
            var length = maximum
            if parts.count == 2 {
                guard let n = Int(parts[1]), (0...maximum).contains(n), parts[1].allSatisfy(\.isNumber) else {
                    throw TrustedProxiesError(entry: entry)
                }
                length = n
            }
            blocks.append(Block(network: address, prefixLength: length))
        }
        self.blocks = blocks
    }

    public func contains(_ address: IPAddress?) -> Bool {
        guard let address else { return false }
        return blocks.contains { $0.contains(address) }
    }

    public var description: String { blocks.map(\.description).joined(separator: ", ") }
}

public struct TrustedProxiesError: Error, CustomStringConvertible {
    public let entry: String
    public var description: String { "\(entry) is not an IP address or CIDR block" }
}
