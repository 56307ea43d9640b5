import AtendeCrypto

/// Meta's proof that a webhook POST came from Meta (wire-protocols.md §1.2):
/// `X-Hub-Signature-256: sha256=<lower-case hex of HMAC-SHA256(app secret, raw body)>`.
/// Checked over the bytes exactly as received — parsing and re-encoding them changes escaped
/// unicode and breaks the check — and compared in constant time.
public enum WhatsAppSignature {
    public static let header = "X-Hub-Signature-256"

    /// Whether `header` (the `X-Hub-Signature-256` value, or nil when absent) signs `body` under
    /// `appSecret`. A missing, malformed or wrong signature is simply false.
    public static func isValid(_ header: String?, body: some Collection<UInt8>, appSecret: [UInt8]) -> Bool {
        guard let header, header.hasPrefix("sha256="), !appSecret.isEmpty else { return false }
        let received = Array(header.utf8.dropFirst("sha256=".utf8.count))
        guard received.count == 64, let mac = try? HMAC.sha256(key: appSecret, message: Array(body)) else { return false }
        return ConstantTime.equal(received, Array(mac.hexString.utf8))
    }

    /// The header value for `body` under `appSecret` (for our own tests and the fake provider).
    public static func sign(_ body: some Collection<UInt8>, appSecret: [UInt8]) throws(CryptoError) -> String {
        "sha256=" + (try HMAC.sha256(key: appSecret, message: Array(body))).hexString
    }
}

/// The GET handshake Meta makes when the callback URL is saved (§1.1): answer the challenge, as
/// plain text, only when `hub.mode` is `subscribe` and `hub.verify_token` is ours.
public enum WhatsAppVerification {
    /// The body to answer with (HTTP 200, text/plain), or nil to answer 403.
    public static func challenge(mode: String?, token: String?, challenge: String?, verifyToken: String) -> String? {
        guard mode == "subscribe", let token, let challenge, !verifyToken.isEmpty,
              ConstantTime.equal(Array(token.utf8), Array(verifyToken.utf8)) else { return nil }
        return challenge
    }
}
