import AtendeCrypto
import Foundation

/// Twilio's proof that a webhook came from Twilio (wire-protocols.md §5.4): `X-Twilio-Signature`
/// is base64 of HMAC-SHA1, keyed with the account's auth token, over the full URL Twilio
/// requested followed by every POST parameter — names sorted byte-wise, each name's values
/// sorted, name and value appended with no separator. Compared in constant time.
///
/// The URL must be the one Twilio called, as the public side of the operator's proxy presents it
/// (`public_url`), query string included exactly as sent. Twilio is inconsistent about the
/// default port (`:443`, `:80`), so, like Twilio's own libraries, the check accepts the URL with
/// and without it.
public enum TwilioSignature {
    public static let header = "X-Twilio-Signature"

    /// The header value Twilio sends for a form POST to `url` with `parameters` (URL-decoded
    /// name–value pairs; a repeated name appears once per value).
    public static func sign(url: String, parameters: [(name: String, value: String)], authToken: String) throws(CryptoError) -> String {
        let mac = try HMAC.sha1(key: Array(authToken.utf8), message: Array(signedText(url: url, parameters: parameters).utf8))
        return Data(mac).base64EncodedString()
    }

    /// Whether `header` (nil when absent) signs this form POST under `authToken`. A missing,
    /// malformed or wrong signature, or an empty token, is simply false.
    public static func isValid(_ header: String?, url: String, parameters: [(name: String, value: String)], authToken: String) -> Bool {
        guard let header, !authToken.isEmpty else { return false }
        let received = Array(header.utf8)
        return urlVariants(url).contains { variant in
            guard let expected = try? sign(url: variant, parameters: parameters, authToken: authToken) else { return false }
            return ConstantTime.equal(received, Array(expected.utf8))
        }
    }

    /// The text that is signed: the URL, then each parameter's name and value, names in byte
    /// order (case-sensitive) and, for a repeated name, its distinct values in byte order (as
    /// twilio-python's `RequestValidator` computes it).
    static func signedText(url: String, parameters: [(name: String, value: String)]) -> String {
        var seen = Set<[String]>()
        let distinct = parameters.filter { seen.insert([$0.name, $0.value]).inserted }
        let sorted = distinct.sorted { a, b in
            a.name == b.name ? a.value.utf8.lexicographicallyPrecedes(b.value.utf8) : a.name.utf8.lexicographicallyPrecedes(b.name.utf8)
        }
        return sorted.reduce(url) { $0 + $1.name + $1.value }
    }

    /// `url` as given, and with its default port added (when it has none) or removed (when it
    /// has the default one); anything else is left exactly as it was.
    static func urlVariants(_ url: String) -> [String] {
        guard let schemeEnd = url.range(of: "://") else { return [url] }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard let port = ["https": "443", "http": "80"][scheme] else { return [url] }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd], tail = rest[authorityEnd...]
        let head = url[..<schemeEnd.upperBound]
        // A host with a port: "host:443" (an IPv6 literal's colons are inside brackets).
        let hostEnd = authority.lastIndex(of: "]") ?? authority.startIndex
        if let colon = authority[hostEnd...].lastIndex(of: ":") {
            guard authority[authority.index(after: colon)...] == port else { return [url] }
            return [url, String(head + authority[..<colon] + tail)]
        }
        return [url, String(head + authority + ":" + port + tail)]
    }
}
