import Foundation

/// Encodes a value as compact JSON straight into bytes, in the order the value encodes its
/// fields — for documents and live events, which are written once per message.
///
/// Foundation's `JSONEncoder` builds a tree of boxed values, casting each one to find dates and
/// data, and then writes the tree; while ingesting it was a fifth of the server's CPU. This
/// writes as it goes and reads back with `JSONDecoder` exactly as `JSONEncoder`'s defaults would:
/// dates as seconds since 2001 (`deferredToDate`), `Data` as base64, URLs as their absolute
/// string, non-finite numbers refused.
///
/// Containers are written in the order they are used. Synthesised `Codable` and our own
/// `encode(to:)` finish each field before the next; a container used again after a sibling has
/// been written (possible only with `nestedContainer` or `superEncoder`) cannot be streamed and
/// fails with `EncodingError.invalidValue` rather than writing wrong JSON.
public enum JSONBytesEncoder {
    public static func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let writer = JSONStreamWriter()
        try writer.value(value, path: [])
        try writer.finish()
        return writer.bytes
    }
}

/// The shared state of one encoding: the bytes and the stack of open containers.
final class JSONStreamWriter {
    /// One encoding runs on one thread; runtime exclusivity checks on every append cost more
    /// than the append.
    @exclusivity(unchecked) var bytes: [UInt8] = []
    /// Open containers, innermost last: an id, the encoder that opened it, and whether it has
    /// an element yet.
    @exclusivity(unchecked) private var open: [(id: Int, owner: Int, isObject: Bool, hasElement: Bool)] = []
    private var nextID = 0
    private var nextOwner = 0

    init() { bytes.reserveCapacity(512) }

    // MARK: Containers

    /// Opens a container for the encoder `owner`. An encoder asking again for the same kind of
    /// container (a subclass and its superclass sharing one encoder) gets its first one back, so their fields merge as with `JSONEncoder`.
    func openContainer(object: Bool, owner: Int) -> Int {
        if let mine = open.lastIndex(where: { $0.owner == owner }), open[mine].isObject == object {
            while open.count > mine + 1 { close() }
            return open[mine].id
        }
        nextID += 1
        bytes.append(object ? UInt8(ascii: "{") : UInt8(ascii: "["))
        open.append((nextID, owner, object, false))
        return nextID
    }

    /// A container opened by no encoder (a nested one: fields of its parent).
    func openNested(object: Bool) -> Int {
        nextOwner += 1
        return openContainer(object: object, owner: nextOwner)
    }

    /// Closes every container opened inside `id`, then starts `id`'s next element (a comma when
    /// it has one already).
    /// `path` is made only for the error: an array per field written was a malloc per field.
    func beginElement(in id: Int, path: @autoclosure () -> [any CodingKey]) throws {
        guard let depth = open.lastIndex(where: { $0.id == id }) else {
            throw EncodingError.invalidValue(id, .init(codingPath: path(), debugDescription: "a container was used after a sibling was written; it cannot be streamed"))
        }
        while open.count > depth + 1 { close() }
        if open[depth].hasElement { bytes.append(UInt8(ascii: ",")) }
        open[depth].hasElement = true
    }

