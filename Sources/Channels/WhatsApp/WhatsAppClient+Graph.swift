import Foundation

/// A message template as the Graph API lists it (§3.2); components are kept as JSON text.
public struct GraphTemplate: Sendable, Equatable {
    public var id: String
    public var name: String
    public var language: String
    public var category: String
    public var status: String
    /// The `components` array as JSON text.
    public var components: String
    /// Why Meta rejected it (`rejected_reason`; `NONE` is read as nil).
    public var rejectedReason: String?

    public init(id: String, name: String, language: String, category: String, status: String, components: String,
                rejectedReason: String? = nil) {
        (self.id, self.name, self.language, self.category, self.status, self.components) = (id, name, language, category, status, components)
        self.rejectedReason = rejectedReason
    }
}

/// Where an inbound file is and what it is (§2.8 step 1).
public struct GraphMedia: Sendable, Equatable {
    public var url: String
    public var mimeType: String?
    public var size: Int?
}

extension WhatsAppClient {
    /// "Test connection": the number's display phone, verified name and quality rating.
    public func phoneNumber(_ phoneNumberID: String, token: String) async -> Result<[String: String], SendFailure> {
        guard Self.isGraphID(phoneNumberID) else { return .failure(SendFailure(.rejected, .fail, message: "the phone number id must be digits")) }
        let url = "\(graphURL)/\(version)/\(phoneNumberID)?fields=display_phone_number,verified_name,quality_rating"
        return await request("GET", url, token: token).map { body in
            let root = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
            return root.compactMapValues { JSON.string($0) }
        }
    }

    /// Every template of the WABA, following `paging.next` (at most `maxPages` pages).
    public func templates(waba: String, token: String, maxPages: Int = 50) async -> Result<[GraphTemplate], SendFailure> {
        guard Self.isGraphID(waba) else { return .failure(SendFailure(.rejected, .fail, message: "the WABA id must be digits")) }
        let first = "\(graphURL)/\(version)/\(waba)/message_templates?fields=id,name,language,category,status,components,rejected_reason&limit=100"
        var found: [GraphTemplate] = []
        let read = await pages(from: first, maxPages: maxPages, fetch: { url in
            await request("GET", url, token: token).map { (try? JSONSerialization.jsonObject(with: Data($0))) as? [String: Any] ?? [:] }
        }) { item in
            guard let id = JSON.string(item["id"]), let name = JSON.string(item["name"]),
                  let language = JSON.string(item["language"]) else { return }
            let components = (try? JSONSerialization.data(withJSONObject: item["components"] ?? [Any](), options: [.sortedKeys]))
                .map { String(decoding: $0, as: UTF8.self) } ?? "[]"
            found.append(GraphTemplate(id: id, name: name, language: language, category: JSON.string(item["category"]) ?? "",
                                       status: JSON.string(item["status"]) ?? "", components: components,
                                       rejectedReason: JSON.string(item["rejected_reason"]).flatMap { $0 == "NONE" ? nil : $0 }))
        }
        if case .failure(let failure) = read { return .failure(failure) }
        return .success(found)
    }

