import AtendeCrypto
import Testing

@Suite struct ConstantTimeTests {
    @Test func equalBytesCompareEqual() {
        #expect(ConstantTime.equal([1, 2, 3], [1, 2, 3]))
        #expect(ConstantTime.equal([], []))
        let long = [UInt8](repeating: 0x5a, count: 4096)
        #expect(ConstantTime.equal(long, long))
    }

    @Test func aDifferenceAnywhereMakesThemUnequal() {
        let base = [UInt8](0..<64)
        for i in base.indices {
            var other = base
            other[i] ^= 0x01
            #expect(!ConstantTime.equal(base, other), "a flipped bit at \(i) went unnoticed")
        }
    }

    @Test func differentLengthsAreUnequalEvenWhenOneIsAPrefix() {
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2]))
        #expect(!ConstantTime.equal([], [0]))
    }

    @Test func theBufferFormAgreesWithTheArrayForm() {
        let a: [UInt8] = [9, 8, 7], b: [UInt8] = [9, 8, 7], c: [UInt8] = [9, 8, 6]
        #expect(a.withUnsafeBytes { a in b.withUnsafeBytes { b in ConstantTime.equal(a, b) } })
        #expect(!a.withUnsafeBytes { a in c.withUnsafeBytes { c in ConstantTime.equal(a, c) } })
    }

    @Test func secretBytesCompareByContent() throws {
        let a = try SecretBytes(randomCount: 32)
        #expect(a.isEqual(to: a.subrange(0..<32)))
        #expect(!a.isEqual(to: try SecretBytes(randomCount: 32)))
        #expect(!a.isEqual(to: a.subrange(0..<31)))
    }
}
