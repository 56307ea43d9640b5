import CCurl
import Foundation
import Synchronization

/// A request for `CurlClient`.
public struct OutboundRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?
    /// The whole exchange's deadline; the client's default when nil.
    public var timeout: Duration?

    public init(method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil,
                timeout: Duration? = nil) {
        (self.method, self.url, self.headers, self.body, self.timeout) = (method, url, headers, body, timeout)
    }
}

/// What came back: the status, the headers (names in lower case; the last of a repeated one),
/// and the body.
public struct OutboundResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]
    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// The one outbound HTTP client (ARCHITECTURE.md: libcurl, wrapped once): every provider call —
/// Graph API, Twilio, LLM providers — goes through it.
///
/// - Timeouts: connecting and the whole exchange, each bounded; a cancelled task aborts its
///   transfer within about a second (curl's progress callback).
/// - Connections are reused: finished easy handles go back to a pool, and each keeps its
///   connection cache, so the next request to the same host skips TCP and TLS set-up.
/// - Bounded: at most `maxConcurrent` transfers at once (each blocks one thread), responses at most
///   `maxResponseBytes`; no redirects are followed; only http and https.
/// - Never logs, and its errors name the URL without its query (where signed-URL secrets live),
///   never a header: a bearer token cannot leak through it.
public final class CurlClient: Sendable {
    public struct Configuration: Sendable {
        public var connectTimeout: Duration = .seconds(5)
        public var timeout: Duration = .seconds(30)
        public var maxResponseBytes = 16 << 20
        public var maxConcurrent = 16
        public var userAgent = "atende"
        public init() {}
    }

    public let configuration: Configuration
    private let idle = Mutex<[EasyHandle]>([])
    private let slots: AsyncSlots

    public init(configuration: Configuration = Configuration()) {
        _ = Self.globalInit
        self.configuration = configuration
        slots = AsyncSlots(configuration.maxConcurrent)
    }

    /// curl_global_init once per process (thread-safe in libcurl ≥ 7.84, which Debian 12 has).
    private static let globalInit: Void = { _ = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// Sends `request` and returns the response, whatever its status.
    /// - Throws: `ChannelError` with `.timeout`, `.unreachable`, `.responseTooLarge`, `.cancelled`
    ///   or `.transport`.
    public func send(_ request: OutboundRequest) async throws(ChannelError) -> OutboundResponse {
        await slots.acquire()
        defer { slots.release() }
        let handle = idle.withLock { $0.popLast() } ?? EasyHandle()
        guard let handle else { throw ChannelError(.transport, "libcurl could not make a handle") }
        let transfer = Transfer(limit: configuration.maxResponseBytes)
        let configuration = self.configuration
        let result: Result<OutboundResponse, ChannelError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                handle.queue.async {
                    continuation.resume(returning: handle.perform(request, transfer: transfer, configuration: configuration))
                }
            }
        } onCancel: {
            transfer.cancel()
        }
        idle.withLock { $0.append(handle) }
        return try result.get()
    }
}

/// Limits how many transfers run at once; waiters are served in order.
final class AsyncSlots: Sendable {
    private let state: Mutex<(free: Int, waiters: [CheckedContinuation<Void, Never>])>
    init(_ count: Int) { state = Mutex((max(1, count), [])) }

    func acquire() async {
        await withCheckedContinuation { continuation in
            let now = state.withLock { s -> Bool in
                if s.free > 0 { s.free -= 1; return true }
                s.waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    func release() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if s.waiters.isEmpty { s.free += 1; return nil }
            return s.waiters.removeFirst()
        }
        next?.resume()
    }
}

/// What the callbacks of one transfer fill in. Touched by curl's thread during the transfer and
/// by the caller after it; `cancelled` may be set from any thread (an atomic).
final class Transfer: @unchecked Sendable {
    let limit: Int
    var body: [UInt8] = []
    var headers: [String: String] = [:]
    var tooLarge = false
    let cancelled = Atomic<Bool>(false)
    init(limit: Int) { self.limit = limit }
    func cancel() { cancelled.store(true, ordering: .relaxed) }
}

/// One libcurl easy handle. Used by one transfer at a time (taken from and returned to the pool
/// under a lock), which is why it may cross threads: `@unchecked Sendable`.
final class EasyHandle: @unchecked Sendable {
    /// libcurl's `CURL *` (a `void *` typedef, so it imports as a raw pointer).
    let handle: UnsafeMutableRawPointer
    /// Where its blocking transfers run. A serial queue of its own gets a thread of its own
    /// (GCD overcommits for serial queues), so slow providers never starve the shared
    /// concurrent pool, which is only as wide as the machine has cores.
    let queue = DispatchQueue(label: "atende.curl.transfer")

    init?() {
        guard let handle = curl_easy_init() else { return nil }
        self.handle = handle
    }

    deinit { curl_easy_cleanup(handle) }

