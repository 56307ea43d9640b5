import Channels
import Desk
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Storage

/// Twilio's webhooks (texts, delivery statuses, calls, dial results, voicemail recordings) and
/// Settings → Channels → Twilio. Webhooks are signed, not signed in: `X-Twilio-Signature` over
/// `public_url` + the path and query + every form parameter is the only credential (403 without
/// it). A webhook that stores something is answered only after its commit.
struct TwilioController {
    let telephony: Telephony
    /// Twilio's forms are a few KiB; MMS with ten media links stay far below this.
    static let maxBody = 64 << 10
    static let signatureHeader = HTTPField.Name(TwilioSignature.header)!

    func addRoutes(to routes: RouteRegistrar) {
        routes.addPublic(APIRoutes.twilioSMS) { request, context in
            let (form, body) = try await verified(request, context: context)
            guard let sms = TwilioInboundMessage(form) else { return notUnderstood(context, "SMS") }
            let summary = try await stored(context) { try await telephony.ingest(sms, rawBody: body) }
            context.logger.debug("SMS stored", metadata: ["atende.webhook.stored": "\(summary.stored)", "atende.webhook.duplicates": "\(summary.duplicates)"])
            return twiml(TwiML.empty)
        }
        routes.addPublic(APIRoutes.twilioStatus) { request, context in
            let (form, body) = try await verified(request, context: context)
            guard let status = TwilioMessageStatus(form) else { return notUnderstood(context, "status") }
            try await stored(context) { try await telephony.apply(status, rawBody: body) }
            return Response(status: .noContent)
        }
        routes.addPublic(APIRoutes.twilioVoice) { request, context in
            let (form, _) = try await verified(request, context: context)
            guard let call = TwilioCall(form) else { return notUnderstood(context, "call") }
            return twiml(try await stored(context) { try await telephony.incoming(call) })
        }
        routes.addPublic(APIRoutes.twilioDialStatus) { request, context in
            let (form, _) = try await verified(request, context: context)
            guard let result = TwilioDialResult(form) else { return notUnderstood(context, "dial result") }
            return twiml(try await stored(context) { try await telephony.dialed(result) })
        }
        routes.addPublic(APIRoutes.twilioRecording) { request, context in
            let (form, _) = try await verified(request, context: context)
            guard let recording = TwilioRecording(form) else { return notUnderstood(context, "recording") }
            try await stored(context) { try await telephony.recorded(recording) }
            return twiml(TwiML.empty)
        }

        routes.add(APIRoutes.getTwilio) { _, _ in try jsonResponse(try telephony.view()) }
        routes.add(APIRoutes.updateTwilio) { request, context in
            let body = try await request.decodeJSON(as: TwilioBody.self, context: context)
            return try jsonResponse(try await telephony.update(try body.input, by: context.requester))
        }
        routes.add(APIRoutes.testTwilio) { _, _ in
            let account = try await telephony.test()
            return try jsonResponse(TwilioTestView(ok: true, account: ["sid": account.sid, "friendly_name": account.friendlyName,
                                                                     "status": account.status, "type": account.type ?? ""]))
        }
    }

    /// The form of a signed request: 403 naming what is wrong (no `public_url`, Twilio not
    /// connected, a bad signature) otherwise; 413 over the size cap; 400 when not a form.
    private func verified(_ request: Request, context: AtendeContext) async throws -> (TwilioForm, [UInt8]) {
        let body = Array(try await request.collectedBody(upTo: Self.maxBody).readableBytesView)
        let form: TwilioForm
        do {
            form = try TwilioForm(body)
        } catch {
            throw APIError(status: .badRequest, code: "invalid_body", message: "The body is not an application/x-www-form-urlencoded form.")
        }
        if let refusal = telephony.refusal(signature: request.headers[Self.signatureHeader], path: request.uri.path,
                                           query: request.uri.query, parameters: form.parameters) {
            context.logger.notice("webhook refused", metadata: ["atende.webhook": "twilio", "atende.reason": "\(refusal)"])
            throw APIError(status: .forbidden, code: "invalid_signature", message: "Refused: \(refusal).")
        }
        return (form, body)
    }

