import AtendeTesting
import Foundation
import Testing

/// The live socket on the real binary: the owner's session opens it, and SIGTERM still ends the
/// daemon promptly while a client that never answers holds it open.
@Suite(.serialized) struct ServeLiveTests {
    @Test func sigtermClosesAnOpenLiveSocketAndTheDaemonStillExitsCleanly() async throws {
        try await withServer { server in
            let cookie = try await server.ownerSessionCookie()
            let (socket, handshake) = try await RawWebSocket.connect(port: server.port, path: "/api/v1/live",
                                                                    headers: [("Cookie", cookie), ("Origin", server.baseURL)])
            let live = try #require(socket, "upgrade refused: \(handshake.status)")
            guard case .text(let hello)? = try await live.nextMessage() else { Issue.record("no hello"); return }
            #expect(hello.contains(#""type":"hello""#))

            let started = ContinuousClock.now
            server.child.signal(SIGTERM)
            // The server says goodbye (1000 or 1001); this client never answers the close.
            let code = try await live.closeCode()
            #expect(code == 1000 || code == 1001, "close code \(String(describing: code))")
            #expect(try await server.child.wait(timeout: .seconds(30)) == 0)
            #expect(ContinuousClock.now - started < .seconds(20))
        }
    }

    @Test func aConnectionThatNeverSendsARequestDoesNotHoldUpSIGTERM() async throws {
        try await withServer { server in
            let idle = try await RawWebSocket.openIdle(port: server.port)
            try await Task.sleep(for: .milliseconds(200))       // accepted and set up by the server
            server.child.signal(SIGTERM)
            #expect(try await server.child.wait(timeout: .seconds(15)) == 0)
            _ = idle
        }
    }
}
