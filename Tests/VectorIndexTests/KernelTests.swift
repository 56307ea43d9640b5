import Testing
@testable import VectorIndex

/// Every kernel path this CPU can run, checked against a scalar reference.
/// (On the Zen 5 build machine that is all four: portable, avx2, avx512, avx512vnni.)
let supportedPaths = KernelPath.allCases.filter { CPUFeatures.current.supports($0) }

/// Lengths covering every tail 0–63 after the vector loops, plus multi-block lengths.
let kernelLengths = Array(0...63) + [64, 65, 127, 128, 129, 191, 255, 383, 384, 385, 447, 1000]

@Suite("Kernels")
struct KernelTests {
    @Test("f32 dot product matches a scalar double reference for every tail length and unaligned start",
          arguments: supportedPaths)
    func f32DotMatchesScalar(path: KernelPath) {
        let kernels = Kernels(path)
        var rng = SeededRandom(seed: 11)
        let base = rng.gaussianVector(1100), other = rng.gaussianVector(1100)
        for n in kernelLengths {
            for offset in [0, 1, 3, 7] {
                let a = Array(base[offset..<offset + n]), b = Array(other[(7 - offset)..<(7 - offset) + n])
                var reference = 0.0, magnitude = 0.0
                for i in 0..<n {
                    reference += Double(a[i]) * Double(b[i])
                    magnitude += abs(Double(a[i]) * Double(b[i]))
                }
                let got = base.withUnsafeBufferPointer { pa in
                    other.withUnsafeBufferPointer { pb in
                        kernels.dotF32(pa.baseAddress! + offset, pb.baseAddress! + (7 - offset), n)
                    }
                }
                #expect(abs(Double(got) - reference) <= 1e-5 * max(magnitude, 1),
                        "path \(path) n \(n) offset \(offset): \(got) vs \(reference)")
            }
        }
    }

    @Test("int8 dot product equals the exact integer sum for every tail length and unaligned start",
          arguments: supportedPaths)
    func int8DotIsExact(path: KernelPath) {
        let kernels = Kernels(path)
        var rng = SeededRandom(seed: 12)
        // Include the extremes (0/255 rows, ±127 and -128 queries) that saturate narrower sums.
        var rows = (0..<1100).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        var query = (0..<1100).map { _ in Int8(truncatingIfNeeded: rng.next()) }
        for i in stride(from: 0, to: 200, by: 1) { rows[i] = 255; query[i] = i % 2 == 0 ? 127 : -128 }
        for n in kernelLengths {
            for offset in [0, 1, 5, 33] {
                var reference: Int32 = 0
                for i in 0..<n { reference += Int32(rows[offset + i]) * Int32(query[i + 2]) }
                let got = rows.withUnsafeBufferPointer { pa in
                    query.withUnsafeBufferPointer { pb in kernels.dotU8S8(pa.baseAddress! + offset, pb.baseAddress! + 2, n) }
                }
                #expect(got == reference, "path \(path) n \(n) offset \(offset)")
            }
        }
    }

    /// The query ranges the int8 kernels are checked over: the widest the AVX2 kernel takes, the
    /// one Quantizer makes (the AVX2 kernel's narrow path), and one past it (the wide path again).
    static let queryBounds = [127, Int(Quantizer.queryLevels), Int(Quantizer.queryLevels) + 1]

    @Test("block kernels score each row like the single dot product and return the block maximum",
          arguments: supportedPaths, queryBounds)
    func blockKernelsMatchRowByRow(path: KernelPath, bound: Int) {
        let kernels = Kernels(path)
        var rng = SeededRandom(seed: 13)
        // 4096 and 4128: either side of the widest query the AVX2 vpmaddubsw kernels take.
        for dim in [1, 8, 15, 16, 32, 63, 64, 96, 100, 128, 384, 4096, 4128] {
            let rows = 37
            let f = rng.gaussianVector(rows * dim), q = rng.gaussianVector(dim)
            // The domain Quantizer produces (and the AVX2 vpmaddubsw kernel relies on): codes
            // −127…127 biased to 1…255, queries within ±bound; the first rows hit its extremes.
            var codes = (0..<rows * dim).map { _ in UInt8(1 + rng.next() % 255) }
            var qc = (0..<dim).map { _ in Int8(Int(rng.next() % UInt64(2 * bound + 1)) - bound) }
            // The first 64 query codes at ±bound in pairs of one sign (+ + − − …): row 0 puts
            // every product of a vpmaddubsw pair, and of the two pairs the narrow path adds in
            // i16, at its maximum, row 1 at its minimum.
            for i in 0..<dim {
                if i < 64 { qc[i] = (i / 2) % 2 == 0 ? Int8(bound) : Int8(-bound) }
                codes[i] = qc[i] > 0 ? 255 : 1          // row 0: every product at its maximum
                codes[dim + i] = qc[i] > 0 ? 1 : 255    // row 1: at its minimum
            }
            let scales = (0..<rows).map { _ in Float(rng.next() % 100 + 1) / 1000 }
            let correction = 128 * qc.reduce(Int32(0)) { $0 + Int32($1) }
            var out = [Float](repeating: 0, count: rows)
            let best = f.withUnsafeBufferPointer { pf in q.withUnsafeBufferPointer { pq in
                out.withUnsafeMutableBufferPointer { po in
                    kernels.blockF32(pf.baseAddress!, stride: dim, count: rows, query: pq.baseAddress!, dim: dim, into: po.baseAddress!)
                } } }
            for r in 0..<rows {
                let single = f.withUnsafeBufferPointer { pf in q.withUnsafeBufferPointer { kernels.dotF32(pf.baseAddress! + r * dim, $0.baseAddress!, dim) } }
                #expect(abs(out[r] - single) <= 1e-5 * Float(dim), "f32 row \(r) dim \(dim)")
            }
            #expect(best == out.max())
            let bestI8 = codes.withUnsafeBufferPointer { pc in qc.withUnsafeBufferPointer { pq in scales.withUnsafeBufferPointer { ps in
                out.withUnsafeMutableBufferPointer { po in
                    kernels.blockU8S8(pc.baseAddress!, stride: dim, count: rows, query: pq.baseAddress!, dim: dim,
                                      correction: correction, scales: ps.baseAddress!, into: po.baseAddress!)
                } } } }
            for r in 0..<rows {
                var dot: Int32 = 0
                for i in 0..<dim { dot += (Int32(codes[r * dim + i]) - 128) * Int32(qc[i]) }
                #expect(out[r] == Float(dot) * scales[r], "int8 row \(r) dim \(dim) bound \(bound)")
            }
            #expect(bestI8 == out.max())
        }
    }

    @Test("a query is quantised within the AVX2 kernel's narrow range and reaches its ends; the correction matches its codes")
    func queriesAreQuantisedNarrow() throws {
        var rng = SeededRandom(seed: 21)
        for _ in 0..<20 {
            let query = try Quantizer.prepareQuery(rng.gaussianVector(384), dimension: 384, quantized: true)
            #expect(query.codes.map { abs(Int($0)) }.max() == Int(Quantizer.queryLevels))
            #expect(query.correction == 128 * query.codes.reduce(Int32(0)) { $0 + Int32($1) })
        }
    }

    @Test("an empty block scores nothing and reports minus infinity", arguments: supportedPaths)
    func emptyBlock(path: KernelPath) {
        let kernels = Kernels(path)
        var out: Float = 0, q: Float = 1, row: Float = 1
        #expect(kernels.blockF32(&row, stride: 1, count: 0, query: &q, dim: 1, into: &out) == -.infinity)
    }
}

