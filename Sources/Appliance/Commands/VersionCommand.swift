import ArgumentParser

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print atende's version. Safe while `atende serve` runs: touches nothing.")

    func run() {
        print("atende \(AtendeVersion.number)")
    }
}
