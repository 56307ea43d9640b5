import Foundation

/// One part of a `multipart/form-data` body, as the fake Graph API received it (the media
/// upload of wire-protocols.md §2.8: `messaging_product`, `type` and `file` parts).
public struct FormPart: Sendable, Equatable {
    public let name: String
    public let filename: String?
    public let contentType: String?
    public let bytes: [UInt8]
    public var text: String { String(decoding: bytes, as: UTF8.self) }
    public init(name: String, filename: String?, contentType: String?, bytes: [UInt8]) {
        (self.name, self.filename, self.contentType, self.bytes) = (name, filename, contentType, bytes)
    }
}

extension FakeProvider.Recorded {
    /// The parts of a `multipart/form-data` request, in order; nil when the request is not one or
    /// does not follow RFC 7578's framing (CRLF lines, a closing boundary).
    public var formParts: [FormPart]? {
        guard let type = headers["content-type"], type.lowercased().hasPrefix("multipart/form-data"),
              let range = type.range(of: "boundary=") else { return nil }
        let boundary = String(type[range.upperBound...]).trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [FormPart] = []
        var index = 0
        guard body.starts(with: delimiter) else { return nil }
        index = delimiter.count
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if body[index...].starts(with: Array("--".utf8)) { return parts }
            guard body[index...].starts(with: [13, 10]) else { return nil }
            index += 2
            guard let headEnd = find([13, 10, 13, 10], from: index) else { return nil }
            let head = String(decoding: body[index..<headEnd], as: UTF8.self)
            let contentStart = headEnd + 4
            guard let next = find([13, 10] + delimiter, from: contentStart) else { return nil }
            var name: String?, filename: String?, contentType: String?
            for line in head.components(separatedBy: "\r\n") {
                let lower = line.lowercased()
                if lower.hasPrefix("content-disposition:") {
                    name = Self.parameter("name", in: line)
                    filename = Self.parameter("filename", in: line)
                } else if lower.hasPrefix("content-type:") {
                    contentType = line.dropFirst("content-type:".count).trimmingCharacters(in: .whitespaces)
                }
            }
            guard let name else { return nil }
            parts.append(FormPart(name: name, filename: filename, contentType: contentType, bytes: Array(body[contentStart..<next])))
            index = next + 2 + delimiter.count
        }
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard needle.count <= body.count else { return nil }
        var i = start
        while i + needle.count <= body.count {
            if body[i] == needle[0], Array(body[i..<(i + needle.count)]) == needle { return i }
            i += 1
        }
        return nil
    }

    private static func parameter(_ key: String, in line: String) -> String? {
        guard let range = line.range(of: "; \(key)=\"") else { return nil }
        let rest = line[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}
