import Foundation
import Storage
public import HTTPTypes
public import Hummingbird

/// The dashboard's files, served from memory (embedded at build time, STYLE.md §6) or, during
/// development, from a directory on disk.
///
/// URL layout: `/assets/<path>` is the file `Sources/Web/Dashboard/<path>`; the app's own pages
/// (`/`, `/login`, `/setup`, `/chats`, `/settings/staff`, …, see ``appRoutes``, and a
/// conversation's own address `/chats/<id>`, see ``isAppPath(_:)``) all answer with `index.html`,
/// whose script routes on the client. Anything else is not the dashboard's:
/// ``response(for:method:headers:)`` returns `nil` so the router can answer 404.
///
/// Responses carry a strong ETag (SHA-256 of the bytes, computed by the embedding tool) and
/// `Cache-Control: no-cache`, so browsers revalidate and get `304 Not Modified` when nothing
/// changed. Security headers (CSP and friends) are the Web module's global middleware's job.
public struct DashboardFiles: Sendable {
    /// Client-side routes answered with `index.html`.
    public static let appRoutes: Set<String> = [
        "/", "/login", "/setup", "/home", "/chats", "/assistant", "/campaigns", "/reports",
        "/settings", "/settings/staff", "/settings/tokens", "/settings/audit", "/settings/channels",
        "/settings/templates", "/assistant/knowledge", "/assistant/settings", "/appointments",
        "/settings/services", "/settings/availability", "/appointments/feeds",
    ]

    /// Whether `path` is one of the app's pages: a fixed route, `/chats/<id>` with a well-formed
    /// conversation id (a deep link from a notification, a bookmark or a reload), or
    /// `/appointments/contact/<id>`, a customer's appointment history. Whether the record exists,
    /// and whether this person may read it, is the API's to say.
    public static func isAppPath(_ path: String) -> Bool {
        if appRoutes.contains(path) { return true }
        for prefix in ["/chats/", "/appointments/contact/"] where path.hasPrefix(prefix) {
            return DocumentID(string: String(path.dropFirst(prefix.count))) != nil
        }
        return false
    }

    struct Entry: Sendable {
        let body: ByteBuffer
        let mediaType: String
        let etag: String
    }

    private enum Source: Sendable {
        case memory([String: Entry])
        case disk(URL)
    }

    private let source: Source

    /// Serves the embedded files, or the files under `overrideDirectory` when it is given
    /// (`atende serve --dashboard-dir`), read again on every request so edits show on reload.
    /// - Throws: ``DashboardFilesError`` when the directory does not exist or has no `index.html`,
    ///   or (a build defect) when an embedded file is not valid base64.
    public init(overrideDirectory: String? = nil) throws {
        if let overrideDirectory {
            let root = URL(fileURLWithPath: overrideDirectory, isDirectory: true).standardizedFileURL
            let index = root.appending(path: "index.html").path
            guard FileManager.default.isReadableFile(atPath: index) else {
                throw DashboardFilesError("dashboard directory \(root.path) has no readable index.html")
            }
            source = .disk(root)
            return
        }
        var entries: [String: Entry] = [:]
        for file in EmbeddedDashboard.files {
            guard let bytes = Data(base64Encoded: file.base64) else {
                throw DashboardFilesError("embedded dashboard file \(file.path) is not valid base64")
            }
            entries[file.path] = Entry(body: ByteBuffer(bytes: bytes), mediaType: file.mediaType, etag: file.etag)
        }
        guard entries["index.html"] != nil else {
            throw DashboardFilesError("the embedded dashboard has no index.html")
        }
        source = .memory(entries)
    }

    /// The relative paths of the files being served (for tests and diagnostics).
    public var paths: [String] {
        switch source {
        case .memory(let entries): entries.keys.sorted()
        case .disk: []
        }
    }

    /// The response for a GET or HEAD of `path` (the URL path, no query), or `nil` when the path
    /// is not a dashboard page or asset, or the method is neither GET nor HEAD.
    public func response(for path: String, method: HTTPRequest.Method, headers: HTTPFields) -> Response? {
        guard method == .get || method == .head else { return nil }
        let relative: String
        if Self.isAppPath(path) {
            relative = "index.html"
        } else if path.hasPrefix("/assets/") {
            relative = String(path.dropFirst("/assets/".count))
        } else {
            return nil
        }
        guard let entry = entry(for: relative) else { return nil }
        if let candidates = headers[.ifNoneMatch], Self.matches(candidates, etag: entry.etag) {
            return Response(status: .notModified, headers: [.eTag: entry.etag, .cacheControl: "no-cache"])
        }
        return Self.serve(entry, status: .ok, etag: true, method: method)
    }

