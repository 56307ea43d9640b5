import Foundation

extension WhatsAppClient {
    /// Uploads a file for the business number `phoneNumberID` (wire-protocols.md §2.8):
    /// `POST {graph}/{version}/{phone-number-id}/media`, a multipart form with
    /// `messaging_product=whatsapp`, `type=<mime>` and `file` (its filename and the part's
    /// Content-Type = the mime type). Returns the media id to send with. A refusal maps through
    /// the one table (`GraphError`): 131053 (the file is not what its type says) fails, 5xx and
    /// no answer are retried.
    public func uploadMedia(_ bytes: [UInt8], mimeType: String, filename: String, from phoneNumberID: String,
                            token: String) async -> Result<String, SendFailure> {
        let form = MultipartForm(boundary: "atende-\(UUID().uuidString.lowercased())")
        let body = form.encode([
            .init(name: "messaging_product", value: "whatsapp"),
            .init(name: "type", value: mimeType),
            .init(name: "file", filename: filename, contentType: mimeType, bytes: bytes),
        ])
        let answer: [UInt8]
        switch await post(body, to: "media", contentType: form.contentType, from: phoneNumberID, token: token) {
        case .success(let bytes): answer = bytes
        case .failure(let failure): return .failure(failure)
        }
        guard let root = (try? JSONSerialization.jsonObject(with: Data(answer))) as? [String: Any],
              let id = JSON.string(root["id"]), !id.isEmpty else {
            return .failure(SendFailure(.rejected, .fail, message: "the provider answered the upload without a media id"))
        }
        return .success(id)
    }
}

/// A `multipart/form-data` body (RFC 7578): text fields and files, in order.
public struct MultipartForm: Sendable {
    public struct Part: Sendable {
        public var name: String
        public var filename: String?
        public var contentType: String?
        public var bytes: [UInt8]
        public init(name: String, value: String) { (self.name, filename, contentType, bytes) = (name, nil, nil, Array(value.utf8)) }
        public init(name: String, filename: String, contentType: String, bytes: [UInt8]) {
            (self.name, self.filename, self.contentType, self.bytes) = (name, filename, contentType, bytes)
        }
    }

    public let boundary: String
    public init(boundary: String) { self.boundary = boundary }

    public var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    public func encode(_ parts: [Part]) -> [UInt8] {
        var out: [UInt8] = []
        for part in parts {
            var head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(Self.quoted(part.name))\""
            if let filename = part.filename { head += "; filename=\"\(Self.quoted(filename))\"" }
            head += "\r\n"
            if let contentType = part.contentType { head += "Content-Type: \(contentType)\r\n" }
            head += "\r\n"
            out += Array(head.utf8)
            out += part.bytes
            out += Array("\r\n".utf8)
        }
        out += Array("--\(boundary)--\r\n".utf8)
        return out
    }

    /// A header parameter value: quotes, backslashes and line breaks cannot end it early.
    static func quoted(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0 != "\"" && $0 != "\\" && $0 != "\r" && $0 != "\n" && $0.value >= 0x20 }.map(Character.init))
    }
}
