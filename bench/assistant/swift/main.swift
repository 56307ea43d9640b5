// Search latency of KnowledgeIndex over a large knowledge base, or with --pipeline the latency
// of the whole per-message pipeline (`Assistant.decide`, PipelineBench.swift); release builds only:
//
//     swift build -c release --scratch-path .build-release --product AssistantBench
//     .build-release/release/AssistantBench [--chunks 10000] [--queries 1000] [--words 120]
//                                           [--dimension 1024] [--dense-percent 40] [--typos 1]
//     .build-release/release/AssistantBench --pipeline [--chunks 10000] [--queries 1000]
//
// The chunks are synthetic Portuguese-like text: words made of common syllables, drawn with a
// Zipf distribution so frequent words appear in most chunks as real ones do. Queries are six
// words taken from a random chunk. Prints build time, then per-query p50/p95/p99 and the mean.
import Assistant
import Foundation

struct Generator {
    var state: UInt64
    mutating func next() -> UInt64 {  // SplitMix64: a fixed seed gives the same corpus every run
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

func option(_ name: String, _ fallback: Int) -> Int {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let value = Int(args[i + 1]) else { return fallback }
    return value
}

@MainActor
func run() throws {
    #if DEBUG
    print("warning: debug build; the figures mean nothing (build with -c release)")
    #endif

    let chunkCount = option("--chunks", 10_000), queryCount = option("--queries", 1_000), wordsPerChunk = option("--words", 120)
    var random = Generator(state: 42)
    let syllables = ["ca", "de", "men", "to", "pa", "ra", "ção", "or", "ta", "li", "sa", "bo", "ni", "ve", "que", "ro", "mi", "lo",
                     "tra", "con", "ho", "ri", "gen", "da", "ma", "es", "ci", "pre", "çõ", "al", "vi", "so", "ter", "ban"]
    let vocabulary: [String] = (0..<20_000).map { _ in
        (0..<(2 + Int(random.next() % 3))).map { _ in syllables[Int(random.next() % UInt64(syllables.count))] }.joined()
    }
    // Zipf(1): P(rank r) ∝ 1/r, sampled by inverting the cumulative sum.
    let cumulative: [Double] = {
        var sum = 0.0
        return vocabulary.indices.map { sum += 1 / Double($0 + 1); return sum }
    }()
    func word() -> String {
        let target = random.unit() * (cumulative.last ?? 1)
        var lo = 0, hi = cumulative.count - 1
        while lo < hi { let mid = (lo + hi) / 2; if cumulative[mid] < target { lo = mid + 1 } else { hi = mid } }
        return vocabulary[lo]
    }

    let texts = (0..<chunkCount).map { _ in (0..<wordsPerChunk).map { _ in word() }.joined(separator: " ") }
    let index = try KnowledgeIndex(embedder: HashingEmbedder(dimension: option("--dimension", 1024), dropsStopWords: true),
                                   configuration: .init(denseWeight: Double(option("--dense-percent", 40)) / 100))
    let clock = ContinuousClock()
    let buildTime = try clock.measure {
        try index.add(texts.enumerated().map { i, text in
            KnowledgeUnit(id: "c\(i)", sourceID: "d\(i / 10)", kind: .doc, title: "Documento \(i / 10)", text: text, language: .pt)
        })
    }
    print("indexed \(index.count) chunks of \(wordsPerChunk) words in \(buildTime) (\(index.embedder.name)) on \(PipelineBench.cpu())")
    if CommandLine.arguments.contains("--pipeline") {
        PipelineBench(texts: texts, index: index).run(messages: queryCount, random: &random)
        return
    }

    let queries = (0..<queryCount).map { _ -> String in
        let words = texts[Int(random.next() % UInt64(texts.count))].split(separator: " ")
        let start = Int(random.next() % UInt64(max(1, words.count - 6)))
        var picked = words[start..<min(words.count, start + 6)].map(String.init)
        // --typos 1: swap two letters of the query's longest word, so typo matching is timed too.
        if option("--typos", 0) == 1, let i = picked.indices.max(by: { picked[$0].count < picked[$1].count }) {
            var letters = Array(picked[i])
            if letters.count > 3 { letters.swapAt(1, 2) }
            picked[i] = String(letters)
        }
        return picked.joined(separator: " ")
    }
    for query in queries.prefix(20) { _ = index.search(query, language: .pt, k: 5) }  // warm up
    var millis: [Double] = []
    for query in queries {
        let elapsed = clock.measure { _ = index.search(query, language: .pt, k: 5) }
        millis.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
    }
    millis.sort()
    func percentile(_ p: Double) -> Double { millis[min(millis.count - 1, Int(Double(millis.count) * p))] }
    print(String(format: "search k=5 over %d chunks, %d queries: p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  mean %.2f ms",
                 chunkCount, queryCount, percentile(0.5), percentile(0.95), percentile(0.99), millis.reduce(0, +) / Double(millis.count)))
}

try run()
