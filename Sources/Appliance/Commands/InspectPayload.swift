import ArgumentParser
import Foundation
import Storage
#if canImport(Glibc)
import Glibc
#endif

/// The child side of `PayloadInspector`: walks one extracted payload and prints its report as
/// JSON. Hidden: `verify` and `restore` run it; a damaged payload may crash it, and only it.
struct InspectPayload: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: PayloadInspector.subcommand,
        abstract: "Check an extracted backup payload (LMDB data file) in this process; used by verify and restore.",
        shouldDisplay: false)

    @Argument(help: "The LMDB data file.") var dataFile: String

    func run() throws {
        // A crash is one of the answers this process exists to give: no core file for it.
        var noCore = rlimit(rlim_cur: 0, rlim_max: 0)
        setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &noCore)
        do {
            let report = try StoreInspection.inspect(dataFile: dataFile, schema: Appliance.schema)
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } catch {
            throw Exit.fail(error)
        }
    }
}
