import Desk
import Hummingbird

/// The session cookie: HttpOnly, SameSite=Lax, Path=/; over TLS `__Host-atende_sid` with Secure
/// (the prefix makes browsers refuse it without Secure, Path=/ and with a Domain).
enum SessionCookie {
    static func set(_ session: NewSession, secure: Bool, on response: inout Response) {
        response.setCookie(Cookie(name: name(secure: secure), value: session.id, path: "/", secure: secure,
                                  httpOnly: true, sameSite: .lax))
    }

    static func clear(secure: Bool, on response: inout Response) {
        response.setCookie(Cookie(name: name(secure: secure), value: "", maxAge: 0, path: "/", secure: secure,
                                  httpOnly: true, sameSite: .lax))
    }

    static func name(secure: Bool) -> String { secure ? "__Host-atende_sid" : "atende_sid" }
}
