import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import Web

@Suite("Dashboard served from a directory (--dashboard-dir)")
struct DashboardFilesDiskTests {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appending(path: "atende-dash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appending(path: "js"), withIntermediateDirectories: true)
        try Data("<!doctype html><p>disk</p>".utf8).write(to: root.appending(path: "index.html"))
        try Data("export const x = 1;".utf8).write(to: root.appending(path: "js/app.js"))
        try Data("secret".utf8).write(to: root.appending(path: ".env.json"))
        try Data("outside".utf8).write(to: root.deletingLastPathComponent().appending(path: "atende-outside.json"))
    }

    @Test("files are read from disk on each request, so edits show without a rebuild")
    func editsShow() async throws {
        let files = try DashboardFiles(overrideDirectory: root.path)
        let before = try #require(files.response(for: "/assets/js/app.js", method: .get, headers: [:]))
        #expect(try await dashboardBodyBytes(before) == Array("export const x = 1;".utf8))
        try Data("export const x = 22;".utf8).write(to: root.appending(path: "js/app.js"))
        let after = try #require(files.response(for: "/assets/js/app.js", method: .get, headers: [:]))
        #expect(try await dashboardBodyBytes(after) == Array("export const x = 22;".utf8))
        #expect(after.headers[.eTag] != before.headers[.eTag])
        let page = try #require(files.response(for: "/login", method: .get, headers: [:]))
        #expect(try await dashboardBodyBytes(page) == Array("<!doctype html><p>disk</p>".utf8))
    }

    @Test("paths that climb out of the directory or name hidden files are refused", arguments: [
        "/assets/../atende-outside.json", "/assets/js/../../atende-outside.json", "/assets/.env.json",
        "/assets//etc/passwd", "/assets/js", "/assets/js/",
    ])
    func traversalRefused(path: String) {
        let files = try? DashboardFiles(overrideDirectory: root.path)
        #expect(files?.response(for: path, method: .get, headers: [:]) == nil)
    }

    @Test("a directory without index.html is refused at start-up with a clear error")
    func missingIndex() throws {
        let empty = root.appending(path: "js")
        let error = #expect(throws: DashboardFilesError.self) { try DashboardFiles(overrideDirectory: empty.path) }
        #expect(error?.description.contains("index.html") == true)
    }
}

@Suite("DashboardMiddleware over real HTTP")
struct DashboardMiddlewareTests {
    /// The embedded dashboard in front of one API route, `GET /api/v1/ping` → "pong".
    static func app() throws -> some ApplicationProtocol {
        let router = Router()
        router.add(middleware: DashboardMiddleware(try DashboardFiles()))
        router.get("/api/v1/ping") { _, _ in "pong" }
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    @Test("dashboard paths are answered, everything else reaches the router")
    func middleware() async throws {
        let app = try Self.app()
        try await app.test(.live) { client in
            let page = try await client.execute(uri: "/settings/staff", method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(String(buffer: page.body).contains("/assets/js/main.js"))
            let etag = try #require(page.headers[.eTag])
            let cached = try await client.execute(uri: "/", method: .get, headers: [.ifNoneMatch: etag])
            #expect(cached.status == .notModified)
            let api = try await client.execute(uri: "/api/v1/ping", method: .get)
            #expect(String(buffer: api.body) == "pong")
            let missing = try await client.execute(uri: "/nowhere", method: .get)
            #expect(missing.status == .notFound)
            #expect(missing.headers[.contentType] != "text/html; charset=utf-8")
        }
    }

    @Test("a browser asking for an address nobody answers gets the dashboard's page with 404; programs and the API keep theirs")
    func browserNotFound() async throws {
        let app = try Self.app()
        let browser: HTTPFields = [.accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"]
        try await app.test(.live) { client in
            for path in ["/knowledge", "/chats/not-an-id", "/settings/unknown"] {
                let page = try await client.execute(uri: path, method: .get, headers: browser)
                #expect(page.status == .notFound, "\(path)")
                #expect(page.headers[.contentType] == "text/html; charset=utf-8", "\(path)")
                #expect(String(buffer: page.body).contains("/assets/js/main.js"), "\(path)")
            }
            for (path, headers) in [("/api/v1/nowhere", browser), ("/webhooks/nowhere", browser), ("/assets/missing.js", browser),
                                    ("/knowledge", [.accept: "application/json"]), ("/knowledge", [:])] as [(String, HTTPFields)] {
                let answer = try await client.execute(uri: path, method: .get, headers: headers)
                #expect(answer.status == .notFound, "\(path)")
                #expect(answer.headers[.contentType] != "text/html; charset=utf-8", "\(path)")
            }
            let post = try await client.execute(uri: "/knowledge", method: .post, headers: browser)
            #expect(post.status == .notFound)
            #expect(post.headers[.contentType] != "text/html; charset=utf-8")
            let api = try await client.execute(uri: "/api/v1/ping", method: .get, headers: browser)
            #expect(String(buffer: api.body) == "pong")
        }
    }
}
