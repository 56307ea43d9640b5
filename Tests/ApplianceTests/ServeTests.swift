import AtendeTesting
import Foundation
import Testing

/// `atende serve` as an operator runs it: the real binary on a loopback port.
@Suite(.serialized) struct ServeTests {
    @Test func serveAnswersHealthReadinessAndMetricsThenStopsCleanlyOnSIGTERM() async throws {
        try await withServer { server in
            let health = try await httpRequest("\(server.baseURL)/healthz")
            #expect(health.status == 200)
            let ready = try await httpRequest("\(server.baseURL)/readyz")
            #expect(ready.status == 200)
            // /metrics needs an Admin or Manager token unless metrics_public is set.
            #expect(try await httpRequest("\(server.baseURL)/metrics").status == 401)
            let metrics = try await httpRequest("\(server.baseURL)/metrics", headers: ["Authorization": "Bearer \(try await server.adminToken())"])
            let text = String(decoding: metrics.body, as: UTF8.self)
            #expect(metrics.status == 200)
            #expect(text.contains("atende_store_commits_total"))
            #expect(text.contains("atende_store_map_size_bytes"))
            #expect(text.contains("atende_store_readers"))
            #expect(text.contains("atende_store_commit_duration_seconds"))
            server.child.signal(SIGTERM)
            #expect(try await server.child.wait(timeout: .seconds(30)) == 0)
            // Every log line is one JSON object.
            for line in server.child.errorOutput.split(separator: "\n") {
                #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) is [String: Any], "not JSON: \(line)")
            }
        }
    }

    @Test func aSecondServerOnTheSameDataDirectoryExitsWith69() async throws {
        try await withServer { server in
            let second = try await ChildProcess.run(BuiltProducts.path("atende"), [
                "serve", "--data", server.data, "--master-key", server.masterKey, "--port", String(try freeLoopbackPort()),
            ])
            #expect(second.status == 69)
            #expect(second.error.contains("in use by another atende process"))
        }
    }

    @Test func aWorldReadableMasterKeyStopsTheServerFromStarting() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let key = directory.appending("master.key")
        _ = FileManager.default.createFile(atPath: key, contents: Data(repeating: 7, count: 32),
                                       attributes: [.posixPermissions: 0o644])
        let result = try await ChildProcess.run(BuiltProducts.path("atende"), [
            "serve", "--data", directory.appending("data"), "--master-key", key, "--port", String(try freeLoopbackPort()),
        ])
        #expect(result.status != 0)
        #expect(result.error.contains("master.key"))
        #expect(result.error.contains("chmod 600"))
    }

    @Test func usageErrorsExitWith64AndAHint() async throws {
        let result = try await ChildProcess.run(BuiltProducts.path("atende"), ["serve", "--port", "eighty"])
        #expect(result.status == 64)
        #expect(result.error.contains("port"))
        let unknown = try await ChildProcess.run(BuiltProducts.path("atende"), ["frobnicate"])
        #expect(unknown.status == 64)
    }

    @Test func versionPrintsTheRelease() async throws {
        let result = try await ChildProcess.run(BuiltProducts.path("atende"), ["version"])
        #expect(result.status == 0)
        #expect(result.output.hasPrefix("atende 0."))
    }

    @Test func everyCommandsHelpSaysWhetherItIsSafeWhileServeRuns() async throws {
        for command in ["serve", "backup", "verify", "restore", "secret set", "secret list", "secret delete", "vault rotate", "version"] {
            let result = try await ChildProcess.run(BuiltProducts.path("atende"), command.split(separator: " ").map(String.init) + ["--help"])
            let help = result.output.replacingOccurrences(of: "\n", with: " ")
            #expect(help.contains("atende serve"), "help of \(command) does not say whether it is safe while `atende serve` runs")
        }
    }
}

/// A running `atende serve` on a fresh data directory and a free loopback port.
struct RunningServer {
    let child: ChildProcess
    let data: String
    let masterKey: String
    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Completes first-run setup with the link the server logged and returns the session cookie.
    func ownerSessionCookie() async throws -> String {
        var token: String?
        for _ in 0..<100 where token == nil {
            if let range = child.errorOutput.range(of: #"setup\?token=[A-Za-z0-9_-]+"#, options: .regularExpression) {
                token = String(child.errorOutput[range].dropFirst("setup?token=".count))
            } else {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        let body = try JSONSerialization.data(withJSONObject: [
            "token": try #require(token, "no setup link logged"), "name": "Owner", "email": "owner@example.com",
            "password": "correct horse battery staple",
        ])
        let setup = try await httpRequest("\(baseURL)/api/v1/setup", method: "POST",
                                          headers: ["Content-Type": "application/json", "X-Atende-CSRF": "1"], body: body)
        #expect(setup.status == 201)
        let setCookie = try #require(setup.headers["set-cookie"])
        return String(setCookie.split(separator: ";")[0])
    }

    /// Sets up the owner and returns the secret of a new Admin API token.
    func adminToken() async throws -> String {
        try await adminToken(cookie: try await ownerSessionCookie())
    }

    /// The secret of a new Admin API token made in the owner's session `cookie`.
    func adminToken(cookie: String) async throws -> String {
        let created = try await httpRequest("\(baseURL)/api/v1/tokens", method: "POST",
                                            headers: ["Content-Type": "application/json", "X-Atende-CSRF": "1", "Cookie": cookie],
                                            body: try JSONSerialization.data(withJSONObject: ["name": "test", "role": "admin"]))
        let object = try JSONSerialization.jsonObject(with: created.body) as? [String: Any]
        return try #require(object?["secret"] as? String, "no token: \(created.status)")
    }
}

func withServer<R>(arguments: [String] = [], environment: [String: String] = [:], _ body: (RunningServer) async throws -> R) async throws -> R {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    return try await withServer(data: directory.appending("data"), masterKey: directory.appending("master.key"), arguments: arguments,
                                environment: environment, body)
}

/// `atende serve` on `data` (which outlives it: a test may start another life on it) and a free port;
/// `launcher` runs it (`["/usr/bin/faketime", "-f", "+3600"]`).
func withServer<R>(data: String, masterKey key: String, arguments: [String] = [], environment: [String: String] = [:],
                   launcher: [String] = [], _ body: (RunningServer) async throws -> R) async throws -> R {
    let port = try freeLoopbackPort()
    let command = launcher + [BuiltProducts.path("atende"), "serve", "--data", data, "--master-key", key, "--port", String(port)] + arguments
    let child = try ChildProcess(command[0], Array(command.dropFirst()), environment: environment)
    defer { if child.isRunning { child.killAndReap() } }    // the launcher's child too
    do {
        try await waitUntilServing("http://127.0.0.1:\(port)/healthz")
    } catch {
        let threads = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(child.pid)/task")) ?? []
        let states = threads.map { tid in
            let stat = (try? String(contentsOfFile: "/proc/\(child.pid)/task/\(tid)/stat", encoding: .utf8)) ?? "?"
            let wchan = (try? String(contentsOfFile: "/proc/\(child.pid)/task/\(tid)/wchan", encoding: .utf8)) ?? "?"
            return "\(stat.split(separator: " ").prefix(3).joined(separator: " ")) \(wchan)"
        }
        throw TestFailure("serve did not start (\(child.status.map { "\($0)" } ?? "still running"); threads: \(states)): \(error) \(child.errorOutput.suffix(3000))")
    }
    return try await body(RunningServer(child: child, data: data, masterKey: key, port: port))
}
