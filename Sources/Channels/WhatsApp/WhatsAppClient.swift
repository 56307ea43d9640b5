import Foundation

/// Sends through the Cloud API: `POST {graphURL}/{version}/{phone-number-id}/messages` with the
/// bearer token (§2.1). The base URL and version are settings, so tests and operators point it
/// elsewhere. The token is passed in per call (Desk unseals it from the vault) and never logged
/// or put in an error.
public struct WhatsAppClient: Sendable {
    public let http: CurlClient
    public let graphURL: String
    public let version: String

    public init(http: CurlClient, graphURL: String = "https://graph.facebook.com", version: String = "v22.0") {
        self.http = http
        self.graphURL = graphURL.hasSuffix("/") ? String(graphURL.dropLast()) : graphURL
        self.version = version
    }

    /// Sends `message` from the business number `phoneNumberID`; the wamid on success.
    /// A failure says what to do about it (`SendFailure.action`); transport problems — no answer,
    /// timeouts — are retried.
    public func send(_ message: WhatsAppOutbound, from phoneNumberID: String, token: String) async -> Result<String, SendFailure> {
        switch await post(message.body, from: phoneNumberID, token: token) {
        case .failure(let failure): return .failure(failure)
        case .success(let body):
            guard let root = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any],
                  let id = JSON.string(JSON.objects(root["messages"]).first?["id"]) else {
                // Accepted (2xx) but without a wamid: we cannot follow its delivery, and sending
                // again could duplicate it. Fail it so a person looks.
                return .failure(SendFailure(.rejected, .fail, message: "the provider answered without a message id"))
            }
            return .success(id)
        }
    }

    /// Marks `messageID` (and the thread before it) read.
    public func markRead(_ messageID: String, on phoneNumberID: String, token: String) async -> Result<Void, SendFailure> {
        await post(WhatsAppOutbound.readReceipt(for: messageID), from: phoneNumberID, token: token).map { _ in () }
    }

    /// POSTs `body` to one of the number's edges (`messages`, `media`); a refusal maps through
    /// the one table (`GraphError`), no answer is retried.
    func post(_ body: [UInt8], to edge: String = "messages", contentType: String = "application/json",
              from phoneNumberID: String, token: String) async -> Result<[UInt8], SendFailure> {
        guard Self.isGraphID(phoneNumberID) else {
            return .failure(SendFailure(.rejected, .fail, message: "the phone number id must be digits"))
        }
        return await request("POST", "\(graphURL)/\(version)/\(phoneNumberID)/\(edge)", token: token, body: body, contentType: contentType)
    }
}
