import Hummingbird
import NIOCore

/// /api/docs: the reference as plain HTML, built from the same table as the OpenAPI document.
/// No inline script or style (the CSP forbids both); readable unstyled, and by screen readers.
enum APIDocsPage {
    static let html: String = {
        var rows = ""
        for route in APIRoutes.all {
            let op = OpenAPIDocument.operations[route.operationID]
            let statuses = op?.responses.map(\.status).joined(separator: ", ") ?? ""
            rows += "<tr><td><code>\(escape(route.method.rawValue))</code></td><td><code>\(escape(route.path))</code></td>"
                + "<td>\(escape(route.access.description))</td><td>\(escape(op?.request ?? "—"))</td>"
                + "<td>\(escape(statuses))</td><td>\(escape(op?.summary ?? ""))</td></tr>\n"
        }
        return """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Atende API reference</title></head>
        <body>
        <main>
        <h1>Atende API reference</h1>
        <p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</p>
        <h2>Conventions</h2>
        <ul>
        <li>JSON bodies with snake_case keys; at most 1 MiB.</li>
        <li>Errors: <code>{"error":{"code":"…","message":"…","field":null,"request_id":"…"}}</code>.</li>
        <li>Lists: <code>{"items":[…],"next_cursor":null}</code>; query <code>?cursor=…&amp;limit=1..200</code> (default 50).</li>
        <li>Integrations: <code>Authorization: Bearer atd_…</code>. Browsers: the session cookie, and
        <code>X-Atende-CSRF: 1</code> on requests that change something.</li>
        <li>Roles: admin, manager, operator, agent; each route lists the area and level it requires.</li>
        </ul>
        <h2>Routes</h2>
        <table>
        <thead><tr><th>Method</th><th>Path</th><th>Requires</th><th>Body</th><th>Success</th><th>What it does</th></tr></thead>
        <tbody>
        \(rows)</tbody>
        </table>
        </main>
        </body>
        </html>
        """
    }()

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}

struct ReferenceController {
    func addRoutes(to routes: RouteRegistrar) {
        routes.addPublic(APIRoutes.openAPI) { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.bytes)))
        }
        routes.addPublic(APIRoutes.docs) { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: APIDocsPage.html)))
        }
    }
}
