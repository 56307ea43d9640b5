import AtendeTesting
import Foundation
import Testing

/// The live socket on the real binary: the owner's session opens it, and SIGTERM still ends the
/// daemon promptly while a client that never answers holds it open.
@Suite(.serialized) struct ServeLiveTests {
    @Test func sigtermClosesAnOpenLiveSocketAndTheDaemonStillExitsCleanly() async throws {
        try await withServer { server in
            let cookie = try await ownerSessionCookie(server)
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

    /// Completes first-run setup with the link the server logged and returns the session cookie.
    private func ownerSessionCookie(_ server: RunningServer) async throws -> String {
        var token: String?
        for _ in 0..<100 where token == nil {
            if let range = server.child.errorOutput.range(of: #"setup\?token=[A-Za-z0-9_-]+"#, options: .regularExpression) {
                token = String(server.child.errorOutput[range].dropFirst("setup?token=".count))
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        let body = try JSONSerialization.data(withJSONObject: [
            "token": try #require(token, "no setup link logged"), "name": "Owner", "email": "owner@example.com",
            "password": "correct horse battery staple",
        ])
        let setup = try await httpRequest("\(server.baseURL)/api/v1/setup", method: "POST",
                                          headers: ["Content-Type": "application/json", "X-Atende-CSRF": "1"], body: body)
        #expect(setup.status == 201)
        let setCookie = try #require(setup.headers["set-cookie"])
        return String(setCookie.split(separator: ";")[0])
    }
}
