import Foundation
import PackagePlugin

/// Runs `EmbedDashboardTool` over `<target>/Dashboard/**` so the target compiles the dashboard
/// into the binary as `EmbeddedDashboard.swift` (STYLE.md §6).
///
/// Every dashboard file is a declared input, so editing one re-runs the tool; the file list is
/// taken again each time SwiftPM plans a build, so adding or removing a file is noticed too.
@main
struct EmbedDashboard: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        guard let target = target as? any SourceModuleTarget else { return [] }
        let root = target.directoryURL.appending(path: "Dashboard")
        let inputs = try Self.files(under: root)
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedDashboard.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) dashboard files into \(target.name)",
                executable: try context.tool(named: "EmbedDashboardTool").url,
                arguments: [root.path, output.path] + inputs.map(\.path),
                inputFiles: inputs,
                outputFiles: [output]
            ),
        ]
    }

    /// Regular files below `root`, skipping hidden ones (editor swap files, .DS_Store).
    static func files(under root: URL) throws -> [URL] {
        let keys: [URLResourceKey] = [.isRegularFileKey]
        guard let walker = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles]
        ) else {
            throw PluginError("EmbedDashboard: cannot read \(root.path)")
        }
        var found: [URL] = []
        for case let url as URL in walker where try url.resourceValues(forKeys: Set(keys)).isRegularFile == true {
            found.append(url)
        }
        return found.sorted { $0.path < $1.path }
    }
}

struct PluginError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
