import VectorIndex

/// SplitMix64: a tiny seeded generator so every test draws the same data on every run.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A standard normal draw (Box–Muller).
    mutating func gaussian() -> Float {
        let u1 = Double(next() >> 11) * 0x1p-53 + 0x1p-54
        let u2 = Double(next() >> 11) * 0x1p-53
        return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
    }

    mutating func gaussianVector(_ d: Int) -> [Float] { (0..<d).map { _ in gaussian() } }
}

/// Seeded synthetic embedding sets like the benchmark's: "uniform" = random directions
/// (the hard case for quantisation), "clustered" = topics with noise (MiniLM-like).
enum SyntheticData {
    static func uniform(count: Int, dimension: Int, seed: UInt64) -> [[Float]] {
        var rng = SeededRandom(seed: seed)
        return (0..<count).map { _ in unit(rng.gaussianVector(dimension)) }
    }

    /// Rows and queries drawn from the same topic mixture.
    static func clustered(count: Int, queries: Int, dimension: Int, seed: UInt64) -> (rows: [[Float]], queries: [[Float]]) {
        var rng = SeededRandom(seed: seed)
        let topics = max(4, count / 50)
        let centres = (0..<topics).map { _ in rng.gaussianVector(dimension) }
        func draw() -> [Float] {
            let c = centres[Int(rng.next() % UInt64(topics))]
            let sigma = 0.5 + Float(rng.next() % 600) / 1000
            return unit((0..<dimension).map { c[$0] + sigma * rng.gaussian() })
        }
        let rows = (0..<count).map { _ in draw() }
        let qs = (0..<queries).map { _ in draw() }
        return (rows, qs)
    }

    static func unit(_ v: [Float]) -> [Float] {
        let n = v.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        return v.map { Float(Double($0) / n) }
    }

    /// Exact top-k by brute force in Double: the reference every index is checked against.
    static func bruteForce(_ rows: [(id: UInt64, vector: [Float])], query: [Float], k: Int) -> [(id: UInt64, score: Double)] {
        let q = unit(query)
        var scored = rows.map { row -> (id: UInt64, score: Double) in
            let v = unit(row.vector)
            var s = 0.0
            for i in 0..<q.count { s += Double(q[i]) * Double(v[i]) }
            return (row.id, s)
        }
        scored.sort { $0.score > $1.score || ($0.score == $1.score && $0.id < $1.id) }
        return Array(scored.prefix(k))
    }

    static func recall(_ got: [[SearchHit]], _ truth: [[SearchHit]]) -> Double {
        var hit = 0, total = 0
        for (g, t) in zip(got, truth) {
            let want = Set(t.map(\.id))
            hit += g.filter { want.contains($0.id) }.count
            total += t.count
        }
        return Double(hit) / Double(max(total, 1))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fresh temporary directory removed when the test ends.
struct TemporaryDirectory: ~Copyable {
    let path: String
    init() {
        var template = Array("/tmp/atende-vector-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        path = String(cString: made!)
    }
    deinit {
        if let dir = opendir(path) {
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name != "." && name != ".." { unlink("\(path)/\(name)") }
            }
            closedir(dir)
        }
        rmdir(path)
    }
    func file(_ name: String) -> String { "\(path)/\(name)" }
}
