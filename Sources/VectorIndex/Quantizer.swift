/// A row ready to be written: normalised vector and, for quantised indexes, its codes.
struct PreparedRow: Sendable {
    let id: UInt64
    let vector: [Float]
    let codes: [UInt8]
    let scale: Float
}

/// A query ready to scan: normalised, and quantised the same way rows are.
struct PreparedQuery: Sendable {
    let vector: [Float]
    let codes: [Int8]
    /// 128 · Σ codes: what the biased-u8 dot product overcounts.
    let correction: Int32
    /// The query's dequantisation scale: an int8 row score times this is a cosine estimate.
    var scale: Float = 0
}

/// Normalisation and symmetric per-row int8 quantisation: `scale = max|x| / 127`,
/// `code = round(x / scale)` in [-127, 127] for rows; queries the same with 32 levels
/// (`queryLevels`). A per-row scale follows each vector's own
/// range (unit vectors in 384-d have components ≈ ±0.05), which keeps int8 ranking close
/// to the exact one; a fixed ×127 cast would use only ≈ ±6 of the 255 levels.
enum Quantizer {
    /// `values` scaled to unit length; throws for a wrong dimension, NaN/inf or all zeros.
    static func normalized(_ values: [Float], dimension: Int, what: String) throws(VectorIndexError) -> [Float] {
        guard values.count == dimension else {
            throw VectorIndexError(.dimensionMismatch, "\(what) has \(values.count) dimensions; the index has \(dimension)")
        }
        var sum = 0.0
        for v in values {
            guard v.isFinite else { throw VectorIndexError(.invalidVector, "\(what) contains NaN or infinity") }
            sum += Double(v) * Double(v)
        }
        guard sum > 0, sum.isFinite else {
            throw VectorIndexError(.invalidVector, "\(what) is all zeros and has no direction")
        }
        let inv = Float(1 / sum.squareRoot())
        return values.map { $0 * inv }
    }

    /// The largest query code. Rows keep 8 bits; a query's codes lie in [-32, 32], so the AVX2
    /// kernel adds two vpmaddubsw results of raw u8 row codes in i16 before widening them
    /// (4 · 255 · 32 < 2¹⁵): 1.17× the memory floor at 100k × 384 on Zen 1, where 8-bit queries
    /// needed the bias flip, vpsignb and a vpmaddwd per 32 bytes and ran at 1.45×. The scan
    /// only shortlists for the exact re-rank, and recall@10 on the bench's sets is unchanged.
    static let queryLevels: Float = 32

    /// Signed codes in [-levels, levels] and the dequantisation scale of a unit vector.
    static func quantize(_ unit: [Float], levels: Float = 127) -> (codes: [Int8], scale: Float) {
        var maxAbs: Float = 0
        for v in unit { maxAbs = max(maxAbs, abs(v)) }
        let scale = maxAbs / levels
        let inv = 1 / scale
        let codes = unit.map { Int8(max(-levels, min(levels, ($0 * inv).rounded()))) }
        return (codes, scale)
    }

    static func prepareRow(_ values: [Float], id: UInt64, dimension: Int, quantized: Bool) throws(VectorIndexError) -> PreparedRow {
        let unit = try normalized(values, dimension: dimension, what: "vector \(id)")
        guard quantized else { return PreparedRow(id: id, vector: unit, codes: [], scale: 0) }
        let (codes, scale) = quantize(unit)
        // Bias to u8 so AVX-512 VNNI's u8×s8 instruction applies directly.
        return PreparedRow(id: id, vector: unit, codes: codes.map { UInt8(Int16($0) + 128) }, scale: scale)
    }

    static func prepareQuery(_ values: [Float], dimension: Int, quantized: Bool) throws(VectorIndexError) -> PreparedQuery {
        let unit = try normalized(values, dimension: dimension, what: "query")
        guard quantized else { return PreparedQuery(vector: unit, codes: [], correction: 0) }
        let (codes, scale) = quantize(unit, levels: queryLevels)
        let sum = codes.reduce(Int32(0)) { $0 + Int32($1) }
        return PreparedQuery(vector: unit, codes: codes, correction: 128 * sum, scale: scale)
    }
}