    func close() {
        let last = open.removeLast()
        bytes.append(last.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
    }

    /// Closes what is still open (the containers of the last value).
    func finish() throws {
        while !open.isEmpty { close() }
    }

    /// Writes one value: the types `JSONEncoder` treats specially as it does, anything else by
    /// its own `encode(to:)`, whose containers are closed once it returns. A value that wrote
    /// nothing is `{}`, as with `JSONEncoder`.
    func value<T: Encodable>(_ value: T, path: @autoclosure () -> [any CodingKey]) throws {
        // Metatype comparisons, not casts: a cast per value is what made JSONEncoder slow.
        if T.self == Date.self {
            try number(unsafeBitCast(value, to: Date.self).timeIntervalSinceReferenceDate, path: path())
        } else if T.self == Data.self {
            string(unsafeBitCast(value, to: Data.self).base64EncodedString())
        } else if T.self == URL.self {
            string(unsafeBitCast(value, to: URL.self).absoluteString)
        } else if T.self == Decimal.self {
            bytes.append(contentsOf: unsafeBitCast(value, to: Decimal.self).description.utf8)
        } else {
            let depth = open.count, start = bytes.count
            nextOwner += 1
            try value.encode(to: JSONStreamEncoder(writer: self, owner: nextOwner, codingPath: path()))
            while open.count > depth { close() }
            if bytes.count == start { bytes.append(contentsOf: "{}".utf8) }
        }
    }

    func superEncoder(_ path: [any CodingKey]) -> JSONStreamEncoder {
        nextOwner += 1
        return JSONStreamEncoder(writer: self, owner: nextOwner, codingPath: path)
    }

    // MARK: Scalars

    func key(_ key: String) {
        string(key)
        bytes.append(UInt8(ascii: ":"))
    }

    func null() { bytes.append(contentsOf: "null".utf8) }

    func bool(_ value: Bool) { bytes.append(contentsOf: (value ? "true" : "false").utf8) }

    func integer(_ value: some BinaryInteger) { bytes.append(contentsOf: String(value).utf8) }

    func number(_ value: Double, path: @autoclosure () -> [any CodingKey]) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: path(), debugDescription: "\(value) is not a JSON number"))
        }
        if value == value.rounded(), abs(value) < 1e15 {
            integer(Int64(value))          // 3.0 as 3, as JSONEncoder writes it
        } else {
            bytes.append(contentsOf: "\(value)".utf8)
        }
    }

    func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = value
        text.withUTF8 { utf8 in
            // The runs between escapes are copied whole (a raw webhook is mostly runs between quotes).
            var run = 0
            for index in utf8.indices where utf8[index] < 0x20 || utf8[index] == UInt8(ascii: "\"") || utf8[index] == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<index]))
                escaped(utf8[index])
                run = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private func escaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
        case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
        case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
        case 0x0D: bytes.append(contentsOf: #"\r"#.utf8)
        case 0x09: bytes.append(contentsOf: #"\t"#.utf8)
        default:
            bytes.append(contentsOf: #"\u00"#.utf8)
            bytes.append(Self.hex[Int(byte >> 4)])
            bytes.append(Self.hex[Int(byte & 0xF)])
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)
}

struct JSONStreamEncoder: Encoder {
    let writer: JSONStreamWriter
    let owner: Int
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(JSONStreamKeyed<Key>(writer: writer, id: writer.openContainer(object: true, owner: owner), codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        JSONStreamUnkeyed(writer: writer, id: writer.openContainer(object: false, owner: owner), codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONStreamSingle(writer: writer, codingPath: codingPath)
    }
}

struct JSONStreamKeyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: JSONStreamWriter
    let id: Int
    let codingPath: [any CodingKey]

    private func begin(_ key: Key) throws {
        try writer.beginElement(in: id, path: codingPath + [key])
        writer.key(key.stringValue)
    }

    mutating func encodeNil(forKey key: Key) throws { try begin(key); writer.null() }
    mutating func encode(_ value: Bool, forKey key: Key) throws { try begin(key); writer.bool(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { try begin(key); writer.string(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { try begin(key); try writer.number(value, path: codingPath + [key]) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try begin(key); try writer.number(Double(value), path: codingPath + [key]) }
    mutating func encode(_ value: Int, forKey key: Key) throws { try begin(key); writer.integer(value) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try begin(key); writer.integer(value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try begin(key); writer.integer(value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try begin(key); writer.integer(value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try begin(key); writer.integer(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try begin(key); writer.integer(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try begin(key); writer.integer(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try begin(key); writer.integer(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try begin(key); writer.integer(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try begin(key); writer.integer(value) }
    mutating func encode(_ value: some Encodable, forKey key: Key) throws {
        try begin(key)
        try writer.value(value, path: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        // The protocol does not let this throw: a misuse surfaces at the next write instead.
        try? begin(key)
        return KeyedEncodingContainer(JSONStreamKeyed<NestedKey>(writer: writer, id: writer.openNested(object: true), codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        try? begin(key)
        return JSONStreamUnkeyed(writer: writer, id: writer.openNested(object: false), codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { superEncoder(forKey: Key(stringValue: "super")!) }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        try? begin(key)
        return writer.superEncoder(codingPath + [key])
    }
}

struct JSONStreamUnkeyed: UnkeyedEncodingContainer {
    let writer: JSONStreamWriter
    let id: Int
    let codingPath: [any CodingKey]
    private(set) var count = 0

    init(writer: JSONStreamWriter, id: Int, codingPath: [any CodingKey]) {
        (self.writer, self.id, self.codingPath) = (writer, id, codingPath)
    }

    private var indexKey: any CodingKey { IndexKey(intValue: count) }

    private mutating func begin() throws {
        try writer.beginElement(in: id, path: codingPath + [indexKey])
        count += 1
    }

    mutating func encodeNil() throws { try begin(); writer.null() }
    mutating func encode(_ value: Bool) throws { try begin(); writer.bool(value) }
    mutating func encode(_ value: String) throws { try begin(); writer.string(value) }
    mutating func encode(_ value: Double) throws { let key = indexKey; try begin(); try writer.number(value, path: codingPath + [key]) }
    mutating func encode(_ value: Float) throws { let key = indexKey; try begin(); try writer.number(Double(value), path: codingPath + [key]) }
    mutating func encode(_ value: Int) throws { try begin(); writer.integer(value) }
    mutating func encode(_ value: Int8) throws { try begin(); writer.integer(value) }
    mutating func encode(_ value: Int16) throws { try begin(); writer.integer(value) }
    mutating func encode(_ value: Int32) throws { try begin(); writer.integer(value) }
    mutating func encode(_ value: Int64) throws { try begin(); writer.integer(value) }
    mutating func encode(_ value: UInt) throws { try begin(); writer.integer(value) }
    mutating func encode(_ value: UInt8) throws { try begin(); writer.integer(value) }
    mutating func encode(_ value: UInt16) throws { try begin(); writer.integer(value) }
    mutating func encode(_ value: UInt32) throws { try begin(); writer.integer(value) }
    mutating func encode(_ value: UInt64) throws { try begin(); writer.integer(value) }
    mutating func encode(_ value: some Encodable) throws {
        let key = indexKey
        try begin()
        try writer.value(value, path: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let path = codingPath + [indexKey]
        try? begin()
        return KeyedEncodingContainer(JSONStreamKeyed<NestedKey>(writer: writer, id: writer.openNested(object: true), codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = codingPath + [indexKey]
        try? begin()
        return JSONStreamUnkeyed(writer: writer, id: writer.openNested(object: false), codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let path = codingPath + [indexKey]
        try? begin()
        return writer.superEncoder(path)
    }

    private struct IndexKey: CodingKey {
        let intValue: Int?
        var stringValue: String { "Index \(intValue ?? 0)" }
        init(intValue: Int) { self.intValue = intValue }
        init?(stringValue: String) { nil }
    }
}

struct JSONStreamSingle: SingleValueEncodingContainer {
    let writer: JSONStreamWriter
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { writer.null() }
    mutating func encode(_ value: Bool) throws { writer.bool(value) }
    mutating func encode(_ value: String) throws { writer.string(value) }
    mutating func encode(_ value: Double) throws { try writer.number(value, path: codingPath) }
    mutating func encode(_ value: Float) throws { try writer.number(Double(value), path: codingPath) }
    mutating func encode(_ value: Int) throws { writer.integer(value) }
    mutating func encode(_ value: Int8) throws { writer.integer(value) }
    mutating func encode(_ value: Int16) throws { writer.integer(value) }
    mutating func encode(_ value: Int32) throws { writer.integer(value) }
    mutating func encode(_ value: Int64) throws { writer.integer(value) }
    mutating func encode(_ value: UInt) throws { writer.integer(value) }
    mutating func encode(_ value: UInt8) throws { writer.integer(value) }
    mutating func encode(_ value: UInt16) throws { writer.integer(value) }
    mutating func encode(_ value: UInt32) throws { writer.integer(value) }
    mutating func encode(_ value: UInt64) throws { writer.integer(value) }
    mutating func encode(_ value: some Encodable) throws { try writer.value(value, path: codingPath) }
}