    /// Submits a template for approval (§3.1); Meta's answer: its id, status and category.
    public func createTemplate(waba: String, name: String, language: String, category: String, components: [Any],
                               token: String) async -> Result<(id: String, status: String), SendFailure> {
        guard Self.isGraphID(waba) else { return .failure(SendFailure(.rejected, .fail, message: "the WABA id must be digits")) }
        let body: [String: Any] = ["name": name, "language": language, "category": category, "components": components]
        guard let data = try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]) else {
            return .failure(SendFailure(.rejected, .fail, message: "the template is not valid JSON"))
        }
        return await request("POST", "\(graphURL)/\(version)/\(waba)/message_templates", token: token, body: Array(data)).map { body in
            let root = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
            return (JSON.string(root["id"]) ?? "", JSON.string(root["status"]) ?? "PENDING")
        }
    }

    /// Replaces an approved, rejected or paused template's components (§3.2: edits replace all
    /// components; Meta reviews the template again).
    public func editTemplate(id: String, components: [Any], token: String) async -> Result<Void, SendFailure> {
        guard Self.isGraphID(id) else { return .failure(SendFailure(.rejected, .fail, message: "the template id must be digits")) }
        guard let data = try? JSONSerialization.data(withJSONObject: ["components": components], options: [.sortedKeys]) else {
            return .failure(SendFailure(.rejected, .fail, message: "the template is not valid JSON"))
        }
        return await request("POST", "\(graphURL)/\(version)/\(id)", token: token, body: Array(data)).map { _ in () }
    }

    /// Deletes one template (by its id and name: one language).
    public func deleteTemplate(waba: String, id: String, name: String, token: String) async -> Result<Void, SendFailure> {
        guard Self.isGraphID(waba), Self.isGraphID(id) else { return .failure(SendFailure(.rejected, .fail, message: "ids must be digits")) }
        var query = URLComponents()
        query.queryItems = [URLQueryItem(name: "hsm_id", value: id), URLQueryItem(name: "name", value: name)]
        return await request("DELETE", "\(graphURL)/\(version)/\(waba)/message_templates?\(query.percentEncodedQuery ?? "")", token: token).map { _ in () }
    }

    /// Where an inbound file can be downloaded (the URL lasts 5 minutes).
    public func media(_ mediaID: String, token: String) async -> Result<GraphMedia, SendFailure> {
        guard Self.isGraphID(mediaID) else { return .failure(SendFailure(.rejected, .fail, message: "the media id must be digits")) }
        switch await request("GET", "\(graphURL)/\(version)/\(mediaID)", token: token) {
        case .failure(let failure): return .failure(failure)
        case .success(let body):
            let root = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
            guard let url = JSON.string(root["url"]), url.hasPrefix("https://") || url.hasPrefix("http://") else {
                return .failure(SendFailure(.rejected, .fail, message: "the media answer has no URL"))
            }
            return .success(GraphMedia(url: url, mimeType: JSON.string(root["mime_type"]),
                                       size: JSON.int(root["file_size"]) ?? JSON.string(root["file_size"]).flatMap { Int($0) }))
        }
    }

    /// Downloads an inbound file's bytes (the token is required).
    public func download(_ url: String, token: String) async -> Result<(bytes: [UInt8], mimeType: String?), SendFailure> {
        let request = OutboundRequest(method: "GET", url: url, headers: [("Authorization", "Bearer \(token)")])
        do {
            let response = try await http.send(request)
            guard (200..<300).contains(response.status) else {
                return .failure(GraphError.classify(status: response.status, body: response.body, retryAfter: response.header("retry-after")))
            }
            return .success((response.body, response.header("content-type")))
        } catch {
            return .failure(SendFailure(.providerUnavailable, .retry, message: error.message))
        }
    }

    func request(_ method: String, _ url: String, token: String, body: [UInt8]? = nil,
                 contentType: String = "application/json") async -> Result<[UInt8], SendFailure> {
        var headers: [(name: String, value: String)] = [("Authorization", "Bearer \(token)")]
        if body != nil { headers.append(("Content-Type", contentType)) }
        let response: OutboundResponse
        do {
            response = try await http.send(OutboundRequest(method: method, url: url, headers: headers, body: body))
        } catch {
            return .failure(SendFailure(.providerUnavailable, .retry, message: error.message))
        }
        guard (200..<300).contains(response.status) else {
            return .failure(GraphError.classify(status: response.status, body: response.body, retryAfter: response.header("retry-after")))
        }
        return .success(response.body)
    }

    /// Reads `first` and each `paging.next` after it, at most `maxPages` pages, handing every item
    /// of each page's `data` to `each`. A next page is followed only on the same Graph host: an
    /// answer never sends our token elsewhere.
    func pages<Failure: Error>(from first: String, maxPages: Int, fetch: (String) async -> Result<[String: Any], Failure>,
                               each: ([String: Any]) -> Void) async -> Result<Void, Failure> {
        var url: String? = first
        var pages = 0
        while let next = url, pages < maxPages {
            pages += 1
            switch await fetch(next) {
            case .failure(let failure): return .failure(failure)
            case .success(let root):
                JSON.objects(root["data"]).forEach(each)
                url = JSON.string((root["paging"] as? [String: Any])?["next"]).flatMap { $0.hasPrefix(graphURL + "/") ? $0 : nil }
            }
        }
        return .success(())
    }

    static func isGraphID(_ id: String) -> Bool { (1...32).contains(id.count) && id.allSatisfy { $0.isASCII && $0.isNumber } }
}
