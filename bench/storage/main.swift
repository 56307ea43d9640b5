import Foundation
import Logging
import Storage

// Durable commit throughput of the Storage module against the disk's own flush rate.
// Run it in release: `swift run -c release --scratch-path .build-release StorageBench`
// (bench/README.md). Options: --dir DIR (default: the temp dir unless it is tmpfs),
// --rounds N (default 5), --seconds S per measurement (default 2), --writers N (default 64).

var options: [String: String] = [:]
var argv = CommandLine.arguments.dropFirst()
while let name = argv.popFirst() {
    guard name.hasPrefix("--"), let value = argv.popFirst() else {
        FileHandle.standardError.write(Data("usage: StorageBench [--dir DIR] [--rounds N] [--seconds S] [--writers N]\n".utf8))
        exit(64)
    }
    options[String(name.dropFirst(2))] = value
}
let rounds = Int(options["rounds"] ?? "5") ?? 5
let seconds = Double(options["seconds"] ?? "2") ?? 2
let writers = Int(options["writers"] ?? "64") ?? 64
let phase = Duration.milliseconds(Int(seconds * 1000))

do {
    let directory = try BenchDirectory(requested: options["dir"])
    defer { directory.remove() }
    #if DEBUG
    print("warning: debug build; figures are not representative (use -c release)")
    #endif
    print("directory: \(directory.path)  filesystem: \(directory.filesystem)")
    print("rounds: \(rounds) × \(seconds) s per measurement, \(writers) concurrent writers")
    let store = try Store(directory: (directory.path as NSString).appendingPathComponent("data"),
                          schema: benchSchema, logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
    defer { store.close() }
    var raw: [Double] = [], single: [Double] = [], groupCommits: [Double] = [], groupDocs: [Double] = []
    print("round  raw write+fdatasync/s  single commits/s  group commits/s  group docs/s  docs/commit")
    for round in 1...rounds {
        // Interleaved so the machine's noise falls on every measure alike.
        raw.append(try rawSyncRate(in: directory.path, for: phase))
        single.append(try await singleWriter(store, for: phase).commitsPerSecond)
        let group = try await concurrentWriters(store, writers: writers, for: phase)
        groupCommits.append(group.commitsPerSecond)
        groupDocs.append(group.documentsPerSecond)
        print(String(format: "%5d  %21.0f  %16.0f  %15.0f  %12.0f  %11.1f", round, raw.last!, single.last!,
                     group.commitsPerSecond, group.documentsPerSecond, group.documentsPerSecond / group.commitsPerSecond))
    }
    let m = (raw: median(raw), single: median(single), commits: median(groupCommits), docs: median(groupDocs))
    print("")
    print("medians over \(rounds) rounds:")
    print(String(format: "  raw 4 KiB pwrite+fdatasync:            %8.0f /s  (physical reference)", m.raw))
    print(String(format: "  (a) single writer, 1 doc per commit:   %8.0f commits/s = docs/s", m.single))
    print(String(format: "  (b) %d writers, group commit:          %8.0f commits/s, %.0f docs/s", writers, m.commits, m.docs))
    print(String(format: "  group/single durable docs/s:           %8.1f×  (target ≥ 10×)", m.docs / m.single))
    print(String(format: "  single commits per raw flush:          %8.2f", m.single / m.raw))
} catch {
    FileHandle.standardError.write(Data("StorageBench: \(error)\n".utf8))
    exit(1)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}
