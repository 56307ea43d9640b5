import Foundation

/// Finds the first key that appears twice in one JSON object, anywhere in a document.
///
/// Foundation's decoders keep one of two equal keys without a word, so `{"role":"admin",
/// "role":"agent"}` meant whatever the decoder picked while a proxy, a log or a reviewer may read
/// the other (issue 8). RFC 8259 §4 leaves such objects' meaning open; we refuse them. Run it on
/// a body that already parsed as JSON: it walks the bytes once and only tracks keys, so it needs
/// no tree of its own. Keys are compared as Swift strings after unescaping (so `"r\u006fle"` is
/// `"role"`, as the decoder sees it).
enum DuplicateKeyScan {
    private enum Frame {
        case object(keys: Set<String>, expectingKey: Bool)
        case array
    }

    /// The first repeated key, or nil.
    static func firstDuplicate(in bytes: some Collection<UInt8>) -> String? {
        let bytes = Array(bytes)
        var stack: [Frame] = []
        var i = 0
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "{"): stack.append(.object(keys: [], expectingKey: true))
            case UInt8(ascii: "["): stack.append(.array)
            case UInt8(ascii: "}"), UInt8(ascii: "]"): _ = stack.popLast()
            case UInt8(ascii: ","), UInt8(ascii: ":"):
                if case .object(let keys, _)? = stack.last {
                    stack[stack.count - 1] = .object(keys: keys, expectingKey: bytes[i] == UInt8(ascii: ","))
                }
            case UInt8(ascii: "\""):
                let start = i
                var escaped = false
                i += 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "\"") || escaped {
                    escaped = !escaped && bytes[i] == UInt8(ascii: "\\")
                    i += 1
                }
                guard case .object(var keys, true)? = stack.last else { break }
                let key = decodeString(bytes[start...min(i, bytes.count - 1)])
                guard keys.insert(key).inserted else { return key }
                stack[stack.count - 1] = .object(keys: keys, expectingKey: false)
            default: break
            }
            i += 1
        }
        return nil
    }

    /// A quoted JSON string's value; raw bytes when it has no escapes.
    private static func decodeString(_ quoted: ArraySlice<UInt8>) -> String {
        guard quoted.contains(UInt8(ascii: "\\")) else { return String(decoding: quoted.dropFirst().dropLast(), as: UTF8.self) }
        return (try? JSONSerialization.jsonObject(with: Data(quoted), options: .fragmentsAllowed) as? String)
            ?? String(decoding: quoted, as: UTF8.self)
    }
}
