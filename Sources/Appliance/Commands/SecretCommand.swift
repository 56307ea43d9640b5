import ArgumentParser
import Foundation
import Logging
import Desk
import Storage
import Web

struct SecretCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secret",
        abstract: "Store, list and delete the vault's secrets (provider tokens, API keys).",
        subcommands: [Set.self, List.self, Delete.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Seal a secret read from standard input (never from the command line).",
            discussion: """
                Not while `atende serve` runs: it needs the data directory to itself and refuses \
                (exit 69) while a server holds it. Example: printf %s "$TOKEN" | atende secret set whatsapp.token
                """)
        @OptionGroup var common: CommonOptions
        @Argument(help: "Name: 1–128 of A–Z a–z 0–9 . _ -") var name: String

        func run() async throws {
            let value = FileHandle.standardInput.readDataToEndOfFile()
            var bytes = [UInt8](value)
            if bytes.last == 0x0A { bytes.removeLast() }         // `echo` adds a newline
            if bytes.last == 0x0D { bytes.removeLast() }
            guard !bytes.isEmpty else { throw ValidationError("no value on standard input; pipe the secret in") }
            try await withVault(common) { vault, desk in
                try await vault.set(name, value: bytes)
                try await desk.recordAudit(.secretSet, object: "secret:\(name)", by: .commandLine)
                print("sealed \(name)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the names of stored secrets (never their values).",
            discussion: "Not while `atende serve` runs (exit 69): it opens the data directory.")
        @OptionGroup var common: CommonOptions

        func run() async throws {
            try await withVault(common) { vault, desk in
                let names = try vault.names()
                print(names.isEmpty ? "(no secrets)" : names.joined(separator: "\n"))
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a secret.",
            discussion: "Not while `atende serve` runs (exit 69): it needs the data directory to itself.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The secret's name.") var name: String

        func run() async throws {
            try await withVault(common) { vault, desk in
                guard try await vault.delete(name) else {
                    throw ValidationError("there is no secret named \(name); `atende secret list` shows them")
                }
                try await desk.recordAudit(.secretDeleted, object: "secret:\(name)", by: .commandLine)
                print("deleted \(name)")
            }
        }
    }
}

struct VaultCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vault",
        abstract: "Manage the vault's keys.",
        subcommands: [Rotate.self])

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-seal every secret under a new data key; with --master-key-too, also replace the master key.",
            discussion: """
                Not while `atende serve` runs (exit 69): it needs the data directory to itself. \
                Master-key rotation writes the new key beside the old one first and renames it into \
                place only after the store is re-wrapped, so an interruption can be resumed.
                """)
        @OptionGroup var common: CommonOptions
        @Flag(help: "Also generate a new master key and re-wrap the data key with it.") var masterKeyToo = false

        func run() async throws {
            try await withVault(common) { vault, desk in
                let count = try await vault.rotateDataKey()
                print("rotated the data key; re-sealed \(count) secret(s) under the new one")
                if masterKeyToo {
                    try await vault.rotateMasterKey()
                    print("rotated the master key (the old one no longer opens this store)")
                }
            }
        }
    }
}

/// Opens the store (taking the data-directory lock) and its vault for one CLI command.
private func withVault(_ common: CommonOptions, _ body: (Vault, Desk) async throws -> Void) async throws {
    try await withStore(common) { store, config, logger in
        let vault = try await Appliance.openVault(store: store, config: config)
        try await body(vault, Desk(store: store, hasher: BcryptHasher(), logger: logger))
    }
}