    /// Runs `work`; a store that cannot take it answers 503 so Twilio's fallback (or a retry) can act.
    @discardableResult
    private func stored<T>(_ context: AtendeContext, _ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let error as StorageError {
            context.logger.error("Twilio webhook not stored", metadata: ["atende.error": "\(error)"])
            throw APIError(status: .serviceUnavailable, code: "store_unavailable", message: "Not stored; deliver it again.")
        }
    }

    /// Signed by Twilio but missing what we need: acknowledged (asking again would not help) and logged.
    private func notUnderstood(_ context: AtendeContext, _ what: String) -> Response {
        context.logger.warning("signed Twilio webhook not understood; acknowledged", metadata: ["atende.webhook.kind": "\(what)"])
        return twiml(TwiML.empty)
    }

    private func twiml(_ xml: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/xml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: xml)))
    }
}

/// The body of PUT /api/v1/channels/twilio: every field optional (left out: unchanged); the
/// auth token is write-only; `forward_to` and `quiet_hours` may be null to clear them.
struct TwilioBody: Decodable {
    let account_sid: String?
    let auth_token: String?
    let numbers: [String]?
    let forward_to: String??
    let ring_seconds: Int?
    let text_back_enabled: Bool?
    let text_back: [String: String]?
    let text_back_period_hours: Int?
    let quiet_hours: QuietHoursBody??
    let text_back_during_quiet_hours: Bool?
    let voicemail: Bool?
    let text_back_via: String?
    let text_back_template: TemplateBody??

    struct QuietHoursBody: Decodable { let start: String, end: String }
    struct TemplateBody: Decodable { let name: String, language: String }

    enum CodingKeys: String, CodingKey {
        case account_sid, auth_token, numbers, forward_to, ring_seconds, text_back_enabled, text_back, text_back_period_hours
        case quiet_hours, text_back_during_quiet_hours, voicemail, text_back_via, text_back_template
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        account_sid = try c.decodeIfPresent(String.self, forKey: .account_sid)
        auth_token = try c.decodeIfPresent(String.self, forKey: .auth_token)
        numbers = try c.decodeIfPresent([String].self, forKey: .numbers)
        forward_to = c.contains(.forward_to) ? .some(try c.decodeIfPresent(String.self, forKey: .forward_to)) : nil
        ring_seconds = try c.decodeIfPresent(Int.self, forKey: .ring_seconds)
        text_back_enabled = try c.decodeIfPresent(Bool.self, forKey: .text_back_enabled)
        text_back = try c.decodeIfPresent([String: String].self, forKey: .text_back)
        text_back_period_hours = try c.decodeIfPresent(Int.self, forKey: .text_back_period_hours)
        quiet_hours = c.contains(.quiet_hours) ? .some(try c.decodeIfPresent(QuietHoursBody.self, forKey: .quiet_hours)) : nil
        text_back_during_quiet_hours = try c.decodeIfPresent(Bool.self, forKey: .text_back_during_quiet_hours)
        voicemail = try c.decodeIfPresent(Bool.self, forKey: .voicemail)
        text_back_via = try c.decodeIfPresent(String.self, forKey: .text_back_via)
        text_back_template = c.contains(.text_back_template) ? .some(try c.decodeIfPresent(TemplateBody.self, forKey: .text_back_template)) : nil
    }

    var input: TwilioSetupInput {
        get throws {
        var input = TwilioSetupInput()
        if let via = text_back_via {
            guard let parsed = TwilioSetup.TextBackVia(rawValue: via) else {
                throw DeskError.invalid("text_back_via", "The text-back goes by \"sms\" or \"whatsapp\".")
            }
            input.textBackVia = parsed
        }
        input.textBackTemplate = text_back_template.map { $0.map { TwilioSetup.TemplateRef(name: $0.name, language: $0.language) } }
        input.accountSID = account_sid
        input.authToken = auth_token
        input.numbers = numbers
        input.forwardTo = forward_to.map { $0.flatMap { $0.isEmpty ? nil : $0 } }
        input.ringSeconds = ring_seconds
        input.textBackEnabled = text_back_enabled
        input.textBack = text_back
        input.textBackPeriodHours = text_back_period_hours
        input.quietHours = quiet_hours.map { $0.map { TwilioSetup.QuietHours(start: $0.start, end: $0.end) } }
        input.textBackDuringQuietHours = text_back_during_quiet_hours
        input.voicemail = voicemail
        return input
        }
    }
}

struct TwilioTestView: Encodable {
    let ok: Bool
    let account: [String: String]
}
