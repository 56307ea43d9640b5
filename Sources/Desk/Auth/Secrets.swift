import AtendeCrypto
import Foundation

/// Random identifiers and their one-way digests. Session ids, API tokens and setup tokens are
/// shown to their holder once and stored only as SHA-256 digests, so a copy of the store (or a
/// backup) does not let anyone sign in. A fast digest is right here, unlike for passwords: the
/// inputs are 128+ random bits, so there is nothing to guess.
enum Secrets {
    /// `count` bytes from the system CSPRNG (getrandom on Linux), as unpadded base64url.
    static func randomToken(bytes count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return base64url(bytes)
    }

    static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// SHA-256 of the UTF-8 bytes of `text`, as lower-case hex.
    static func digest(_ text: String) -> String {
        do {
            return try SHA256.hex(text)
        } catch {
            // SHA-256 fails only when libcrypto cannot allocate; nothing sensible can continue
            // then, and a wrong digest would be a security bug.
            preconditionFailure("SHA-256 failed: \(error)")
        }
    }
}
