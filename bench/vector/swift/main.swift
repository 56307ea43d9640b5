// The Atende side of the vector benchmark (bench/vector/run.py drives it). Built in
// release: `swift build -c release --product VectorBench`.
//
//   VectorBench search --base B.f32 --queries Q.f32 --gt G.i32 --dim 384 [--methods exact,int8,binary,quantized,mapped]
//                      [--warmup 20] [--rerank 40] [--k 10]
//     one JSON line per method: latency median/p99 (ms, one query per call, one thread), recall@10,
//     the levels the searches used and the mean rows scored from int8.
//     exact = ExactIndex; int8 = QuantizedIndex scanning every int8 code; binary = 1-bit first
//     pass; quantized = the default (automatic) choice; mapped = the same opened from its file.
//   VectorBench cpu
//     one JSON line: the CPU model, its features and the kernel path this process selects.
//   VectorBench bandwidth --bytes 15360000,153600000
//     one JSON line: single-thread read GB/s per buffer size (median of passes).
//
// ATENDE_VECTOR_KERNEL=portable|avx2|avx512|avx512vnni forces the kernel path.
import CVectorKernels
import Foundation
import VectorIndex

struct Options {
    var values: [String: String] = [:]
    init(_ args: ArraySlice<String>) {
        var it = args.makeIterator()
        while let key = it.next() {
            guard key.hasPrefix("--"), let value = it.next() else { fail("expected --name value pairs, got \(key)") }
            values[String(key.dropFirst(2))] = value
        }
    }
    func string(_ name: String, _ fallback: String? = nil) -> String {
        guard let v = values[name] ?? fallback else { fail("missing --\(name)") }
        return v
    }
    func int(_ name: String, _ fallback: Int) -> Int {
        guard let raw = values[name] else { return fallback }
        guard let v = Int(raw) else { fail("--\(name) must be an integer, got \(raw)") }
        return v
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("VectorBench: \(message)\n".utf8))
    exit(2)
}

func load<T>(_ path: String, as: T.Type) -> [T] {
    guard let data = FileManager.default.contents(atPath: path) else { fail("cannot read \(path)") }
    return data.withUnsafeBytes { Array($0.bindMemory(to: T.self)) }
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

func emit(_ object: [String: Any]) {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

/// This thread's CPU time in ms: on a shared machine it leaves out time spent preempted.
func threadCPUms() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) * 1e3 + Double(ts.tv_nsec) * 1e-6
}

func milliseconds(_ d: Duration) -> Double {
    Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) * 1e-15
}

func runSearch(_ o: Options) throws {
    let dim = o.int("dim", 384), k = o.int("k", 10), warmup = o.int("warmup", 20)
    let base = load(o.string("base"), as: Float.self)
    let queryFlat = load(o.string("queries"), as: Float.self)
    let truth = load(o.string("gt"), as: Int32.self)
    let n = base.count / dim, nq = queryFlat.count / dim
    guard n * dim == base.count, nq > warmup else { fail("base/queries sizes do not fit --dim \(dim) and --warmup \(warmup)") }
    let gtK = truth.count / nq
    let queries = (0..<nq).map { Array(queryFlat[$0 * dim..<($0 + 1) * dim]) }
    let rows = (0..<n).map { (id: UInt64($0), vector: Array(base[$0 * dim..<($0 + 1) * dim])) }
    let methods = o.string("methods", "exact,quantized").split(separator: ",").map(String.init)

    for method in methods {
        let clock = ContinuousClock()
        let started = clock.now
        var search: ([Float]) throws -> [SearchHit]
        var report: (([Float]) throws -> SearchReport)? = nil
        var extra: [String: Any] = [:]
        switch method {
        case "exact":
            let index = try ExactIndex(dimension: dim, capacity: n)
            try index.add(contentsOf: rows)
            search = { try index.search($0, k: k) }
            extra["kernel"] = index.kernel.rawValue
        case "quantized", "mapped", "int8", "binary":
            let pass: FirstPass = method == "int8" ? .int8Scan : method == "binary" ? .binary : .automatic
            var index = try QuantizedIndex(dimension: dim, rerankDepth: o.int("rerank", 40), capacity: n, firstPass: pass)
            try index.add(contentsOf: rows)
            if method == "mapped" {
                let path = NSTemporaryDirectory() + "/atende-bench-\(getpid()).vidx"
                try index.save(to: path)
                index = try QuantizedIndex.open(path: path, firstPass: pass)
                unlink(path)  // the mapping stays valid
            }
            search = { try index.search($0, k: k) }
            report = { try index.search(reporting: $0, k: k).report }
            extra["kernel"] = index.kernel.rawValue
            extra["scan_bytes_per_vector"] = index.scanBytesPerVector
        default:
            fail("unknown method \(method) (exact, int8, binary, quantized, mapped)")
        }
        let build = milliseconds(clock.now - started) / 1e3
        for q in queries.prefix(warmup) { _ = try search(q) }
        var latencies: [Double] = [], cpu: [Double] = []
        var hits = 0, total = 0
        for qi in warmup..<nq {
            let c0 = threadCPUms()
            let t0 = clock.now
            let result = try search(queries[qi])
            latencies.append(milliseconds(clock.now - t0))
            cpu.append(threadCPUms() - c0)
            let want = Set(truth[qi * gtK..<qi * gtK + min(k, gtK)].map { UInt64($0) })
            hits += result.filter { want.contains($0.id) }.count
            total += want.count
        }
        latencies.sort()
        cpu.sort()
        if let report {
            var rows = 0
            var levels = ""
            for q in queries[warmup...] {
                let r = try report(q)
                rows += r.int8Rows
                levels = r.levels.map(\.rawValue).joined(separator: "+")
            }
            extra["levels"] = levels
            extra["mean_int8_rows"] = Double(rows) / Double(nq - warmup)
        } else {
            extra["levels"] = "f32"
        }
        emit(extra.merging([
            "cpu_median_ms": percentile(cpu, 0.5), "cpu_p99_ms": percentile(cpu, 0.99),
            "method": method, "n": n, "queries": latencies.count, "build_s": build,
            "median_ms": percentile(latencies, 0.5), "p99_ms": percentile(latencies, 0.99),
            "recall": Double(hits) / Double(total),
        ]) { a, _ in a })
    }
}