    func perform(_ request: OutboundRequest, transfer: Transfer, configuration: CurlClient.Configuration) -> Result<OutboundResponse, ChannelError> {
        let place = Self.redacted(request.url)
        guard let scheme = URL(string: request.url)?.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            return .failure(ChannelError(.transport, "\(place) is not an http(s) URL"))
        }
        curl_easy_reset(handle)                       // options only: the connection cache stays
        var headerList: UnsafeMutablePointer<curl_slist>?
        // An empty Expect: stops curl from waiting for 100-continue before larger bodies.
        for line in request.headers.map({ "\($0.name): \($0.value)" }) + ["Expect:"] {
            headerList = curl_slist_append(headerList, line)
        }
        defer { curl_slist_free_all(headerList) }
        let unmanaged = Unmanaged.passRetained(transfer)
        defer { unmanaged.release() }
        let context = unmanaged.toOpaque()
        let timeout = request.timeout ?? configuration.timeout
        var codes: [CURLcode] = [
            atende_curl_setopt_string(handle, CURLOPT_URL, request.url),
            atende_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1),
            atende_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(Self.milliseconds(configuration.connectTimeout))),
            atende_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int(Self.milliseconds(timeout))),
            atende_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0),
            atende_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https"),
            atende_curl_setopt_string(handle, CURLOPT_USERAGENT, configuration.userAgent),
            atende_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList),
            atende_curl_setopt_write(handle, CURLOPT_WRITEFUNCTION, curlWriteBody),
            atende_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context),
            atende_curl_setopt_write(handle, CURLOPT_HEADERFUNCTION, curlWriteHeader),
            atende_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context),
            atende_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0),
            atende_curl_setopt_progress(handle, curlProgress),
            atende_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, context),
        ]
        let method = request.method.uppercased()
        switch (method, request.body) {
        case ("GET", nil): codes.append(atende_curl_setopt_long(handle, CURLOPT_HTTPGET, 1))
        case ("HEAD", _): codes.append(atende_curl_setopt_long(handle, CURLOPT_NOBODY, 1))
        default:
            if method != "POST" { codes.append(atende_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, method)) }
            let body = request.body ?? []
            codes.append(atende_curl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, body.count))
            codes.append(body.withUnsafeBytes { raw in
                // COPYPOSTFIELDS copies POSTFIELDSIZE bytes now, so the buffer may go after this call.
                atende_curl_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!))
            })
        }
        if let failed = codes.first(where: { $0 != CURLE_OK }) {
            return .failure(ChannelError(.transport, "\(place): libcurl refused an option: \(Self.describe(failed))"))
        }
        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else {
            if transfer.cancelled.load(ordering: .relaxed) { return .failure(ChannelError(.cancelled, "\(place): cancelled")) }
            if transfer.tooLarge {
                return .failure(ChannelError(.responseTooLarge, "\(place): the response is larger than \(transfer.limit) bytes"))
            }
            switch code {
            case CURLE_OPERATION_TIMEDOUT:
                return .failure(ChannelError(.timeout, "\(place): no complete answer within \(timeout)"))
            case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
                return .failure(ChannelError(.unreachable, "\(place): \(Self.describe(code))"))
            default:
                return .failure(ChannelError(.transport, "\(place): \(Self.describe(code))"))
            }
        }
        var status = 0
        _ = atende_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return .success(OutboundResponse(status: status, headers: transfer.headers, body: transfer.body))
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        max(1, duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }

    static func describe(_ code: CURLcode) -> String { String(cString: curl_easy_strerror(code)) }

    /// The URL without its query and fragment: signed URLs carry secrets there.
    static func redacted(_ url: String) -> String {
        String(url.prefix { $0 != "?" && $0 != "#" }.prefix(200))
    }
}

// The C callbacks: curl calls them on the thread of `curl_easy_perform`, with the Transfer as
// their user data. Returning a count other than the one given aborts the transfer.

private let curlWriteBody: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = { data, size, count, user in
    guard let user else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(user).takeUnretainedValue()
    let length = size * count
    guard transfer.body.count + length <= transfer.limit else { transfer.tooLarge = true; return 0 }
    if let data { transfer.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length)) }
    return length
}

private let curlWriteHeader: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = { data, size, count, user in
    guard let user, let data else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(user).takeUnretainedValue()
    let length = size * count
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    if line.hasPrefix("HTTP/") {
        transfer.headers = [:]                // a new response (after a 100 Continue): start over
    } else if let colon = line.firstIndex(of: ":") {
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        transfer.headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
    }
    return length
}

private let curlProgress: @convention(c) (UnsafeMutableRawPointer?, curl_off_t, curl_off_t, curl_off_t, curl_off_t) -> Int32 = { user, _, _, _, _ in
    guard let user else { return 0 }
    return Unmanaged<Transfer>.fromOpaque(user).takeUnretainedValue().cancelled.load(ordering: .relaxed) ? 1 : 0
}
