import ArgumentParser
import Assistant
import Foundation
import Logging

/// `atende eval conversations`: what the assistant would do with each message of a file, handled
/// as the first message of a new conversation, with the knowledge base of a file. Writes one
/// decision a line and prints how many of each there were.
struct EvalConversations: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conversations",
        abstract: "Decisions on a set of messages: answer, clarify, handoff, smalltalk (or wait), with replies.",
        discussion: """
            --kb is the JSON Lines knowledge base `atende eval retrieval` reads:
              {"id": "hours", "kind": "faq", "question": "…", "answer": "…"}
              {"id": "prices", "kind": "doc", "title": "…", "text": "…"}
            --messages is JSON Lines: {"id": "m1", "text": "quanto custa a limpeza?"}, with an optional \
            "language" (pt, es, en) taken as the conversation's language so far.
            Each message is the first of a new conversation at --now, the business open then (its hours \
            are every day, all day). --out gets one line per message:
              {"id", "decision", "reply", "confidence", "sources": [kb ids]}
            where sources are the ids of the knowledge the reply came from (empty unless answering or \
            clarifying). No LLM is used: replies are the offline composer's.
            Exit 64 on a bad option, 66 when a file is missing, 65 when a line is bad (the message \
            names the line), 74 when --out cannot be written.
            """)

    @Option(help: "The knowledge base (JSONL).") var kb: String
    @Option(help: "The messages (JSONL).") var messages: String
    @Option(help: "Where to write the decisions (JSONL).") var out: String
    @Option(help: "The moment the messages arrive: ISO 8601, with an offset or read in --time-zone (default: now).")
    var now: String?
    @Option(help: "The business's time zone (tz database name).") var timeZone = "America/Sao_Paulo"
    @Option(help: "The business's language: replies to messages that do not show theirs (pt, es, en).")
    var lang: Language = .pt
    @Option(help: "The answer threshold on the calibrated confidence.") var threshold = 0.7
    @Flag(help: "Print the counts as JSON.") var json = false

    struct Message: Decodable {
        let id: String
        let text: String
        let language: String?
    }

    /// One line of --out; "reply" is null (not left out) when the decision is to wait.
    struct Outcome: Encodable {
        let id: String
        let decision: String
        let reply: String?
        let confidence: Double
        let sources: [String]

        enum CodingKeys: String, CodingKey { case id, decision, reply, confidence, sources }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(decision, forKey: .decision)
            try container.encode(reply, forKey: .reply)
            try container.encode(confidence, forKey: .confidence)
            try container.encode(sources, forKey: .sources)
        }
    }

    /// What `--json` prints.
    struct Report: Encodable {
        let messages: Int
        let faqs: Int
        let documents: Int
        let units: Int
        let threshold: Double
        let decisions: [String: Int]
        let handoffReasons: [String: Int]
        let meanConfidence: Double
    }

    func validate() throws {
        guard TimeZone(identifier: timeZone) != nil else { throw ValidationError("--time-zone \(timeZone) is not a tz database zone") }
        guard (0...1).contains(threshold) else { throw ValidationError("--threshold must be between 0 and 1") }
        if let now, Self.instant(now, in: TimeZone(identifier: timeZone)!) == nil {
            throw ValidationError("--now \(now) is not an ISO 8601 time such as 2026-12-07T10:00:00-03:00 or 2026-12-07T10:00")
        }
    }

    func run() throws {
        Logger.bootstrapJSON(level: .warning)
        do {
            let report = try evaluate()
            if json {
                try Eval.printJSON(report)
            } else {
                var lines = ["conversations: \(report.messages) messages over \(report.faqs) FAQ pairs and \(report.documents) "
                             + "documents (\(report.units) units), threshold \(Eval.format(report.threshold))"]
                for kind in DecisionKind.allCases {
                    let count = report.decisions[kind.rawValue] ?? 0
                    let share = report.messages == 0 ? 0 : 100 * Double(count) / Double(report.messages)
                    lines.append("  " + kind.rawValue.padding(toLength: 26, withPad: " ", startingAt: 0)
                                 + String(format: "%5d  %5.1f %%", count, share))
                    if kind == .handoff {
                        for reason in HandoffReason.allCases where report.handoffReasons[reason.rawValue] != nil {
                            lines.append("    " + reason.rawValue.padding(toLength: 24, withPad: " ", startingAt: 0)
                                         + String(format: "%5d", report.handoffReasons[reason.rawValue]!))
                        }
                    }
                }
                lines.append("  " + "mean confidence".padding(toLength: 26, withPad: " ", startingAt: 0)
                             + String(format: "%7.3f", report.meanConfidence))
                print(lines.joined(separator: "\n"))
            }
        } catch let error as EvalInputError {
            throw error.exit
        }
    }

    func evaluate() throws -> Report {
        let zone = TimeZone(identifier: timeZone)!
        let moment = now.flatMap { Self.instant($0, in: zone) } ?? Date()
        let (index, _, faqs, documents) = try EvalKnowledge.load(kb) { tag, line, _ in
            guard let tag else { return lang }
            guard let known = Language(tag: tag) else {
                throw EvalInputError.line(line, of: kb, "unknown language \"\(tag)\" (expected pt, es or en)")
            }
            return known
        }
        let lines = try JSONLines.read(messages, as: Message.self)
        guard !lines.isEmpty else { throw EvalInputError(.badData, "\(messages): no messages (the file is empty)") }
        var seen = Set<String>()
        var turns: [(id: String, turn: Turn)] = []
        for (line, message) in lines {
            guard !message.id.isEmpty else { throw EvalInputError.line(line, of: messages, "\"id\" is empty") }
            guard seen.insert(message.id).inserted else {
                throw EvalInputError.line(line, of: messages, "id \"\(message.id)\" is used by an earlier line")
            }
            var language: Language?
            if let tag = message.language {
                guard let known = Language(tag: tag) else {
                    throw EvalInputError.line(line, of: messages, "unknown language \"\(tag)\" (expected pt, es or en)")
                }
                language = known
            }
            turns.append((message.id, Turn(texts: [message.text], conversationLanguage: language, now: moment)))
        }

        let allDay = BusinessHours(days: (1...7).map { .init(weekday: $0, intervals: [.init(start: 0, end: 1440)]) })
        let profile = BusinessProfile(name: "Atende", language: lang, timeZone: zone, hours: allDay, answerThreshold: threshold)
        let assistant = Assistant(retriever: index, profile: profile)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var output = Data()
        var decisions: [String: Int] = [:], reasons: [String: Int] = [:], confidence = 0.0
        for (id, turn) in turns {
            let decision = assistant.decide(turn)
            decisions[decision.kind.rawValue, default: 0] += 1
            if let reason = decision.handoffReason { reasons[reason.rawValue, default: 0] += 1 }
            confidence += decision.confidence
            var sources: [String] = []
            for passage in decision.sources where !sources.contains(passage.sourceID) { sources.append(passage.sourceID) }
            output += try encoder.encode(Outcome(id: id, decision: decision.kind.rawValue, reply: decision.reply,
                                                 confidence: (decision.confidence * 1000).rounded() / 1000, sources: sources))
            output += Data("\n".utf8)
        }
        do {
            try output.write(to: URL(fileURLWithPath: out))
        } catch {
            FileHandle.standardError.write(Data("error: \(out): cannot be written (\(error.localizedDescription))\n".utf8))
            throw Exit.io
        }
        return Report(messages: turns.count, faqs: faqs, documents: documents, units: index.count, threshold: threshold,
                      decisions: decisions, handoffReasons: reasons, meanConfidence: confidence / Double(max(1, turns.count)))
    }

    /// `text` as an instant: ISO 8601 with an offset or "Z", or a wall-clock time
    /// ("2026-12-07T10:00[:00]") read in `zone`.
    static func instant(_ text: String, in zone: TimeZone) -> Date? {
        let withOffset = ISO8601DateFormatter()
        withOffset.formatOptions = [.withInternetDateTime]
        if let date = withOffset.date(from: text) { return date }
        for format in ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = zone
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }
}
