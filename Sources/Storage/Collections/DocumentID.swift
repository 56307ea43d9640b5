public import Foundation
import Synchronization

/// A time-ordered 128-bit id: 48 bits of Unix milliseconds, then 80 random bits. Sorting ids sorts
/// documents by creation time, so "newest first" is a reverse key scan. Text form: 26 characters
/// of Crockford base32 (as ULID), which sorts the same way.
public struct DocumentID: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// A new id for `now`.
    public init(now: Date = Date()) {
        var generator = RandomPool.Generator()
        self.init(milliseconds: UInt64(max(0, now.timeIntervalSince1970 * 1000)), using: &generator)
    }

    public init(milliseconds: UInt64, using generator: inout some RandomNumberGenerator) {
        var out = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { out[i] = UInt8(truncatingIfNeeded: milliseconds >> (40 - 8 * UInt64(i))) }
        // Two draws for the ten random bytes.
        let (high, low) = (generator.next() as UInt64, generator.next() as UInt64)
        for i in 0..<8 { out[6 + i] = UInt8(truncatingIfNeeded: high >> (8 * UInt64(i))) }
        (out[14], out[15]) = (UInt8(truncatingIfNeeded: low), UInt8(truncatingIfNeeded: low >> 8))
        bytes = out
    }

    /// The id stored as `key` (`Key(id)`); nil if the key is not 16 bytes.
    public init?(_ key: Key) {
        guard key.bytes.count == 16 else { return nil }
        bytes = key.bytes
    }

    /// The id whose text form is `string`; nil if it is not 26 Crockford base32 characters.
    public init?(string: String) {
        let chars = Array(string.uppercased().utf8)
        guard chars.count == 26 else { return nil }
        var value: [UInt8] = []          // 130 bits → we accumulate 5 bits at a time
        var acc: UInt32 = 0, bits = 0
        for (i, c) in chars.enumerated() {
            guard let v = Self.decodeTable[Int(c)] else { return nil }
            if i == 0 && v > 7 { return nil }        // the first character carries only 3 bits
            acc = (acc << 5) | UInt32(v); bits += 5
            if i == 0 { bits = 3 }
            while bits >= 8 { bits -= 8; value.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits))) }
        }
        guard value.count == 16 else { return nil }
        bytes = value
    }

    init(validBytes: [UInt8]) { bytes = validBytes }

    /// The id for `now` that sorts after `previous` (ULID's monotonic rule): a fresh random id
    /// when the clock moved past `previous`, otherwise `previous` plus one — so ids made in one
    /// millisecond, or while the clock stands still, keep the order they were made in.
    public static func monotonic(after previous: DocumentID?, now: Date) -> DocumentID {
        let fresh = DocumentID(now: now)
        guard let previous, fresh.milliseconds <= previous.milliseconds else { return fresh }
        var next = previous.bytes
        for i in stride(from: 15, through: 6, by: -1) {
            next[i] &+= 1
            if next[i] != 0 { return DocumentID(validBytes: next) }
        }
        return fresh      // 2^80 ids in one millisecond: not reachable
    }

    /// Milliseconds since 1970 at which the id was made.
    public var milliseconds: UInt64 { bytes[0..<6].reduce(0) { $0 << 8 | UInt64($1) } }
    /// When the id was made, to the millisecond.
    public var date: Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

    public var description: String {
        var out: [UInt8] = []
        out.reserveCapacity(26)
        // 128 bits as 26 groups of 5, the first group holding the top 3 bits (ULID layout).
        var acc: UInt32 = 0, bits = 2                  // two leading zero bits pad 128 to 130
        for b in bytes {
            acc = (acc << 8) | UInt32(b); bits += 8
            while bits >= 5 { bits -= 5; out.append(Self.alphabet[Int((acc >> UInt32(bits)) & 31)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func < (a: DocumentID, b: DocumentID) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = DocumentID(string: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an id: \(text.prefix(40))"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
    private static let decodeTable: [UInt8?] = {
        var table = [UInt8?](repeating: nil, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        // Crockford: I and L read as 1, O as 0.
        table[Int(UInt8(ascii: "I"))] = 1; table[Int(UInt8(ascii: "L"))] = 1; table[Int(UInt8(ascii: "O"))] = 0
        return table
    }()
}

/// The system's random bytes, fetched 4 KiB at a time: each draw from `SystemRandomNumberGenerator`
/// is a system call, and a stored message makes several ids (two draws each).
enum RandomPool {
    private static let pool = Mutex(Pool())

    private struct Pool {
        var words = [UInt64](repeating: 0, count: 512)
        var next = 512

        mutating func draw() -> UInt64 {
            if next == words.count {
                // glibc's arc4random_buf: the kernel's getrandom, no user-space generator of its own.
                words.withUnsafeMutableBytes { arc4random_buf($0.baseAddress!, $0.count) }
                next = 0
            }
            defer { next += 1 }
            return words[next]
        }
    }

    struct Generator: RandomNumberGenerator {
        mutating func next() -> UInt64 { RandomPool.pool.withLock { $0.draw() } }
    }
}
