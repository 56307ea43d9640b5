import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import AtendeTesting
import Testing

@testable import Web

/// The dashboard folder in this checkout, found from this file's path.
let dashboardSourceDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appending(path: "Sources/Web/Dashboard")

func dashboardBodyBytes(_ response: Response) async throws -> [UInt8] {
    var collected: [UInt8] = []
    let writer = DashboardBodyCollector()
    _ = try await response.body.write(writer)
    collected = await writer.bytes
    return collected
}

actor DashboardBodyCollector: ResponseBodyWriter {
    var bytes: [UInt8] = []
    func write(_ buffer: ByteBuffer) async throws { bytes += Array(buffer.readableBytesView) }
    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}

@Suite("Embedded dashboard files")
struct EmbeddedDashboardTests {
    @Test("every file under Sources/Web/Dashboard is embedded with the same bytes")
    func everyFileIsEmbedded() throws {
        let files = try DashboardFiles()
        var onDisk: [String] = []
        let walker = FileManager.default.enumerator(at: dashboardSourceDirectory, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])
        while let url = walker?.nextObject() as? URL {
            if (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
                onDisk.append(String(url.standardizedFileURL.path.dropFirst(dashboardSourceDirectory.standardizedFileURL.path.count + 1)))
            }
        }
        #expect(files.paths == onDisk.sorted())
        #expect(files.paths.contains("index.html"))
        #expect(files.paths.contains("i18n/pt-BR.json"))
        for path in files.paths {
            let embedded = try #require(files.entry(for: path))
            let disk = try Data(contentsOf: dashboardSourceDirectory.appending(path: path))
            #expect(Array(embedded.body.readableBytesView) == Array(disk), "\(path) differs from the file on disk")
        }
    }

    @Test("the ETag of each file is its SHA-256 as sha256sum computes it")
    func etagIsSHA256() async throws {
        let files = try DashboardFiles()
        for path in ["index.html", "app.css", "js/main.js", "i18n/en.json"] {
            let sum = try await ChildProcess.run("/usr/bin/sha256sum", [dashboardSourceDirectory.appending(path: path).path])
            #expect(sum.status == 0, "\(sum.error)")
            let digest = try #require(sum.output.split(separator: " ").first)
            #expect(try #require(files.entry(for: path)).etag == "\"\(digest)\"")
        }
    }
}

@Suite("Serving dashboard files")
struct DashboardFilesResponseTests {
    let files: DashboardFiles
    init() throws { files = try DashboardFiles() }

    @Test("app pages answer with index.html and assets with their media type", arguments: [
        ("/", "text/html; charset=utf-8"), ("/login", "text/html; charset=utf-8"),
        ("/setup", "text/html; charset=utf-8"), ("/settings/staff", "text/html; charset=utf-8"),
        ("/chats", "text/html; charset=utf-8"), ("/chats/01JDQ7Z5M3K8W4X2V9R6T1Y0AB", "text/html; charset=utf-8"),
        ("/chats/01jdq7z5m3k8w4x2v9r6t1y0ab", "text/html; charset=utf-8"), ("/appointments", "text/html; charset=utf-8"),
        ("/appointments/contact/01JDQ7Z5M3K8W4X2V9R6T1Y0AB", "text/html; charset=utf-8"), ("/appointments/feeds", "text/html; charset=utf-8"),
        ("/settings/services", "text/html; charset=utf-8"), ("/settings/availability", "text/html; charset=utf-8"),
        ("/assets/js/main.js", "text/javascript; charset=utf-8"), ("/assets/app.css", "text/css; charset=utf-8"),
        ("/assets/i18n/en.json", "application/json"), ("/assets/icons.svg", "image/svg+xml"),
    ])
    func pagesAndAssets(path: String, mediaType: String) async throws {
        let response = try #require(files.response(for: path, method: .get, headers: [:]))
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == mediaType)
        #expect(response.headers[.cacheControl] == "no-cache")
        #expect(response.headers[.eTag]?.count == 66)
        #expect(try await !dashboardBodyBytes(response).isEmpty)
    }

    @Test("paths that are not the dashboard's, and non-GET methods, are passed on", arguments: [
        ("/api/v1/session", HTTPRequest.Method.get), ("/assets/missing.js", .get), ("/assets/", .get),
        ("/favicon.ico", .get), ("/settings/unknown", .get), ("/", .post), ("/assets/app.css", .delete),
        // A conversation's address holds one well-formed id and nothing after it.
        ("/chats/", .get), ("/chats/not-an-id", .get), ("/chats/01JDQ7Z5M3K8W4X2V9R6T1Y0AB/x", .get),
        ("/chats/01JDQ7Z5M3K8W4X2V9R6T1Y0A", .get), ("/chats/01JDQ7Z5M3K8W4X2V9R6T1Y0AB", .post),
        ("/appointments/contact/", .get), ("/appointments/contact/nope", .get), ("/appointments/01JDQ7Z5M3K8W4X2V9R6T1Y0AB", .get),
    ])
    func notOurs(path: String, method: HTTPRequest.Method) {
        #expect(files.response(for: path, method: method, headers: [:]) == nil)
    }

    @Test("a matching If-None-Match answers 304 without a body; a stale one gets the file")
    func conditionalGet() async throws {
        let first = try #require(files.response(for: "/assets/app.css", method: .get, headers: [:]))
        let etag = try #require(first.headers[.eTag])
        for header in [etag, "W/\(etag)", "\"other\", \(etag)", "*"] {
            let again = try #require(files.response(for: "/assets/app.css", method: .get, headers: [.ifNoneMatch: header]))
            #expect(again.status == .notModified, "If-None-Match: \(header)")
            #expect(again.headers[.eTag] == etag)
            #expect(try await dashboardBodyBytes(again).isEmpty)
        }
        let stale = try #require(files.response(for: "/assets/app.css", method: .get, headers: [.ifNoneMatch: "\"0000\""]))
        #expect(stale.status == .ok)
    }

    @Test("HEAD sends the headers and length without the body")
    func head() async throws {
        let get = try #require(files.response(for: "/", method: .get, headers: [:]))
        let head = try #require(files.response(for: "/", method: .head, headers: [:]))
        #expect(head.status == .ok)
        #expect(head.headers[.contentLength] == get.headers[.contentLength])
        #expect(try await dashboardBodyBytes(head).isEmpty)
    }
}
