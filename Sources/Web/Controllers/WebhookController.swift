import Channels
import Desk
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Storage

/// `/webhooks/whatsapp`: Meta's verify handshake (GET) and its notifications (POST). Signed, not
/// signed in: the signature over the raw bytes is the only credential, so these routes are
/// exempt from CSRF (and nothing else is). A POST is answered 200 only after its commit.
struct WebhookController {
    let desk: Desk
    /// Meta sends at most a few hundred KiB; 3 MiB leaves room for large batches.
    static let maxBody = 3 << 20
    static let signatureHeader = HTTPField.Name("X-Hub-Signature-256")!

    func addRoutes(to routes: RouteRegistrar) {
        routes.addPublic(APIRoutes.whatsappVerify) { request, _ in
            let query = request.uri.queryParameters.plain
            guard query["hub.mode"] == "subscribe", let token = query["hub.verify_token"], let challenge = query["hub.challenge"],
                  challenge.utf8.count <= 256, desk.channels.isVerifyToken(token) else {
                throw APIError(status: .forbidden, code: "verification_failed", message: "The verify token does not match a connected number.")
            }
            // The challenge as plain text: no JSON, no quotes, no newline (§1.1).
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: challenge)))
        }
        routes.addPublic(APIRoutes.whatsappReceive) { request, context in
            let body = Array(try await request.collectedBody(upTo: Self.maxBody).readableBytesView)
            let secrets = desk.channels.appSecrets()
            let header = request.headers[Self.signatureHeader]
            guard secrets.contains(where: { WhatsAppSignature.isValid(header, body: body, appSecret: $0) }) else {
                context.logger.notice("webhook refused: signature missing or wrong", metadata: ["atende.webhook": "whatsapp"])
                throw APIError(status: .forbidden, code: "invalid_signature", message: "The X-Hub-Signature-256 header does not match the body.")
            }
            let webhook: WhatsAppWebhook
            do {
                webhook = try WhatsAppWebhook(parsing: body)
            } catch {
                // Signed by Meta but not a shape we read: acknowledge (a retry would not help) and log.
                context.logger.warning("signed webhook not understood; acknowledged", metadata: ["atende.error": "\(error)"])
                return Response(status: .ok)
            }
            do {
                let summary = try await desk.inbox.ingest(webhook, rawBody: body)
                context.logger.debug("webhook stored", metadata: ["atende.webhook.stored": "\(summary.stored)",
                                                                  "atende.webhook.duplicates": "\(summary.duplicates)",
                                                                  "atende.webhook.statuses": "\(summary.statuses)"])
            } catch let error as StorageError {
                // Not stored: 503 so Meta delivers it again.
                context.logger.error("webhook not stored; asking the provider to retry", metadata: ["atende.error": "\(error)"])
                throw APIError(status: .serviceUnavailable, code: "store_unavailable", message: "Not stored; deliver it again.")
            }
            return Response(status: .ok)
        }
    }
}
