import Foundation

/// What `debug_token` says about a business token (wire-protocols.md §4.2 step 5).
public struct GraphTokenInfo: Sendable, Equatable {
    public var isValid: Bool
    /// The app the token was issued to (must be ours).
    public var appID: String?
    /// The WhatsApp Business Accounts the customer granted `whatsapp_business_management` on,
    /// newest first (Meta's order): the one just onboarded is the first.
    public var managedAccounts: [String]
    public var scopes: [String]
}

/// One number of a WhatsApp Business Account (§4.2 step 6).
public struct GraphPhoneNumber: Sendable, Equatable {
    public var id: String
    public var displayPhoneNumber: String?
    public var verifiedName: String?
    /// `CLOUD_API` once the number is registered for the Cloud API; anything else (or nothing)
    /// means it still has to be registered with a PIN.
    public var platformType: String?

    public init(id: String, displayPhoneNumber: String? = nil, verifiedName: String? = nil, platformType: String? = nil) {
        (self.id, self.displayPhoneNumber, self.verifiedName, self.platformType) = (id, displayPhoneNumber, verifiedName, platformType)
    }

    public var isOnCloudAPI: Bool { platformType?.uppercased() == "CLOUD_API" }
}

/// Why one Embedded Signup call failed, in categories an Admin can act on. `message` is Meta's
/// own words (or ours when Meta gave none) and never holds the code, a token or the app secret.
public struct SignupFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Reason: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }
        /// The code from Facebook's pop-up is expired (it lives about 30 s), used or not valid (Graph 100).
        public static let codeRejected = Reason("code_rejected")
        /// Meta refused the app id or the app secret (Graph 101, or 1 "Error validating client secret").
        public static let appRejected = Reason("app_rejected")
        /// The login did not grant what Atende needs on the WhatsApp account (3, 10, 200–299, 190).
        public static let missingPermission = Reason("missing_permission")
        /// 133005: the PIN is not the number's two-step verification PIN.
        public static let wrongPIN = Reason("wrong_pin")
        /// 133006: the phone number must be verified (SMS or voice code) before it is registered.
        public static let verifyFirst = Reason("verify_first")
        /// 133016: too many register/deregister attempts for now.
        public static let tooManyAttempts = Reason("too_many_attempts")
        /// 133015: the number was deleted recently; registering works again after about 5 minutes.
        public static let recentlyDeleted = Reason("recently_deleted")
        /// No answer, a timeout, a rate limit or Meta's own outage: trying again later may work.
        public static let unavailable = Reason("provider_unavailable")
        /// Anything else Meta refused; `message` says what.
        public static let rejected = Reason("rejected_by_provider")
        public var description: String { rawValue }
    }

    public var reason: Reason
    /// Meta's error code, when it sent one (an HTTP status when the body was not a Graph error).
    public var providerCode: Int?
    public var message: String

    public init(_ reason: Reason, providerCode: Int? = nil, message: String) {
        (self.reason, self.providerCode, self.message) = (reason, providerCode, message)
    }

    public var description: String { "\(reason)\(providerCode.map { " (code \($0))" } ?? ""): \(message)" }

    /// Where a Graph error belongs; `exchange` says it answered the code exchange, where code
    /// 100 means the code itself was refused (Meta: "This authorization code has expired." /
    /// "… has been used.").
    static func classify(status: Int, body: some Collection<UInt8>, exchange: Bool) -> SignupFailure {
        guard let error = GraphError(body: body) else {
            let message = "HTTP \(status) without a Graph error body"
            return SignupFailure(status == 429 || status == 408 || status >= 500 ? .unavailable : .rejected,
                                 providerCode: status, message: message)
        }
        let text = error.details.map { "\(error.message): \($0)" } ?? error.message
        func make(_ reason: Reason) -> SignupFailure { SignupFailure(reason, providerCode: error.code, message: text) }
        switch error.code {
        case 100 where exchange: return make(.codeRejected)
        case 101: return make(.appRejected)
        case 1 where error.message.lowercased().contains("secret"): return make(.appRejected)
        case 133005: return make(.wrongPIN)
        case 133006: return make(.verifyFirst)
        case 133016: return make(.tooManyAttempts)
        case 133015: return make(.recentlyDeleted)
        case 0, 3, 10, 190, 200...299: return make(.missingPermission)
        case 1, 2, 4, 80007, 130429, 131000, 131016, 131057: return make(.unavailable)
        default: return make(.rejected)
        }
    }
}

/// Embedded Signup's server half (wire-protocols.md §4.2): exchange the pop-up's code for the
/// customer's business token, find the account it grants, list its numbers, subscribe our app to
/// the account's webhooks, register a number for the Cloud API. Every token goes in the
/// Authorization header, except where Meta's API takes it in the URL (the code exchange's
/// `client_secret` and `code`, `debug_token`'s `input_token`); `CurlClient` never logs a URL's
/// query and names URLs in its errors without it.
extension WhatsAppClient {
    /// `GET /{v}/oauth/access_token?client_id&client_secret&code` → the business token.
    public func exchangeCode(_ code: String, appID: String, appSecret: String) async -> Result<String, SignupFailure> {
        let query = Self.query(["client_id": appID, "client_secret": appSecret, "code": code])
        let url = "\(graphURL)/\(version)/oauth/access_token?\(query)"
        switch await signupCall("GET", url, bearer: nil, exchange: true) {
        case .failure(let failure): return .failure(failure)
        case .success(let root):
            // Meta documents only "<BUSINESS_TOKEN>"; every client reads access_token (§7 item 5).
            guard let token = JSON.string(root["access_token"]), !token.isEmpty else {
                return .failure(SignupFailure(.rejected, message: "Meta's answer to the code exchange has no access_token"))
            }
            return .success(token)
        }
    }

