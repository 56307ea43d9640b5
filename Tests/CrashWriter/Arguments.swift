/// The command line: `CrashWriter MODE --name value… [--flag…]`. Hand-rolled because this
/// helper only links Storage and Logging (the manifest keeps test helpers lean).
struct Arguments {
    enum Mode: String { case write, diskFull = "disk-full", holdRead = "hold-read" }

    var mode: Mode
    var data = ""
    var ledger = ""
    /// The first number written; the harness gives each run its own range so numbers never repeat.
    var base = 1
    var writers = 16
    /// Stop after this many writes (nil: write until killed).
    var count: Int?
    var pad = 200
    /// Negative control (reliability.md B1): acknowledge before the write is committed.
    var ackBeforeCommit = false
    /// disk-full: how many bytes the data file may grow past its size when the limit is set.
    var headroom = 256 << 10

    static let usage = """
        usage: CrashWriter write --data DIR --ledger FILE [--base N] [--writers N] [--count N] [--pad BYTES] [--ack-before-commit]
               CrashWriter disk-full --data DIR --ledger FILE [--writers N] [--headroom BYTES]
               CrashWriter hold-read --data DIR
        """

    init(_ argv: [String]) throws(UsageError) {
        guard let first = argv.first, let mode = Mode(rawValue: first) else {
            throw UsageError("the first argument must be a mode: write, disk-full or hold-read")
        }
        self.mode = mode
        var rest = argv.dropFirst()
        while let name = rest.popFirst() {
            if name == "--ack-before-commit" { ackBeforeCommit = true; continue }
            guard let value = rest.popFirst() else { throw UsageError("\(name) needs a value") }
            switch name {
            case "--data": data = value
            case "--ledger": ledger = value
            case "--base": base = try Self.number(name, value)
            case "--writers": writers = try Self.number(name, value)
            case "--count": count = try Self.number(name, value)
            case "--pad": pad = try Self.number(name, value)
            case "--headroom": headroom = try Self.number(name, value)
            default: throw UsageError("unknown option \(name)")
            }
        }
        guard !data.isEmpty else { throw UsageError("--data is required") }
        guard mode == .holdRead || !ledger.isEmpty else { throw UsageError("--ledger is required") }
        guard writers >= 1 else { throw UsageError("--writers must be at least 1") }
    }

    private static func number(_ name: String, _ value: String) throws(UsageError) -> Int {
        guard let n = Int(value), n >= 0 else { throw UsageError("\(name) needs a non-negative number, got \(value)") }
        return n
    }
}

struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
