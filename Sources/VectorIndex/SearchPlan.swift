/// How a `QuantizedIndex` narrows its rows before the exact re-rank.
public enum FirstPass: Sendable, Hashable {
    /// The 1-bit pass once the index holds `QuantizedIndex.binaryMinimumRows` live rows,
    /// the full int8 scan below that (where the 1-bit pass does not pay).
    case automatic
    /// Always start with the 1-bit pass.
    case binary
    /// Always scan every int8 code (no 1-bit pass).
    case int8Scan
}

/// What one search did: the levels it went through, best first, and how many rows each
/// looked at. For tests, logs and the benchmark ("the index says which it used").
public struct SearchReport: Sendable, Hashable, CustomStringConvertible {
    public enum Level: String, Sendable, Hashable {
        /// Sign bits of every row, a 4-bit query (48 bytes a row at d = 384).
        case binary = "1-bit"
        /// int8 codes: every row, or only the 1-bit pass's candidates.
        case int8
        /// The float32 vectors of the int8 shortlist (exact scores).
        case float32 = "f32"
    }

    public let levels: [Level]
    /// Rows scored from their int8 codes.
    public let int8Rows: Int
    /// Rows re-scored exactly from float32.
    public let exactRows: Int

    public init(levels: [Level], int8Rows: Int, exactRows: Int) {
        self.levels = levels
        self.int8Rows = int8Rows
        self.exactRows = exactRows
    }

    public var description: String {
        levels.map(\.rawValue).joined(separator: " → ") + " (\(int8Rows) int8 rows, \(exactRows) exact)"
    }
}