    /// `GET /{v}/debug_token?input_token=…` with the app token `APPID|SECRET` → which accounts the
    /// business token manages.
    public func debugToken(_ token: String, appID: String, appSecret: String) async -> Result<GraphTokenInfo, SignupFailure> {
        let url = "\(graphURL)/\(version)/debug_token?\(Self.query(["input_token": token]))"
        return await signupCall("GET", url, bearer: "\(appID)|\(appSecret)").map { root in
            let data = root["data"] as? [String: Any] ?? [:]
            let granular = JSON.objects(data["granular_scopes"])
            let managed = granular.first { JSON.string($0["scope"]) == "whatsapp_business_management" }
            let targets = ((managed?["target_ids"] as? [Any]) ?? []).compactMap { JSON.string($0) ?? JSON.int($0).map(String.init) }
            return GraphTokenInfo(isValid: JSON.bool(data["is_valid"]), appID: JSON.string(data["app_id"]) ?? JSON.int(data["app_id"]).map(String.init),
                                  managedAccounts: targets.filter(Self.isGraphID),
                                  scopes: ((data["scopes"] as? [Any]) ?? []).compactMap { JSON.string($0) })
        }
    }

    /// `GET /{v}/{waba}/phone_numbers` → every number of the account (following `paging.next` on
    /// the same host, at most `maxPages` pages).
    public func phoneNumbers(waba: String, token: String, maxPages: Int = 10) async -> Result<[GraphPhoneNumber], SignupFailure> {
        guard Self.isGraphID(waba) else { return .failure(SignupFailure(.rejected, message: "the WABA id must be digits")) }
        let first = "\(graphURL)/\(version)/\(waba)/phone_numbers?fields=id,display_phone_number,verified_name,platform_type"
        var found: [GraphPhoneNumber] = []
        let read = await pages(from: first, maxPages: maxPages, fetch: { url in await signupCall("GET", url, bearer: token) }) { item in
            guard let id = JSON.string(item["id"]), Self.isGraphID(id) else { return }
            found.append(GraphPhoneNumber(id: id, displayPhoneNumber: JSON.string(item["display_phone_number"]),
                                          verifiedName: JSON.string(item["verified_name"]),
                                          platformType: JSON.string(item["platform_type"])))
        }
        if case .failure(let failure) = read { return .failure(failure) }
        return .success(found)
    }

    /// `POST /{v}/{waba}/subscribed_apps` (no body): the account's webhooks reach our app.
    public func subscribeApp(waba: String, token: String) async -> Result<Void, SignupFailure> {
        guard Self.isGraphID(waba) else { return .failure(SignupFailure(.rejected, message: "the WABA id must be digits")) }
        return await signupCall("POST", "\(graphURL)/\(version)/\(waba)/subscribed_apps", bearer: token).flatMap(Self.successful)
    }

    /// `POST /{v}/{phone_number_id}/register` with the number's 6-digit two-step PIN (it sets
    /// the PIN when the number has none yet).
    public func register(phoneNumberID: String, pin: String, token: String) async -> Result<Void, SignupFailure> {
        guard Self.isGraphID(phoneNumberID) else { return .failure(SignupFailure(.rejected, message: "the phone number id must be digits")) }
        let body = try? JSONSerialization.data(withJSONObject: ["messaging_product": "whatsapp", "pin": pin], options: [.sortedKeys])
        return await signupCall("POST", "\(graphURL)/\(version)/\(phoneNumberID)/register", bearer: token, body: body.map(Array.init))
            .flatMap(Self.successful)
    }

    /// `{"success": true}`, or the failure of an answer without it.
    static func successful(_ root: [String: Any]) -> Result<Void, SignupFailure> {
        JSON.bool(root["success"]) ? .success(()) : .failure(SignupFailure(.rejected, message: "Meta did not answer success"))
    }

    private func signupCall(_ method: String, _ url: String, bearer: String?, body: [UInt8]? = nil,
                            exchange: Bool = false) async -> Result<[String: Any], SignupFailure> {
        var headers: [(name: String, value: String)] = []
        if let bearer { headers.append(("Authorization", "Bearer \(bearer)")) }
        if body != nil { headers.append(("Content-Type", "application/json")) }
        let response: OutboundResponse
        do {
            response = try await http.send(OutboundRequest(method: method, url: url, headers: headers, body: body))
        } catch {
            return .failure(SignupFailure(.unavailable, message: error.message))
        }
        guard (200..<300).contains(response.status) else {
            return .failure(SignupFailure.classify(status: response.status, body: response.body, exchange: exchange))
        }
        guard let root = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] else {
            return .failure(SignupFailure(.rejected, message: "Meta's answer is not a JSON object"))
        }
        return .success(root)
    }

    /// A query string with every character outside unreserved percent-encoded: `URLComponents`
    /// leaves `+` and `|` alone, and a `+` in a secret would reach Meta as a space.
    static func query(_ items: KeyValuePairs<String, String>) -> String {
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return items.map { name, value in "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "")" }
            .joined(separator: "&")
    }
}
