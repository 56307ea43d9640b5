import Assistant
import Foundation
import Histogram

/// `AssistantBench --pipeline`: the whole per-message path of `Assistant.decide` — normalise,
/// language, intent (with sentiment and priority), entities (dates, money, contacts), retrieval
/// over the knowledge base, compose and decide — one customer message at a time, as the
/// assistant's turn job runs it. The knowledge base is `texts` (synthetic chunks); each message is
/// a customer phrasing from `templates` around words of a random chunk, so retrieval has
/// something to find and every branch of the decision (answer, clarify, hand-off, small talk) runs.
struct PipelineBench {
    static let templates: [String] = [
        "oi, quanto custa %@?", "vcs fazem %@? qual o valor", "bom dia! tem horário amanhã às 14h pra %@?",
        "quero marcar %@ na sexta de manhã", "onde fica a loja de %@?", "aceita pix pra %@? pago R$ 120,00",
        "preciso remarcar %@ pra semana que vem", "qual o horário de %@ no sábado?", "%@",
        "me manda o preço de %@ no e-mail ana.souza@example.com", "obrigado! e sobre %@?",
        "¿cuánto cuesta %@?", "how much is %@?", "péssimo atendimento com %@, quero falar com um atendente",
    ]

    let texts: [String]
    let index: KnowledgeIndex

    @MainActor
    func run(messages count: Int, random: inout Generator) {
        let profile = BusinessProfile(name: "Studio Bela", timeZone: TimeZone(identifier: "America/Sao_Paulo") ?? .current)
        let assistant = Assistant(retriever: index, profile: profile)
        let now = Date(timeIntervalSince1970: 1_767_344_400)  // a Friday, 10:00 in São Paulo
        let messages = (0..<count).map { _ -> String in
            let words = texts[Int(random.next() % UInt64(texts.count))].split(separator: " ")
            let start = Int(random.next() % UInt64(max(1, words.count - 3)))
            let topic = words[start..<min(words.count, start + 3)].joined(separator: " ")
            let template = Self.templates[Int(random.next() % UInt64(Self.templates.count))]
            return template.replacingOccurrences(of: "%@", with: topic)
        }
        var kinds: [DecisionKind: Int] = [:]
        for message in messages.prefix(20) { _ = assistant.decide(Turn(texts: [message], now: now)) }  // warm up
        // Wall-clock time, and the thread's own CPU time: on a shared machine the two part when
        // other work takes the core, and the CPU time is what the pipeline itself costs.
        var wall = Histogram<UInt64>(highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: .three)
        var cpu = wall
        let clock = ContinuousClock()
        for message in messages {
            var decision: Decision?
            let cpuStart = Self.threadCPUNanoseconds()
            let elapsed = clock.measure { decision = assistant.decide(Turn(texts: [message], now: now)) }
            _ = cpu.record(Self.threadCPUNanoseconds() - cpuStart)
            _ = wall.record(UInt64(elapsed.components.seconds) * 1_000_000_000 + UInt64(elapsed.components.attoseconds / 1_000_000_000))
            if let decision { kinds[decision.kind, default: 0] += 1 }
        }
        print("pipeline (Assistant.decide) over \(index.count) chunks, \(count) messages; target p95 ≤ 5 ms:")
        for (name, histogram) in [("wall clock", wall), ("thread CPU", cpu)] {
            func ms(_ percentile: Double) -> Double { Double(histogram.valueAtPercentile(percentile)) / 1e6 }
            print(String(format: "  %@  p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms  mean %.2f ms  (p95 target %@)",
                         name, ms(50), ms(95), ms(99), Double(histogram.max) / 1e6, histogram.mean / 1e6,
                         ms(95) <= 5 ? "met" : "NOT met"))
        }
        print("decisions: " + DecisionKind.allCases.map { "\($0.rawValue) \(kinds[$0] ?? 0)" }.joined(separator: ", "))

        // Where the time goes: the public pieces `decide` is made of, each timed alone (p50 / p95).
        let detector = LanguageDetector(), classifier = IntentClassifier(), analyser = Analyser(removesQuestionWords: true)
        let stages: [(String, (String) -> Void)] = [
            ("language", { _ = detector.detect($0, current: nil, fallback: .pt) }),
            ("intent (classify)", { _ = classifier.classify($0, current: .pt) }),
            ("entities + insights (understand)", { _ = assistant.understand($0, conversationLanguage: .pt, now: now) }),
            ("retrieval (search k=5)", { _ = index.search($0, language: .pt, k: 5) }),
            ("terms of 5 passages", { message in
                for passage in index.search(message, language: .pt, k: 5) { _ = analyser.terms(passage.text, language: .pt) }
            }),
        ]
        for (name, stage) in stages {
            var times: [Double] = []
            for message in messages.prefix(300) { times.append(Self.millis(clock.measure { stage(message) })) }
            times.sort()
            print(String(format: "  %@ p50 %.2f ms  p95 %.2f ms", name.padding(toLength: 34, withPad: " ", startingAt: 0),
                         times[times.count / 2], times[times.count * 95 / 100]))
        }
    }

    static func threadCPUNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }

    static func millis(_ d: Duration) -> Double { Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15 }

    /// The CPU model from /proc/cpuinfo (Linux), and how many cores the process may use.
    static func cpu() -> String {
        let info = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = info.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "unknown CPU"
        return "\(model), \(ProcessInfo.processInfo.activeProcessorCount) cores"
    }
}
