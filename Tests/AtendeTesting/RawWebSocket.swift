import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A deliberately small WebSocket client over a plain TCP socket, for tests of the live endpoint.
///
/// A library client hides exactly what these tests look at: it answers pings by itself, reads
/// eagerly (so it cannot play a client that stopped reading), and may not surface frames that
/// arrive right behind the 101 or just before the server closes. This one does only what it is
/// told. Every blocking call runs on the client's own dispatch queue, never on a Swift
/// concurrency thread (the server under test needs those), and every read is bounded by a
/// timeout, so a test can fail but never hang.
public final class RawWebSocket: @unchecked Sendable {
    // @unchecked: `fd` and `buffer` are touched only on `queue`.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// The server's answer to the upgrade request.
    public struct Handshake: Sendable {
        public let status: Int
        public let headers: [String: String]
        /// The body, for refusals (`Content-Length` bytes, if the server sent them).
        public let body: String
    }

    public enum Frame: Sendable, Equatable {
        case text(String)
        case binary([UInt8])
        case ping([UInt8])
        case pong([UInt8])
        /// A close frame: its code (nil when it had none) and reason.
        case close(code: UInt16?, reason: String)
    }

    private let fd: Int32
    private let queue = DispatchQueue(label: "atende.test.raw-websocket")
    private var buffer: [UInt8] = []
    private var closed = false

    private init(fd: Int32) { self.fd = fd }

    deinit { if !closed { Glibc.close(fd) } }

    /// Connects to `127.0.0.1:port`, sends the upgrade request for `path` with `headers`, and
    /// returns the server's answer and — when it is 101 — the open socket.
    ///
    /// - Parameter receiveBuffer: A small `SO_RCVBUF`, for a client that reads slowly.
    public static func connect(port: Int, path: String, headers: [(String, String)] = [],
                               receiveBuffer: Int32? = nil, timeout: Double = 30) async throws -> (RawWebSocket?, Handshake) {
        let client = try await openTCP(port: port, receiveBuffer: receiveBuffer, timeout: timeout)
        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        request += "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        try await client.send(Array(request.utf8))
        let handshake = try await client.readHandshake()
        return (handshake.status == 101 ? client : nil, handshake)
    }

    /// A TCP connection that has sent nothing (for tests of idle, never-used connections).
    public static func openIdle(port: Int, timeout: Double = 5) async throws -> RawWebSocket {
        try await openTCP(port: port, receiveBuffer: nil, timeout: timeout)
    }

    /// Whether the server ends the connection (end of stream) before the read timeout.
    public func endsWithoutData() async throws -> Bool {
        try await queue.perform { try self.take(1) == nil }
    }

