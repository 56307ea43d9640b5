/// Pure-Swift kernels: the fallback on CPUs without AVX2 and the natural NEON path on
/// aarch64. Written as `acc += a * b`, never `addProduct`: without an FMA target feature
/// the latter lowers to one libm `fmaf` call per lane.
@usableFromInline
enum PortableKernels {
    @inlinable
    static func dotF32(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var acc0 = SIMD16<Float>.zero, acc1 = SIMD16<Float>.zero
        var i = 0
        while i &+ 32 <= n {
            let o = i &* 4
            acc0 += ra.loadUnaligned(fromByteOffset: o, as: SIMD16<Float>.self)
                * rb.loadUnaligned(fromByteOffset: o, as: SIMD16<Float>.self)
            acc1 += ra.loadUnaligned(fromByteOffset: o &+ 64, as: SIMD16<Float>.self)
                * rb.loadUnaligned(fromByteOffset: o &+ 64, as: SIMD16<Float>.self)
            i &+= 32
        }
        while i &+ 16 <= n {
            let o = i &* 4
            acc0 += ra.loadUnaligned(fromByteOffset: o, as: SIMD16<Float>.self)
                * rb.loadUnaligned(fromByteOffset: o, as: SIMD16<Float>.self)
            i &+= 16
        }
        var sum = (acc0 + acc1).sum()
        while i < n {
            sum += a[i] * b[i]
            i &+= 1
        }
        return sum
    }

    @inlinable
    static func dotU8S8(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<Int8>, _ n: Int) -> Int32 {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var acc = SIMD16<Int32>.zero
        var i = 0
        // u8·s8 fits in Int16 (255·127 = 32385, 255·-128 = -32640), so multiply 16 lanes in
        // Int16 and widen only the products.
        while i &+ 16 <= n {
            let va = SIMD16<Int16>(truncatingIfNeeded: ra.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self))
            let vb = SIMD16<Int16>(truncatingIfNeeded: rb.loadUnaligned(fromByteOffset: i, as: SIMD16<Int8>.self))
            acc &+= SIMD16<Int32>(truncatingIfNeeded: va &* vb)
            i &+= 16
        }
        var sum = acc.wrappedSum()
        while i < n {
            sum &+= Int32(a[i]) &* Int32(b[i])
            i &+= 1
        }
        return sum
    }
}
