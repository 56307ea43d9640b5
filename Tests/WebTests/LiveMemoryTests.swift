import AtendeTesting
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import NIOEmbedded
import Testing
import Web

/// Issue 8, #4: a closed live socket must give back what it held. RSS is not asserted here (the
/// figures are `bench/hardening/live_rss.py`'s); what is checked is that nothing keeps the
/// connection alive once it closed.
@Suite struct LiveMemoryTests {
    /// The WebSocket router keeps the accepted upgrade's handler, with a copy of the request
    /// context, inside the context's own `webSocket` reference. Before `WebSocketSlot` that cycle
    /// kept every upgraded connection's channel (pipeline, buffers, logger) forever.
    @Test func anAcceptedUpgradeLetsGoOfItsChannelOnceTheConnectionCloses() async throws {
        weak var released: EmbeddedChannel?
        try await {
            let channel = EmbeddedChannel()
            released = channel
            let router = Router(context: AtendeContext.self)
            router.ws("/live") { _, _ in .upgrade([:]) } onUpgrade: { _, _, _ in }
            let request = Request(head: HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1", path: "/live"),
                                  body: .init(buffer: ByteBuffer()))
            let context = AtendeContext(source: .init(channel: channel, logger: .quiet))
            let response = try await router.buildResponder().respond(to: request, context: context)
            #expect(response.status == .ok)      // accepted: the handler and the context are stored
            try await channel.close()
            channel.embeddedEventLoop.run()
        }()
        #expect(released == nil, "the closed connection's channel is still referenced")
    }

    /// A plain request never makes the reference, so it registers nothing on its connection.
    @Test func aPlainRequestLeavesNothingOnItsConnection() async throws {
        weak var released: EmbeddedChannel?
        try await {
            let channel = EmbeddedChannel()
            released = channel
            let router = Router(context: AtendeContext.self)
            router.get("/plain") { _, _ in "ok" }
            let request = Request(head: HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1", path: "/plain"),
                                  body: .init(buffer: ByteBuffer()))
            let response = try await router.buildResponder()
                .respond(to: request, context: AtendeContext(source: .init(channel: channel, logger: .quiet)))
            #expect(response.status == .ok)
            try await channel.close()
            channel.embeddedEventLoop.run()
        }()
        #expect(released == nil)
    }
}
