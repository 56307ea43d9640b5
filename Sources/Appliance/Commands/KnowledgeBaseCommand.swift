import ArgumentParser
import Assistant
import Desk
import Foundation
import Storage
import Web

struct KnowledgeBaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kb",
        abstract: "Manage the assistant's knowledge base.",
        subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import FAQ entries and documents from a file into the data directory's store.",
            discussion: """
                Not while `atende serve` runs: it writes the store, which one process owns at a time, so it \
                refuses (exit 69) while a server holds the data directory — stop the server, import, start it \
                again (it builds its index from the store at start), or upload the file in the dashboard \
                (Assistant → Knowledge) or with POST /api/v1/knowledge/import while it runs. \
                Formats: plain text, Markdown and HTML become one document titled by the file's name; CSV rows \
                question,answer (header optional) and JSON Lines ({"id","kind":"faq","question","answer"} or \
                {"id","kind":"doc","title","text"}, optional "language" and "section") become entries; a JSON Lines id \
                imported before replaces its entry, so an edited file can be imported again. \
                All or nothing: a bad line is named and nothing is stored (exit 65). Up to 4 MiB per file.
                """)
        @OptionGroup var common: CommonOptions
        @Argument(help: "The file to import.") var file: String
        @Option(help: "The language of entries that do not name one: pt, es or en.") var language = "pt"
        @Option(help: "The section entries belong to (e.g. Prices).") var section: String?
        @Option(help: "auto (by the file's extension, else its first characters), text, markdown, html, csv or jsonl.")
        var format = "auto"

        func run() async throws {
            guard let language = Language(rawValue: language.lowercased()) else {
                throw ValidationError("--language is pt, es or en, not \(language)")
            }
            guard let format = KnowledgeImport.Format(rawValue: format.lowercased()) else {
                throw ValidationError("--format is one of \(KnowledgeImport.Format.allCases.map(\.rawValue).joined(separator: ", ")), not \(format)")
            }
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("error: cannot read \(file)\n".utf8))
                throw Exit.noInput
            }
            let batch: KnowledgeImport
            do {
                batch = try KnowledgeImport.read([UInt8](data), format: format, filename: file, language: language, section: section)
            } catch {
                FileHandle.standardError.write(Data("error: \(file): \(error.message)\n".utf8))
                throw Exit.dataError
            }
            try await withStore(common) { store, _, logger in
                let desk = Desk(store: store, hasher: BcryptHasher(), logger: logger)
                let report = try await desk.knowledge.importBatch(batch, by: .commandLine)
                let replaced = report.replaced > 0 ? " (\(report.replaced) replaced stored entries with the same id, question or title)" : ""
                print("imported \(report.faqs.count) FAQ entries and \(report.documents.count) documents from \(file)\(replaced)")
            }
        }
    }
}
