import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A provider played on a loopback port (Meta's Graph API, Twilio, an LLM): it records every
/// request and answers what the test scripted — a status, headers and body, after a delay if
/// asked (to make a client time out). Production code reaches it only through a configurable
/// base URL, as it would the real one.
public final class FakeProvider: Sendable {
    public struct Recorded: Sendable {
        public let method: String
        public let path: String
        public let query: String
        /// Header values by lower-case name.
        public let headers: [String: String]
        public let body: [UInt8]
        /// The client's TCP port: two requests with the same one came over one connection.
        public let clientPort: Int?
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public struct Answer: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: [UInt8]
        public var delay: Duration
        public init(status: Int = 200, headers: [String: String] = [:], body: String = "", delay: Duration = .zero) {
            (self.status, self.headers, self.body, self.delay) = (status, headers, Array(body.utf8), delay)
        }
        /// Binary answers (a media file).
        public init(status: Int = 200, headers: [String: String] = [:], bytes: [UInt8]) {
            (self.status, self.headers, self.body, self.delay) = (status, headers, bytes, .zero)
        }
        public static func json(_ body: String, status: Int = 200, headers: [String: String] = [:]) -> Answer {
            Answer(status: status, headers: headers.merging(["Content-Type": "application/json"]) { a, _ in a }, body: body)
        }
    }

    private let recorded = Mutex<[Recorded]>([])
    /// Answers given in order; the last one repeats.
    private let script = Mutex<[Answer]>([Answer()])
    /// When set, each answer is made from the request's number (0, 1, …) instead of the script.
    private let computed = Mutex<(@Sendable (Int) -> Answer)?>(nil)
    /// When set, each answer is made from the request itself (a provider with several endpoints).
    private let routed = Mutex<(@Sendable (Recorded) -> Answer)?>(nil)

    public init() {}

    public var requests: [Recorded] { recorded.withLock { $0 } }

    /// The answers to give, in order (the last one is repeated).
    public func answer(_ answers: Answer...) { script.withLock { $0 = answers.isEmpty ? [Answer()] : answers } }

    /// Answers each request with `make(n)`, n counting requests from 0 (a unique id per send).
    public func answer(computing make: @escaping @Sendable (Int) -> Answer) { computed.withLock { $0 = make } }

    /// Answers each request with `make(request)`: its method, path, query and body choose.
    public func answer(routing make: @escaping @Sendable (Recorded) -> Answer) { routed.withLock { $0 = make } }

    /// Runs the provider on a free loopback port for the length of `body`, which gets its base URL.
    public func run<R: Sendable>(_ body: @escaping @Sendable (String) async throws -> R) async throws -> R {
        let router = Router(context: ProviderContext.self)
        router.on("**", method: .get, use: respond)
        router.on("**", method: .post, use: respond)
        router.on("**", method: .delete, use: respond)
        router.on("**", method: .patch, use: respond)
        let (ports, listening) = AsyncStream.makeStream(of: Int.self)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in listening.yield(channel.localAddress?.port ?? 0) },
                              logger: Logger(label: "fake-provider", factory: { _ in SwiftLogNoOpLogHandler() }))
        let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "fake-provider", factory: { _ in SwiftLogNoOpLogHandler() })))
        return try await withThrowingTaskGroup(of: R?.self) { tasks in
            tasks.addTask { try await group.run(); return nil }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw FakeProviderError() }
            do {
                let result = try await body("http://127.0.0.1:\(port)")
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                tasks.cancelAll()
                throw error
            }
        }
    }

    @Sendable private func respond(_ request: Request, context: ProviderContext) async throws -> Response {
        let body = try await request.body.collect(upTo: 16 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let seen = Recorded(method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
                            headers: headers, body: Array(buffer: body), clientPort: context.clientPort)
        let number = recorded.withLock {
            $0.append(seen)
            return $0.count - 1
        }
        let answer = routed.withLock { $0 }?(seen) ?? computed.withLock { $0 }?(number)
            ?? script.withLock { answers -> Answer in answers.count > 1 ? answers.removeFirst() : answers[0] }
        if answer.delay > .zero { try await Task.sleep(for: answer.delay) }
        var fields = HTTPFields()
        for (name, value) in answer.headers { if let name = HTTPField.Name(name) { fields[name] = value } }
        return Response(status: .init(code: answer.status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
}

struct FakeProviderError: Error {}

/// A request context that remembers the client's port (to tell connections apart).
struct ProviderContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let clientPort: Int?
    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientPort = source.channel.remoteAddress?.port
    }
}