@Suite("Kernel selection")
struct KernelSelectionTests {
    @Test("the default path is the best one this CPU supports unless the environment forces another")
    func defaultIsBest() {
        let cpu = CPUFeatures.current
        #expect(cpu.supports(cpu.bestPath))
        #expect(KernelPath.choose(cpu: cpu, requested: nil).0 == cpu.bestPath)
        #expect(cpu.supports(KernelPath.selected))
    }

    @Test("a forced path is honoured when supported and refused with a warning otherwise")
    func forcing() {
        let cpu = CPUFeatures.current
        for path in supportedPaths {
            let (chosen, warning) = KernelPath.choose(cpu: cpu, requested: path.rawValue.uppercased())
            #expect(chosen == path)
            #expect(warning == nil)
        }
        let (fallback, warning) = KernelPath.choose(cpu: cpu, requested: "sse9")
        #expect(fallback == cpu.bestPath)
        #expect(warning?.contains("not one of portable|avx2|avx512|avx512vnni") == true)
        let baseline = CPUFeatures(isX86_64: true, avx2: false, fma: false, f16c: false, avx512f: false,
                                   avx512bw: false, avx512vl: false, avx512vnni: false, avxVNNI: false)
        let (refused, why) = KernelPath.choose(cpu: baseline, requested: "avx512vnni")
        #expect(refused == .portable)
        #expect(why?.contains("not supported") == true)
    }

    @Test("AVX-512 paths require AVX2 and the AVX-512 subsets they use")
    func featureImplications() {
        let noVNNI = CPUFeatures(isX86_64: true, avx2: true, fma: true, f16c: true, avx512f: true,
                                 avx512bw: true, avx512vl: true, avx512vnni: false, avxVNNI: false)
        #expect(noVNNI.bestPath == .avx512)
        let noBW = CPUFeatures(isX86_64: true, avx2: true, fma: true, f16c: true, avx512f: true,
                               avx512bw: false, avx512vl: true, avx512vnni: true, avxVNNI: false)
        #expect(noBW.bestPath == .avx2)
        let arm = CPUFeatures(isX86_64: false, avx2: true, fma: true, f16c: false, avx512f: false,
                              avx512bw: false, avx512vl: false, avx512vnni: false, avxVNNI: false)
        #expect(arm.bestPath == .portable)
    }
}
