/// An `application/x-www-form-urlencoded` body as Twilio sends its webhooks (wire-protocols.md
/// §5.1, §5.2, §5.7) and as its REST API takes a new message (§5.6): name–value pairs in the order
/// they came, a repeated name once per value.
///
/// `parameters` are exactly what `TwilioSignature.isValid(_:url:parameters:authToken:)` takes:
/// Twilio adds parameters without notice, so every one received is kept and none is dropped before
/// the signature is checked.
public struct TwilioForm: Sendable {
    /// The largest body read (64 KiB): Twilio's largest webhook, an MMS with ten media and a
    /// 1600-character body, is a few KiB.
    public static let maxBytes = 64 << 10
    /// The most parameters read.
    public static let maxParameters = 200

    /// The decoded pairs, in the order they came.
    public let parameters: [(name: String, value: String)]

    /// Parses `body`: pairs split at `&`, name from value at the first `=` (a pair without one has
    /// an empty value), `+` read as a space, `%XX` decoded, the bytes read as UTF-8.
    ///
    /// - Throws: `ChannelError(.malformedPayload)` for a body over `maxBytes`, more than
    ///   `maxParameters` pairs, a `%` not followed by two hex digits, or text that is not UTF-8.
    public init(_ body: some Collection<UInt8>) throws {
        guard body.count <= Self.maxBytes else {
            throw ChannelError(.malformedPayload, "the form body is \(body.count) bytes, more than the \(Self.maxBytes) read")
        }
        var parameters: [(name: String, value: String)] = []
        for pair in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            guard parameters.count < Self.maxParameters else {
                throw ChannelError(.malformedPayload, "the form has more than \(Self.maxParameters) parameters")
            }
            let equals = pair.firstIndex(of: UInt8(ascii: "="))
            let name = try Self.decode(pair[..<(equals ?? pair.endIndex)], at: parameters.count)
            let value = try equals.map { try Self.decode(pair[pair.index(after: $0)...], at: parameters.count) } ?? ""
            parameters.append((name, value))
        }
        self.parameters = parameters
    }

    /// A form made of `parameters` as they are (already decoded).
    public init(parameters: [(name: String, value: String)]) { self.parameters = parameters }

    /// The first value of `name` (names are case-sensitive, as Twilio's are); nil when absent.
    public subscript(name: String) -> String? { parameters.first { $0.name == name }?.value }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] { parameters.filter { $0.name == name }.map(\.value) }

    /// `parameters` as a form body: every byte but the unreserved ones (`A–Z a–z 0–9 - . _ ~`,
    /// RFC 3986) percent-encoded from UTF-8, so the `+` of an E.164 number is `%2B`, and a space
    /// is `%20` (never `+`, which a reader could take for a plus).
    public static func encode(_ parameters: [(name: String, value: String)]) -> [UInt8] {
        var out: [UInt8] = []
        for (index, parameter) in parameters.enumerated() {
            if index > 0 { out.append(UInt8(ascii: "&")) }
            percentEncode(parameter.name, into: &out)
            out.append(UInt8(ascii: "="))
            percentEncode(parameter.value, into: &out)
        }
        return out
    }

    static func percentEncode(_ text: String, into out: inout [UInt8]) {
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out.append(contentsOf: [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
            }
        }
    }

    /// One name or value: `+` is a space, `%XX` a byte; the result must be UTF-8.
    static func decode(_ encoded: some Collection<UInt8>, at index: Int) throws -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encoded.count)
        var position = encoded.startIndex
        while position != encoded.endIndex {
            let byte = encoded[position]
            position = encoded.index(after: position)
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard position != encoded.endIndex, let high = hexValue(encoded[position]),
                      case let next = encoded.index(after: position), next != encoded.endIndex, let low = hexValue(encoded[next]) else {
                    throw ChannelError(.malformedPayload, "parameter \(index + 1) of the form has a % not followed by two hex digits")
                }
                bytes.append(high << 4 | low)
                position = encoded.index(after: next)
            default: bytes.append(byte)
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ChannelError(.malformedPayload, "parameter \(index + 1) of the form is not UTF-8 text")
        }
        return text
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
