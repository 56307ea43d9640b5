import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP client that speaks HTTP/1.1 by hand, for tests of what a library client never
/// sends: slow bodies, malformed heads, many connections from chosen loopback addresses.
///
/// Like `RawWebSocket`, every blocking call runs on the connection's own dispatch queue, never on
/// a Swift concurrency thread, and every read is bounded by the socket timeout.
public final class RawHTTPConnection: @unchecked Sendable {
    // @unchecked: `fd`, `buffer` and `closed` are touched only on `queue`.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// A response as read off the wire.
    public struct Response: Sendable {
        public let status: Int
        public let headers: [String: String]
        public let body: String
        /// The `code` of a JSON error body, if it is one.
        public var errorCode: String? { json?["error"].flatMap { $0 as? [String: Any] }?["code"] as? String }
        public var requestID: String? { json?["error"].flatMap { $0 as? [String: Any] }?["request_id"] as? String }
        public var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] }
    }

    private let fd: Int32
    private let queue = DispatchQueue(label: "atende.test.raw-http")
    private var buffer: [UInt8] = []
    private var closed = false

    private init(fd: Int32) { self.fd = fd }

    deinit { if !closed { Glibc.close(fd) } }

    /// Connects to `127.0.0.1:port` from `source` (any 127.0.0.0/8 address on Linux, so a test
    /// can play several clients that are not the trusted proxy 127.0.0.1).
    public static func connect(port: Int, from source: String = "127.0.0.1", timeout: Double = 5) async throws -> RawHTTPConnection {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        let connection = RawHTTPConnection(fd: fd)
        connection.setTimeout(timeout)
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_addr.s_addr = inet_addr(source)
        var remote = sockaddr_in()
        remote.sin_family = sa_family_t(AF_INET)
        remote.sin_port = in_port_t(UInt16(port).bigEndian)
        remote.sin_addr.s_addr = inet_addr("127.0.0.1")
        let (from, to) = (local, remote)
        let result = await connection.queue.perform { () -> Int32 in
            let bound = withUnsafePointer(to: from) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else { return -errno }
            let connected = withUnsafePointer(to: to) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            return connected == 0 ? 0 : -errno
        }
        guard result == 0 else { throw Failure(description: "connect from \(source) to port \(port) failed: errno \(-result)") }
        return connection
    }

    /// How long a read (or send) may wait.
    public func setTimeout(_ seconds: Double) {
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - floor(seconds)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Sends `text`; false when the server has closed the connection.
    @discardableResult
    public func send(_ text: String) async -> Bool { await send(Array(text.utf8)) }

    @discardableResult
    public func send(_ bytes: [UInt8]) async -> Bool {
        await queue.perform {
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { Glibc.send(self.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard n > 0 else { return false }
                offset += n
            }
            return true
        }
    }

    /// The next response; nil when the server closed without sending one. Throws on timeout.
    public func readResponse() async throws -> Response? {
        try await queue.perform { try self.readResponseOnQueue() }
    }

    /// Whether the server ends the connection within the socket timeout (data before the end
    /// is read and dropped).
    public func isClosedByServer() async -> Bool {
        await queue.perform {
            while true {
                guard let more = try? self.fill() else { return false }     // timed out: still open
                if !more { return true }
                self.buffer.removeAll()
            }
        }
    }

    public func close() {
        queue.sync {
            guard !closed else { return }
            closed = true
            Glibc.close(fd)
        }
    }

    // MARK: on the queue

    /// Reads more bytes into `buffer`; false at end of stream (or reset).
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n == 0 { return false }
        if n < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK { throw Failure(description: "timed out waiting for the server") }
            if errno == ECONNRESET { return false }
            throw Failure(description: "recv failed: errno \(errno)")
        }
        buffer += chunk[..<n]
        return true
    }

    private func readResponseOnQueue() throws -> Response? {
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while headEnd == nil {
            headEnd = buffer.count < 4 ? nil : buffer.indices.dropLast(3).first { buffer[$0] == 13 && Array(buffer[$0..<$0 + 4]) == end }
            if headEnd == nil {
                guard try fill() else {
                    if buffer.isEmpty { return nil }
                    throw Failure(description: "the server closed mid-head: \(String(decoding: buffer, as: UTF8.self))")
                }
            }
        }
        let head = String(decoding: buffer[..<headEnd!], as: UTF8.self)
        buffer.removeFirst(headEnd! + 4)
        let lines = head.components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ").dropFirst().first ?? "") ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() where line.contains(":") {
            let parts = line.split(separator: ":", maxSplits: 1)
            headers[parts[0].lowercased()] = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        }
        let length = headers["content-length"].flatMap { Int($0) } ?? 0
        while buffer.count < length { guard try fill() else { break } }
        let body = String(decoding: buffer.prefix(length), as: UTF8.self)
        buffer.removeFirst(min(length, buffer.count))
        return Response(status: status, headers: headers, body: body)
    }
}

/// An HTTP/1.1 request head as text, with `Host`.
public func rawRequestHead(_ method: String, _ path: String, _ headers: [(String, String)] = []) -> String {
    var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    for (name, value) in headers { text += "\(name): \(value)\r\n" }
    return text + "\r\n"
}
