internal import CVectorKernels

/// The scan kernels of one `KernelPath`. A value type holding only the path, so an index
/// resolves the switch once per block of rows, not once per row.
///
/// int8 convention: rows are u8 (code + 128), queries s8; `dotU8S8` returns Σ u8·s8 and the
/// caller subtracts `128 · Σ q` (the "correction") once per query.
public struct Kernels: Sendable, Hashable {
    public let path: KernelPath

    /// Kernels for `path`. Precondition: this CPU supports it (see `CPUFeatures.supports`).
    public init(_ path: KernelPath = .selected) {
        precondition(CPUFeatures.current.supports(path), "kernel path \(path) is not supported on this CPU")
        self.path = path
    }

    /// Σ a[i]·b[i] over `n` floats.
    @inlinable
    public func dotF32(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        switch path {
        case .portable: PortableKernels.dotF32(a, b, n)
        case .avx2: cDotF32AVX2(a, b, n)
        case .avx512, .avx512vnni: cDotF32AVX512(a, b, n)
        }
    }

    /// Σ a[i]·b[i] over `n` bytes, a unsigned and b signed.
    @inlinable
    public func dotU8S8(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<Int8>, _ n: Int) -> Int32 {
        switch path {
        case .portable: PortableKernels.dotU8S8(a, b, n)
        case .avx2: cDotU8S8(a, b, n, .avx2)
        case .avx512: cDotU8S8(a, b, n, .avx512)
        case .avx512vnni: cDotU8S8(a, b, n, .avx512vnni)
        }
    }

    /// Scores `rows` consecutive f32 rows (`stride` floats apart) against `query` into `out`;
    /// returns the largest score (-infinity for zero rows).
    public func blockF32(_ rows: UnsafePointer<Float>, stride: Int, count: Int,
                         query: UnsafePointer<Float>, dim: Int, into out: UnsafeMutablePointer<Float>) -> Float {
        switch path {
        case .portable:
            var best = -Float.infinity
            for r in 0..<count {
                let s = PortableKernels.dotF32(rows + r &* stride, query, dim)
                out[r] = s
                if s > best { best = s }
            }
            return best
        case .avx2: return atende_vk_avx2_block_f32(rows, stride, count, query, dim, out)
        case .avx512, .avx512vnni: return atende_vk_avx512_block_f32(rows, stride, count, query, dim, out)
        }
    }

    /// Scores `count` int8 rows: `out[r] = (Σ u8·q − correction) · scales[r]`; returns the largest.
    /// Codes must be in 1…255 and the query in −127…127 (the AVX2 kernel's vpmaddubsw relies on
    /// it; `dotU8S8` takes any values). A query within ±32, as `Quantizer` makes them, takes the
    /// AVX2 kernel's faster path; every path returns the same scores.
    public func blockU8S8(_ codes: UnsafePointer<UInt8>, stride: Int, count: Int,
                          query: UnsafePointer<Int8>, dim: Int, correction: Int32,
                          scales: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) -> Float {
        switch path {
        case .portable:
            var best = -Float.infinity
            for r in 0..<count {
                let d = PortableKernels.dotU8S8(codes + r &* stride, query, dim)
                let s = Float(d &- correction) * scales[r]
                out[r] = s
                if s > best { best = s }
            }
            return best
        case .avx2:
            return atende_vk_avx2_block_u8s8(codes, stride, count, query, dim, correction, scales, out)
        case .avx512:
            return atende_vk_avx512_block_u8s8(codes, stride, count, query, dim, correction, scales, out)
        case .avx512vnni:
            return atende_vk_avx512vnni_block_u8s8(codes, stride, count, query, dim, correction, scales, out)
        }
    }
}

extension Kernels {
    /// The 1-bit pass over `count` rows starting at a block boundary: out[r] is the row's
    /// cosine estimate plus `affine.z` standard errors; returns the largest.
    func scanBits(_ blocks: UnsafePointer<UInt8>, dimension: Int, count: Int, tables: UnsafePointer<UInt8>,
                  affine: atende_vk_bits_affine, ones: UnsafePointer<Float>, invL1: UnsafePointer<Float>,
                  sigma: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) -> Float {
        var f = affine
        let pairs = BinaryCodes.pairs(dimension)
        switch path {
        case .portable: return atende_vk_scalar_scan_bits(blocks, pairs, count, tables, &f, ones, invL1, sigma, out)
        case .avx2, .avx512, .avx512vnni:
            return atende_vk_avx2_scan_bits(blocks, pairs, count, tables, &f, ones, invL1, sigma, out)
        }
    }

    /// The indices i < n with low ≤ values[i] < high, grouped into `bands` bands of value
    /// (`width` wide, falling from `high`; the last takes every lower value), ascending within a
    /// band: band b is out[ends[b − 1] ..< ends[b]]. `scratch` and `out` have room for n,
    /// `ends` for `bands` (at most `maxBands`). Returns how many were selected.
    func selectBands(_ values: UnsafePointer<Float>, count n: Int, low: Float, high: Float, width: Float, bands: Int,
                     scratch: UnsafeMutablePointer<UInt32>, into out: UnsafeMutablePointer<UInt32>,
                     ends: UnsafeMutablePointer<Int>) -> Int {
        switch path {
        case .portable: atende_vk_select_bands(values, n, low, high, width, bands, scratch, out, ends)
        case .avx2, .avx512, .avx512vnni: atende_vk_avx2_select_bands(values, n, low, high, width, bands, scratch, out, ends)
        }
    }

    static var maxBands: Int { Int(ATENDE_VK_MAX_BANDS) }

    /// int8 scores of the listed rows: out[i] = (Σ u8·q − correction) · scales[rows[i]].
    /// `streaming`: the codes are far larger than the cache (see `IndexCore.streamingCodeBytes`).
    func gatherU8S8(_ codes: UnsafePointer<UInt8>, stride: Int, rows: UnsafePointer<UInt32>, count: Int,
                    query: UnsafePointer<Int8>, dim: Int, correction: Int32,
                    scales: UnsafePointer<Float>, streaming: Bool, into out: UnsafeMutablePointer<Float>) {
        switch path {
        case .portable:
            for i in 0..<count {
                let r = Int(rows[i])
                out[i] = Float(PortableKernels.dotU8S8(codes + r &* stride, query, dim) &- correction) * scales[r]
            }
        case .avx2: atende_vk_avx2_gather_u8s8(codes, stride, rows, count, query, dim, correction, scales, streaming, out)
        case .avx512: atende_vk_avx512_gather_u8s8(codes, stride, rows, count, query, dim, correction, scales, out)
        case .avx512vnni: atende_vk_avx512vnni_gather_u8s8(codes, stride, rows, count, query, dim, correction, scales, out)
        }
    }
}

// Non-inlinable trampolines so the C module stays an internal import.
@usableFromInline
func cDotF32AVX2(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    atende_vk_avx2_dot_f32(a, b, n)
}

@usableFromInline
func cDotF32AVX512(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    atende_vk_avx512_dot_f32(a, b, n)
}

@usableFromInline
func cDotU8S8(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<Int8>, _ n: Int, _ path: KernelPath) -> Int32 {
    switch path {
    case .avx2: atende_vk_avx2_dot_u8s8(a, b, n)
    case .avx512: atende_vk_avx512_dot_u8s8(a, b, n)
    default: atende_vk_avx512vnni_dot_u8s8(a, b, n)
    }
}