    /// A browser's page for an address that is nobody's: `index.html` with status 404, whose
    /// script shows "Page not found" with the way home, instead of a JSON error a person cannot
    /// act on. Only for a GET or HEAD that accepts HTML, outside the API and the webhooks (a
    /// program asking there, or for a missing asset, gets the JSON 404 as before); nil otherwise.
    public func notFoundPage(for path: String, method: HTTPRequest.Method, headers: HTTPFields) -> Response? {
        guard method == .get || method == .head, headers[.accept]?.contains("text/html") == true,
              !["/api/", "/webhooks/", "/assets/"].contains(where: path.hasPrefix),
              let entry = entry(for: "index.html") else { return nil }
        return Self.serve(entry, status: .notFound, etag: false, method: method)
    }

    /// `entry` as the answer (no body for HEAD), revalidated on every use (`no-cache`); with its
    /// ETag when `etag` (a 404 page has none: it is not the resource asked for).
    private static func serve(_ entry: Entry, status: HTTPResponse.Status, etag: Bool, method: HTTPRequest.Method) -> Response {
        var fields = HTTPFields()
        if etag { fields[.eTag] = entry.etag }
        fields[.cacheControl] = "no-cache"
        fields[.contentType] = entry.mediaType
        fields[.contentLength] = String(entry.body.readableBytes)
        return Response(status: status, headers: fields, body: method == .head ? ResponseBody() : ResponseBody(byteBuffer: entry.body))
    }

    func entry(for relative: String) -> Entry? {
        switch source {
        case .memory(let entries):
            return entries[relative]
        case .disk(let root):
            return Self.diskEntry(relative, under: root)
        }
    }

    /// `If-None-Match` uses weak comparison (RFC 9110 §13.1.2): `W/` is ignored, `*` matches.
    static func matches(_ header: String, etag: String) -> Bool {
        let strip: (Substring) -> Substring = { $0.hasPrefix("W/") ? $0.dropFirst(2) : $0 }
        let ours = strip(Substring(etag))
        for candidate in header.split(separator: ",") {
            let tag = candidate.trimmingCharacters(in: .whitespaces)
            if tag == "*" || strip(Substring(tag)) == ours { return true }
        }
        return false
    }

    /// Reads a file below `root`, refusing anything that could step outside it or is hidden.
    static func diskEntry(_ relative: String, under root: URL) -> Entry? {
        let segments = relative.split(separator: "/", omittingEmptySubsequences: false)
        guard !segments.isEmpty, segments.allSatisfy({ !$0.isEmpty && !$0.hasPrefix(".") && !$0.contains("\0") && !$0.contains("\\") })
        else { return nil }
        let url = root.appending(path: relative)
        let ext = url.pathExtension.lowercased()
        guard let mediaType = EmbeddedDashboard.mediaTypes[ext],
              let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .contentModificationDateKey]),
              values.isRegularFile == true,
              let bytes = FileManager.default.contents(atPath: url.path)
        else { return nil }
        // A weak validator from size and modification time: cheap, and good enough for development.
        let stamp = Int((values.contentModificationDate ?? .distantPast).timeIntervalSince1970 * 1000)
        return Entry(body: ByteBuffer(bytes: bytes), mediaType: mediaType, etag: "W/\"\(bytes.count)-\(stamp)\"")
    }
}

/// Why the dashboard files could not be prepared.
public struct DashboardFilesError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Answers GET and HEAD for the dashboard's pages and assets, passing every other request on;
/// a browser's GET that nothing answers gets the dashboard's "Page not found" (404).
/// Add it to the router before the API routes: `router.add(middleware: DashboardMiddleware(files))`.
public struct DashboardMiddleware<Context: RequestContext>: RouterMiddleware {
    let files: DashboardFiles

    public init(_ files: DashboardFiles) { self.files = files }

    public func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if let response = files.response(for: request.uri.path, method: request.method, headers: request.headers) {
            return response
        }
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            if let page = files.notFoundPage(for: request.uri.path, method: request.method, headers: request.headers) { return page }
            throw error
        }
    }
}
