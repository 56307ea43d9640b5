public import Foundation
import Storage

/// What a job does: the name its handler is registered under (`sweep`, later `outbox.send`, …).
public struct JobKind: Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws { var c = encoder.singleValueContainer(); try c.encode(rawValue) }
    public var description: String { rawValue }
}

/// Where a job stands. A running job holds a lease; a failed one stays for people to see.
public enum JobState: String, Codable, Sendable {
    case pending, running, failed
}

/// One job as stored: kept in the `jobs` collection under its id, and — while pending or
/// running — in the `jobs#next` index under the time it is next looked at.
public struct Job: Codable, Sendable, Equatable {
    /// A time-ordered id, or a fixed name for a job of which there is only ever one (`sweep`).
    public let id: String
    public let kind: JobKind
    /// The handler's input, as JSON text.
    public let payload: String
    public let createdAt: Date
    public internal(set) var state: JobState
    /// Pending: when it is due. Running: when its lease ends (a runner that died lets it go then).
    public internal(set) var nextAt: Date
    /// Attempts started so far.
    public internal(set) var attempts: Int
    /// Why the last attempt did not succeed.
    public internal(set) var lastError: String?

    /// Decodes the payload as `T`.
    public func input<T: Decodable>(as type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(payload.utf8))
    }
}

/// What a handler says about one attempt.
public enum JobOutcome: Sendable, Equatable {
    /// Done: the job is removed.
    case done
    /// Try again later, after the retry policy's backoff — or, when the provider said how long to
    /// wait (`Retry-After`), after that. Past the policy's attempts, the job fails.
    case retry(reason: String, after: TimeInterval? = nil)
    /// Do not try again; the job stays as failed with `reason`.
    case fail(reason: String)
    /// Done for now; run it again at `date` (a recurring job), with its attempts reset.
    case again(at: Date)
    /// Not an attempt (a send waiting for its slot): run it again at `date`, its attempts and
    /// last error as they were before this run.
    case wait(until: Date)
}

extension Job {
    /// Millisecond time as an index key: 8 bytes big-endian, so keys sort by time.
    static func timeKey(_ date: Date) -> Key { Key(UInt64(max(0, (date.timeIntervalSince1970 * 1000).rounded(.down)))) }
}