    private static func openTCP(port: Int, receiveBuffer: Int32?, timeout: Double) async throws -> RawWebSocket {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket() failed: errno \(errno)") }
        let client = RawWebSocket(fd: fd)
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - floor(timeout)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let target = address
        let connected = await client.queue.perform {
            withUnsafePointer(to: target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard connected == 0 else { throw Failure("connect to port \(port) failed: errno \(errno)") }
        return client
    }

    /// Sends a text message in one masked frame.
    public func send(text: String) async throws { try await send(frame: 0x1, payload: Array(text.utf8)) }

    /// Sends a pong echoing `payload`.
    public func sendPong(_ payload: [UInt8]) async throws { try await send(frame: 0xA, payload: payload) }

    /// Sends a close frame with `code`.
    public func sendClose(code: UInt16 = 1000) async throws {
        try await send(frame: 0x8, payload: [UInt8(code >> 8), UInt8(code & 0xFF)])
    }

    /// The next frame, waiting at most the socket's timeout; nil when the server closed the
    /// connection (end of stream).
    public func nextFrame() async throws -> Frame? {
        try await queue.perform { try self.readFrame() }
    }

    /// The next text or close frame; pings are answered (when `answeringPings`) and skipped.
    /// The pong is sent from the client's own queue as soon as the ping is read, not after a
    /// return to the caller's task: on a loaded 2-core machine the test's tasks can wait longer
    /// than a ping interval for a thread, and the server would rightly drop a client whose pong
    /// waited with them.
    public func nextMessage(answeringPings: Bool = true) async throws -> Frame? {
        try await queue.perform {
            while let frame = try self.readFrame() {
                switch frame {
                case .ping(let payload): if answeringPings { try self.write(Self.frame(0xA, payload: payload)) }
                case .pong: continue
                default: return frame
                }
            }
            return nil
        }
    }

    /// The next text message decoded as a JSON object; fails on anything else.
    public func nextJSON() async throws -> [String: Any] {
        let frame = try await nextMessage()
        guard case .text(let text)? = frame,
              let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw Failure("expected a JSON text message, got \(String(describing: frame))")
        }
        return object
    }

    /// Reads until the server's close frame and returns its code, skipping (and answering)
    /// what comes before; nil if the connection ended without one.
    public func closeCode() async throws -> UInt16? {
        while let frame = try await nextMessage() {
            if case .close(let code, _) = frame { return code }
        }
        return nil
    }

    /// Closes the socket without a closing handshake (a client that vanished).
    public func drop() {
        queue.sync {
            guard !closed else { return }
            closed = true
            Glibc.close(fd)
        }
    }

    // MARK: on the queue

    private func send(_ bytes: [UInt8]) async throws {
        try await queue.perform { try self.write(bytes) }
    }

    private func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw Failure("send failed: errno \(errno)") }
            offset += n
        }
    }

    private func send(frame opcode: UInt8, payload: [UInt8]) async throws {
        try await send(Self.frame(opcode, payload: payload))
    }

    /// One final, masked frame (a client's frames are masked, RFC 6455 §5.3).
    private static func frame(_ opcode: UInt8, payload: [UInt8]) -> [UInt8] {
        var frame: [UInt8] = [0x80 | opcode]
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        switch payload.count {
        case ..<126: frame.append(0x80 | UInt8(payload.count))
        case ..<65536: frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        default: frame.append(0x80 | 127); frame += (0..<8).reversed().map { UInt8((UInt64(payload.count) >> (8 * UInt64($0))) & 0xFF) }
        }
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        return frame
    }

    /// Reads more bytes into `buffer`; false at end of stream.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n == 0 { return false }
        if n < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK { throw Failure("timed out waiting for the server") }
            if errno == ECONNRESET { return false }
            throw Failure("recv failed: errno \(errno)")
        }
        buffer += chunk[..<n]
        return true
    }

    private func take(_ count: Int) throws -> [UInt8]? {
        while buffer.count < count { guard try fill() else { return nil } }
        let bytes = Array(buffer[..<count])
        buffer.removeFirst(count)
        return bytes
    }

    private func readHandshake() async throws -> Handshake {
        try await queue.perform {
            let end: [UInt8] = Array("\r\n\r\n".utf8)
            var headerEnd: Int?
            while headerEnd == nil {
                headerEnd = self.buffer.indices.dropLast(3).first { Array(self.buffer[$0..<$0 + 4]) == end }
                if headerEnd == nil { guard try self.fill() else { throw Failure("the server closed before answering") } }
            }
            let head = String(decoding: try self.take(headerEnd! + 4)!, as: UTF8.self)
            let lines = head.components(separatedBy: "\r\n")
            let status = Int(lines[0].split(separator: " ").dropFirst().first ?? "") ?? 0
            var headers: [String: String] = [:]
            for line in lines.dropFirst() where line.contains(":") {
                let parts = line.split(separator: ":", maxSplits: 1)
                headers[parts[0].lowercased()] = parts[1].trimmingCharacters(in: .whitespaces)
            }
            var body = ""
            if status != 101, let length = headers["content-length"].flatMap({ Int($0) }), length > 0,
               let bytes = try self.take(length) {
                body = String(decoding: bytes, as: UTF8.self)
            }
            return Handshake(status: status, headers: headers, body: body)
        }
    }

    private func readFrame() throws -> Frame? {
        guard let header = try take(2) else { return nil }
        let opcode = header[0] & 0x0F
        var length = UInt64(header[1] & 0x7F)
        if length == 126 {
            guard let bytes = try take(2) else { return nil }
            length = UInt64(bytes[0]) << 8 | UInt64(bytes[1])
        } else if length == 127 {
            guard let bytes = try take(8) else { return nil }
            length = bytes.reduce(0) { $0 << 8 | UInt64($1) }
        }
        guard header[1] & 0x80 == 0 else { throw Failure("the server masked a frame (RFC 6455 §5.1 forbids it)") }
        guard let payload = try take(Int(length)) else { return nil }
        switch opcode {
        case 0x1: return .text(String(decoding: payload, as: UTF8.self))
        case 0x2: return .binary(payload)
        case 0x8:
            let code = payload.count >= 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : nil
            return .close(code: code, reason: String(decoding: payload.dropFirst(2), as: UTF8.self))
        case 0x9: return .ping(payload)
        case 0xA: return .pong(payload)
        default: throw Failure("unexpected opcode \(opcode)")
        }
    }
}
