/// The 1-bit level of a quantised index: one sign bit per dimension (48 bytes per row at
/// d = 384) in the "bit block" layout of `CVectorKernels/kernels_bits.c`, plus three floats
/// per row that turn the query's table sum into a cosine estimate and its standard error.
///
/// The estimate is RaBitQ's: with x̄ = sign(x)/√d, ⟨x̄, q⟩ / ⟨x̄, x⟩ = Σ qᵢ·sᵢ / ‖x‖₁ is an
/// unbiased estimate of ⟨x, q⟩ whose standard error is about
/// √(1 − α²)/α / √(d − 1), α = ‖x‖₁/√d (≈ 0.8, so ≈ 0.038 at d = 384).
/// The query is kept at 4 bits per dimension (its rounding adds ≈ 0.01 to that error).
enum BinaryCodes {
    static let rowsPerBlock = 32

    /// 32-byte groups per block: 8 dimensions each.
    static func pairs(_ dimension: Int) -> Int { (dimension + 7) / 8 }
    static func blockBytes(_ dimension: Int) -> Int { pairs(dimension) * 32 }
    /// Bytes for `rows` rows, rounded up to whole blocks (the kernels read whole blocks).
    static func bytes(rows: Int, dimension: Int) -> Int {
        (rows + rowsPerBlock - 1) / rowsPerBlock * blockBytes(dimension)
    }

    /// The byte of `slot` in group `pair`.
    @inline(__always)
    static func offset(slot: Int, pair: Int, dimension: Int) -> Int {
        slot / rowsPerBlock * blockBytes(dimension) + pair * 32 + slot % rowsPerBlock
    }

    /// Writes the sign bits and factors of unit vector `unit` for `slot`.
    static func encode(_ unit: UnsafePointer<Float>, dimension d: Int, slot: Int, into s: RowStorage) {
        guard let blocks = s.bitBlocks, let ones = s.bitOnes, let invL1 = s.bitInvL1, let sigma = s.bitSigma else { return }
        var count = 0
        var l1: Float = 0
        for p in 0..<pairs(d) {
            var byte: UInt8 = 0
            for t in 0..<8 where 8 * p + t < d {
                let v = unit[8 * p + t]
                l1 += abs(v)
                if v > 0 {
                    byte |= 1 << UInt8(t)
                    count += 1
                }
            }
            blocks[offset(slot: slot, pair: p, dimension: d)] = byte
        }
        ones[slot] = Float(count)
        invL1[slot] = l1 > 0 ? 1 / l1 : 0
        let alpha = l1 / Float(d).squareRoot()
        sigma[slot] = d > 1 && alpha > 0 ? (max(0, 1 - alpha * alpha)).squareRoot() / alpha / Float(d - 1).squareRoot() : 0
    }

    /// Copies the 1-bit row `from` of `source` to `slot` of `target`.
    static func copy(from source: RowStorage, _ from: Int, to target: RowStorage, _ slot: Int) {
        guard let src = source.bitBlocks, let dst = target.bitBlocks,
              let so = source.bitOnes, let si = source.bitInvL1, let ss = source.bitSigma,
              let to = target.bitOnes, let ti = target.bitInvL1, let ts = target.bitSigma else { return }
        let d = source.dimension
        for p in 0..<pairs(d) {
            dst[offset(slot: slot, pair: p, dimension: d)] = src[offset(slot: from, pair: p, dimension: d)]
        }
        to[slot] = so[from]
        ti[slot] = si[from]
        ts[slot] = ss[from]
    }
}

/// A query ready for the 1-bit pass: its 4-bit grid as lookup tables and the affine terms.
struct BinaryQuery {
    /// 2 · pairs tables of 32 bytes (each 16-entry table twice, one per AVX2 lane).
    let tables: [UInt8]
    /// a = 2·step, b = −Σ q̃, c = 2·minimum (see `atende_vk_bits_affine`).
    let a: Float, b: Float, c: Float
    /// The grid: q̃ᵢ = low + step · levels[i].
    let levels: [UInt8], low: Float, step: Float

    /// Maps each component of unit `query` to uᵢ = round((qᵢ − min) / step) in 0...15.
    init(_ query: [Float]) {
        let d = query.count
        let low = query.min() ?? 0, high = query.max() ?? 0
        let step = high > low ? (high - low) / 15 : 1
        var u = [UInt8](repeating: 0, count: BinaryCodes.pairs(d) * 8)
        var sum: Float = 0
        for i in 0..<d {
            let level = min(15, max(0, ((query[i] - low) / step).rounded()))
            u[i] = UInt8(level)
            sum += low + step * level
        }
        var tables = [UInt8](repeating: 0, count: BinaryCodes.pairs(d) * 2 * 32)
        for position in 0..<BinaryCodes.pairs(d) * 2 {
            for m in 0..<16 {
                var s = 0
                for t in 0..<4 where m >> t & 1 == 1 { s += Int(u[4 * position + t]) }
                tables[position * 32 + m] = UInt8(s)
                tables[position * 32 + 16 + m] = UInt8(s)
            }
        }
        self.tables = tables
        (levels, self.low, self.step) = (Array(u.prefix(d)), low, step)
        a = 2 * step
        b = -sum
        c = 2 * low
    }
}
