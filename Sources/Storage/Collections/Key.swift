import Foundation

/// The bytes a document or index entry is stored under. LMDB orders keys by `memcmp`, so every
/// constructor here is order-preserving: numbers are big-endian, ids are time-ordered.
public struct Key: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }
    public init(_ string: String) { bytes = Array(string.utf8) }
    public init(_ number: UInt64) { bytes = withUnsafeBytes(of: number.bigEndian) { Array($0) } }
    public init(_ id: DocumentID) { bytes = id.bytes }

    /// Several parts in one key that still sorts part by part. Each part but the last is escaped
    /// (0x00 → 0x00 0xFF) and terminated with 0x00 0x00, so "ab"+"c" and "a"+"bc" differ and a
    /// prefix of parts selects exactly the keys that start with those parts.
    public init(_ parts: Key...) { self.init(parts: parts) }

    public init(parts: [Key]) {
        var out: [UInt8] = []
        for (i, part) in parts.enumerated() {
            if i == parts.count - 1 { out += part.bytes } else { out += part.terminated }
        }
        bytes = out
    }

    /// The part escaped and terminated, as it appears inside a composite key.
    var terminated: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 2)
        for b in bytes {
            out.append(b)
            if b == 0 { out.append(0xFF) }
        }
        out += [0, 0]
        return out
    }

    /// The smallest key greater than every key that starts with `self`, or nil if none exists.
    var prefixSuccessor: [UInt8]? {
        var out = bytes
        while let last = out.last {
            if last < 0xFF { out[out.count - 1] = last + 1; return out }
            out.removeLast()
        }
        return nil
    }

    /// An opaque, URL-safe form for pagination cursors.
    public var base64url: String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Parses `base64url`; nil when the text is not one.
    public init?(base64url: String) {
        var text = base64url.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text) else { return nil }
        bytes = Array(data)
    }

    public static func < (a: Key, b: Key) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }
    public var description: String { base64url }
}
