import Foundation
import Storage
import Testing

/// `JSONBytesEncoder` writes what `JSONDecoder` reads back as `JSONEncoder`'s output would be read.
@Suite struct JSONBytesEncoderTests {
    enum Kind: String, Codable, Equatable { case inbound, outbound }

    enum Shape: Codable, Equatable {
        case circle(radius: Double)
        case label(String, size: Int?)
        case empty
    }

    struct Inner: Codable, Equatable {
        var name: String
        var tags: [String]
        var score: Double?
    }

    struct Document: Codable, Equatable {
        var id: String
        var kind: Kind
        var at: Date
        var maybeAt: Date?
        var count: Int
        var big: UInt64
        var negative: Int32
        var ratio: Double
        var flag: Bool
        var text: String
        var blob: Data
        var link: URL
        var amount: Decimal
        var inner: Inner
        var inners: [Inner]
        var missing: Inner?
        var nothing: String?
        var byName: [String: Int]
        var byNumber: [Int: String]
        var matrix: [[Int]]
        var shapes: [Shape]
        var empty: [String]
        var emptyObject: [String: Bool]
    }

    static let sample = Document(
        id: "01JZ", kind: .outbound, at: Date(timeIntervalSinceReferenceDate: 786_297_600.125), maybeAt: nil,
        count: -42, big: .max, negative: .min, ratio: 0.1 + 0.2, flag: true,
        text: "Olá \"mundo\" \\ / \n\t\r \u{01} \u{1F} 🙂 ação </script>",
        blob: Data([0, 1, 2, 250, 255]), link: URL(string: "https://example.com/a?b=c&d=é")!, amount: Decimal(string: "1234.50")!,
        inner: Inner(name: "a", tags: ["x", "y"], score: 3), inners: [Inner(name: "b", tags: [], score: nil), Inner(name: "c", tags: ["z"], score: -1e-7)],
        missing: nil, nothing: nil, byName: ["one": 1, "two": 2], byNumber: [1: "a", 20: "b"], matrix: [[1, 2], [], [3]],
        shapes: [.circle(radius: 2.5), .label("hi", size: nil), .label("yo", size: 3), .empty], empty: [], emptyObject: [:])

    @Test func whatItWritesDecodesToTheSameValue() throws {
        let bytes = try JSONBytesEncoder.encode(Self.sample)
        #expect(try JSONDecoder().decode(Document.self, from: Data(bytes)) == Self.sample)
    }

    @Test(arguments: ["", "\"", "\"\"", "\"a\"", "a\\", "\n", "\u{0}x\u{1F}", "{\"raw\":\"webhook\",\"n\":[1,2]}", "sem escapes 🙂"])
    func aStringWithEscapesAnywhereReadsBackTheSame(_ text: String) throws {
        let bytes = try JSONBytesEncoder.encode([text])
        #expect(try JSONDecoder().decode([String].self, from: Data(bytes)) == [text])
    }

    @Test func itWritesTheSameJSONValueAsFoundation() throws {
        let ours = try JSONSerialization.jsonObject(with: Data(try JSONBytesEncoder.encode(Self.sample))) as? NSDictionary
        let theirs = try JSONSerialization.jsonObject(with: JSONEncoder().encode(Self.sample)) as? NSDictionary
        #expect(ours != nil && ours == theirs)
    }

    @Test func documentsWrittenByFoundationAndByUsReadTheSame() throws {
        // Stores written before this encoder hold JSONEncoder's bytes; both must decode alike.
        let old = try JSONDecoder().decode(Document.self, from: JSONEncoder().encode(Self.sample))
        let new = try JSONDecoder().decode(Document.self, from: Data(try JSONBytesEncoder.encode(Self.sample)))
        #expect(old == new)
    }

    @Test func topLevelScalarsAndArraysAreWrittenAsThemselves() throws {
        #expect(String(decoding: try JSONBytesEncoder.encode("a\"b"), as: UTF8.self) == #""a\"b""#)
        #expect(String(decoding: try JSONBytesEncoder.encode([1, 2, 3]), as: UTF8.self) == "[1,2,3]")
        #expect(String(decoding: try JSONBytesEncoder.encode(["k": [true]]), as: UTF8.self) == #"{"k":[true]}"#)
        #expect(String(decoding: try JSONBytesEncoder.encode(Inner(name: "n", tags: [], score: nil)), as: UTF8.self) == #"{"name":"n","tags":[]}"#)
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func aNonFiniteNumberIsRefusedNotWritten(_ value: Double) {
        #expect(throws: EncodingError.self) { try JSONBytesEncoder.encode(Inner(name: "n", tags: [], score: value)) }
    }

    /// A hand-written `encode(to:)` using nested containers and a superclass's encoder.
    struct Handwritten: Encodable {
        enum Keys: String, CodingKey { case a, nested, list, parent, after, merged }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(1, forKey: .a)
            var nested = c.nestedContainer(keyedBy: Keys.self, forKey: .nested)
            try nested.encode("x", forKey: .a)
            var list = c.nestedUnkeyedContainer(forKey: .list)
            try list.encode(1)
            var inner = list.nestedContainer(keyedBy: Keys.self)
            try inner.encode(true, forKey: .a)
            try list.encode(2)
            try Inner(name: "p", tags: [], score: nil).encode(to: c.superEncoder(forKey: .parent))
            try c.encode("done", forKey: .after)
            var again = encoder.container(keyedBy: Keys.self)     // merges with the first
            try again.encodeNil(forKey: .merged)
        }
    }

    @Test func nestedContainersAndSuperEncodersWriteInPlace() throws {
        let text = String(decoding: try JSONBytesEncoder.encode(Handwritten()), as: UTF8.self)
        #expect(text == #"{"a":1,"nested":{"a":"x"},"list":[1,{"a":true},2],"parent":{"name":"p","tags":[]},"after":"done","merged":null}"#)
    }

    struct Interleaved: Encodable {
        enum Keys: String, CodingKey { case a, b }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            var nested = c.nestedContainer(keyedBy: Keys.self, forKey: .a)
            try c.encode(1, forKey: .b)
            try nested.encode(2, forKey: .a)       // its parent has moved on: cannot be streamed
        }
    }

    @Test func aContainerUsedAfterItsSiblingIsAnErrorNotWrongJSON() {
        #expect(throws: EncodingError.self) { try JSONBytesEncoder.encode(Interleaved()) }
    }
}
