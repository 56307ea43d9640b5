import Testing
import VectorIndex
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private func readFile(_ path: String) -> [UInt8] {
    let f = fopen(path, "rb")!
    defer { fclose(f) }
    var out: [UInt8] = []
    var buf = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buf, 1, buf.count, f)
        if n == 0 { break }
        out += buf[0..<n]
    }
    return out
}

private func writeFile(_ path: String, _ bytes: [UInt8]) {
    let f = fopen(path, "wb")!
    _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
    fclose(f)
}

@Suite("Persistence")
struct PersistenceTests {
    static let dim = 384

    static func tagged(_ n: Int, seed: UInt64) -> [(id: UInt64, vector: [Float])] {
        SyntheticData.uniform(count: n, dimension: dim, seed: seed).enumerated().map { (UInt64($0.offset) * 3 + 5, $0.element) }
    }

    @Test("a quantised index saved and reopened (mapped) gives the same hits, without its deleted rows")
    func quantizedRoundTrip() throws {
        let dir = TemporaryDirectory()
        let rows = Self.tagged(900, seed: 81)
        let index = try QuantizedIndex(dimension: Self.dim, rerankDepth: 33)
        try index.add(contentsOf: rows)
        index.delete(rows[4].id)
        let queries = SyntheticData.uniform(count: 5, dimension: Self.dim, seed: 82)
        let before = try index.search(batch: queries, k: 10)
        try index.save(to: dir.file("kb.vidx"))

        let reopened = try QuantizedIndex.open(path: dir.file("kb.vidx"))
        #expect(reopened.count == 899)
        #expect(reopened.rerankDepth == 33)
        #expect(!reopened.contains(rows[4].id))
        #expect(try reopened.search(batch: queries, k: 10) == before)
    }

    @Test("an exact index round-trips, and a reopened index accepts writes without touching its file")
    func exactRoundTripThenWrite() throws {
        let dir = TemporaryDirectory()
        let rows = Self.tagged(300, seed: 83)
        let index = try ExactIndex(dimension: Self.dim)
        try index.add(contentsOf: rows)
        let path = dir.file("exact.vidx")
        try index.save(to: path)
        let bytes = readFile(path)
        #expect(bytes.count % 64 == 0)

        let reopened = try ExactIndex.open(path: path)
        let q = rows[10].vector
        #expect(try reopened.search(q, k: 10) == index.search(q, k: 10))
        try reopened.add(q.map { -$0 }, id: 999_999)
        try reopened.update(rows[11].vector, id: rows[10].id)
        #expect(reopened.delete(rows[12].id))
        #expect(reopened.count == 300)
        #expect(readFile(path) == bytes)
        #expect(try ExactIndex.open(path: path).count == 300)
    }

    @Test("an empty index round-trips")
    func emptyRoundTrip() throws {
        let dir = TemporaryDirectory()
        try QuantizedIndex(dimension: 8).save(to: dir.file("empty.vidx"))
        let reopened = try QuantizedIndex.open(path: dir.file("empty.vidx"))
        #expect(reopened.count == 0)
        #expect(reopened.dimension == 8)
        #expect(try reopened.search([1, 0, 0, 0, 0, 0, 0, 0], k: 3).isEmpty)
    }

    static func damaged(_ mutate: (inout [UInt8]) -> Void) throws -> VectorIndexError.Code? {
        let dir = TemporaryDirectory()
        let index = try QuantizedIndex(dimension: Self.dim)
        try index.add(contentsOf: Self.tagged(200, seed: 84))
        let path = dir.file("x.vidx")
        try index.save(to: path)
        var bytes = readFile(path)
        mutate(&bytes)
        writeFile(path, bytes)
        do {
            _ = try QuantizedIndex.open(path: path)
            return nil
        } catch {
            #expect(!error.message.isEmpty)
            return error.code
        }
    }

    @Test("a flipped bit in the codes, the vectors or the header is rejected as corrupted")
    func bitFlips() throws {
        #expect(try Self.damaged { $0[128 + 200 * 8 + 5_000] ^= 0x10 } == .corrupted)  // a code byte
        #expect(try Self.damaged { $0[$0.count - 100] ^= 0x01 } == .corrupted)        // a vector byte
        #expect(try Self.damaged { $0[16] ^= 0x01 } == .corrupted)                     // the dimension
        #expect(try Self.damaged { $0[0] = UInt8(ascii: "X") } == .corrupted)          // the magic
    }

    @Test("a truncated file, a short file and trailing bytes are each rejected with a clear code")
    func truncation() throws {
        #expect(try Self.damaged { $0.removeLast(64) } == .truncated)
        #expect(try Self.damaged { $0.removeLast($0.count - 100) } == .truncated)
        #expect(try Self.damaged { $0.removeAll() } == .truncated)
        #expect(try Self.damaged { $0 += [0, 0, 0, 0] } == .corrupted)
    }

    @Test("a newer format version and the other index kind are refused by name")
    func versionAndKind() throws {
        #expect(try Self.damaged { $0[8] = 2 } == .unsupportedVersion)
        let dir = TemporaryDirectory()
        try ExactIndex(dimension: 4).save(to: dir.file("e.vidx"))
        #expect { try QuantizedIndex.open(path: dir.file("e.vidx")) } throws: {
            ($0 as? VectorIndexError)?.code == .wrongKind
        }
        #expect { try ExactIndex.open(path: dir.file("missing.vidx")) } throws: {
            ($0 as? VectorIndexError)?.code == .io
        }
    }
}
