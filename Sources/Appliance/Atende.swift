import ArgumentParser

@main
struct Atende: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atende",
        abstract: "The AI front desk of a small business, in one binary.",
        discussion: """
            Exit codes: 0 ok, 64 usage error, 65 bad data (corrupt backup, tampered secret, a bad line in an \
            evaluation file), 66 input file missing or unreadable, 69 data \
            directory in use by another atende process, 74 I/O or store error, 78 master key \
            missing, unreadable or too open.
            """,
        version: "atende \(AtendeVersion.number)",
        subcommands: [Serve.self, Backup.self, Verify.self, Restore.self, SecretCommand.self, VaultCommand.self, StaffCommand.self,
                      VersionCommand.self, Eval.self, InspectPayload.self, KnowledgeBaseCommand.self])
}