func runBandwidth(_ o: Options) {
    var results: [String: Double] = [:], cpuResults: [String: Double] = [:]
    let avx2 = CPUFeatures.current.supports(.avx2)
    for field in o.string("bytes").split(separator: ",") {
        guard let bytes = Int(field), bytes >= 4096 else { fail("bad --bytes entry \(field)") }
        let count = bytes / 4
        // Backed like the index's sections (2 MiB-aligned, MADV_HUGEPAGE; see VectorIndex's
        // allocateSection): on 4 KiB pages the same read is ~1.5x slower on Zen 4, which
        // would put the floor above what the index reaches.
        let huge = 2 << 20
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: bytes >= huge ? huge : 64)
        if bytes >= huge { _ = madvise(raw, bytes / huge * huge, MADV_HUGEPAGE) }
        let buffer = raw.bindMemory(to: Float.self, capacity: count)
        defer { raw.deallocate() }
        for i in 0..<count { buffer[i] = Float(i & 1023) }
        // ~0.6 s of passes but at least 30 (the 153.6 MB buffer used to get 5, a median of
        // five samples on a shared VM), after one warm pass; median GB/s.
        let clock = ContinuousClock()
        var sink: Float = atende_vk_stream_read(buffer, count, avx2)
        let passes = max(30, min(400, 24_000_000_000 / max(bytes, 1) / 40))
        var rates: [Double] = [], cpuRates: [Double] = []
        for _ in 0..<passes {
            let c0 = threadCPUms()
            let t0 = clock.now
            sink += atende_vk_stream_read(buffer, count, avx2)
            rates.append(Double(bytes) / (milliseconds(clock.now - t0) * 1e6))
            cpuRates.append(Double(bytes) / (max(threadCPUms() - c0, 1e-6) * 1e6))
        }
        rates.sort()
        cpuRates.sort()
        results[String(bytes)] = rates[rates.count / 2]
        cpuResults[String(bytes)] = cpuRates[cpuRates.count / 2]
        if sink == 42 { print("") }  // keep the reads alive
    }
    emit(["bandwidth_gbps": results, "cpu_bandwidth_gbps": cpuResults])
}

/// The CPU model as /proc/cpuinfo names it (family/model too: VPS hosts often hide the name).
func cpuModel() -> [String: Any] {
    let text = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
    var fields: [String: String] = [:]
    for line in text.split(separator: "\n") {
        if line.isEmpty { break }  // first processor only
        let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        if parts.count == 2 { fields[parts[0]] = parts[1] }
    }
    return ["model": fields["model name"] ?? "unknown", "vendor": fields["vendor_id"] ?? "unknown",
            "family": fields["cpu family"] ?? "?", "model_number": fields["model"] ?? "?",
            "features": CPUFeatures.current.description, "best_kernel": CPUFeatures.current.bestPath.rawValue,
            "selected_kernel": KernelPath.selected.rawValue]
}

let args = CommandLine.arguments
guard args.count >= 2 else { fail("usage: VectorBench search|bandwidth --name value …") }
let options = Options(args.dropFirst(2))
switch args[1] {
case "search": try runSearch(options)
case "bandwidth": runBandwidth(options)
case "cpu": emit(cpuModel())
default: fail("unknown command \(args[1]) (search, bandwidth, cpu)")
}
