#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The value of an environment variable, or nil.
func environmentValue(_ name: String) -> String? {
    guard let raw = getenv(name) else { return nil }
    return String(cString: raw)
}

/// The current thread's errno (a function so callers need not import libc).
func currentErrno() -> Int32 { errno }

/// Human text for an errno value.
func errnoText(_ code: Int32) -> String { String(cString: strerror(code)) }

/// open(2), named so it does not collide with `open` methods.
func posixOpen(_ path: String, _ flags: Int32) -> Int32 { open(path, flags) }
