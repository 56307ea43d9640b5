import Logging
import Synchronization

/// Keeps every log record it is given, for tests that assert what a server logged.
public final class LogRecorder: Sendable {
    public struct Record: Sendable {
        public let level: Logger.Level
        public let message: String
        public let metadata: [String: String]
    }

    private let records = Mutex<[Record]>([])

    public init() {}

    /// A logger, at `level`, whose records land here.
    public func logger(level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: "test") { _ in Handler(recorder: self) }
        logger.logLevel = level
        return logger
    }

    public var all: [Record] { records.withLock { $0 } }

    /// Each record as one line of text: its message, then its metadata.
    public var lines: [String] { all.map { "\($0.message) \($0.metadata)" } }

    /// The records at `level` or above.
    public func records(atLeast level: Logger.Level) -> [Record] { all.filter { $0.level >= level } }

    struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var fields: [String: String] = [:]
            for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { fields[key] = "\(value)" }
            let record = Record(level: event.level, message: "\(event.message)", metadata: fields)
            recorder.records.withLock { $0.append(record) }
        }
    }
}
