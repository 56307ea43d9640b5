import ArgumentParser
import Desk
import Foundation
import Logging
import Storage
import Web

/// `atende staff add|list|disable|enable|reset`: manage dashboard accounts from the server's shell.
/// Acts as the local administrator (audited with no actor). Passwords come from standard input,
/// never from the command line (argv is visible to every user in `ps`).
struct StaffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "staff",
        abstract: "Add, list, disable, enable and reset the passwords of staff accounts.",
        discussion: "Not while `atende serve` runs: it needs the data directory to itself and refuses (exit 69).",
        subcommands: [Add.self, List.self, Disable.self, Enable.self, Reset.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a staff member; the password is read from standard input.",
            discussion: """
                Not while `atende serve` runs (exit 69). Example: \
                printf %s "$PASSWORD" | atende staff add --name "Ana Souza" --email ana@example.com --role admin
                """)
        @OptionGroup var common: CommonOptions
        @Option(help: "Full name.") var name: String
        @Option(help: "Email address (the sign-in name).") var email: String
        @Option(help: "admin, manager, operator or agent.") var role: String

        func run() async throws {
            let password = try readPassword()
            try await runStaff(common) { desk in
                let member = try await desk.createStaff(name: name, email: email, role: role, password: password, by: .commandLine)
                print("added \(member.email) (\(member.role.rawValue)), id \(member.id)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List staff members: id, email, role, state.",
            discussion: "Not while `atende serve` runs (exit 69).")
        @OptionGroup var common: CommonOptions

        func run() async throws {
            try await runStaff(common) { desk in
                var cursor: String?
                var count = 0
                repeat {
                    let page = try desk.listStaff(try PageRequest(cursor: cursor, limit: 200))
                    for m in page.items {
                        print("\(m.id)  \(m.email)  \(m.role.rawValue)\(m.isDisabled ? "  disabled" : "")  \(m.name)")
                    }
                    count += page.items.count
                    cursor = page.nextCursor
                } while cursor != nil
                if count == 0 { print("(no staff yet: run `atende serve` for the setup link, or `atende staff add`)") }
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable a staff member: their sessions end and they can no longer sign in.",
            discussion: "Not while `atende serve` runs (exit 69). The last enabled admin cannot be disabled.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The staff member's email.") var email: String

        func run() async throws {
            try await runStaff(common) { desk in
                let member = try find(email, in: desk)
                _ = try await desk.updateStaff(member.id, disabled: true, by: .commandLine)
                print("disabled \(member.email)")
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enable a disabled staff member again.",
            discussion: "Not while `atende serve` runs (exit 69).")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The staff member's email.") var email: String

        func run() async throws {
            try await runStaff(common) { desk in
                let member = try find(email, in: desk)
                _ = try await desk.updateStaff(member.id, disabled: false, by: .commandLine)
                print("enabled \(member.email)")
            }
        }
    }

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a new password (read from standard input); the member's sessions end.",
            discussion: "Not while `atende serve` runs (exit 69). Example: printf %s \"$NEW\" | atende staff reset ana@example.com")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The staff member's email.") var email: String

        func run() async throws {
            let password = try readPassword()
            try await runStaff(common) { desk in
                let member = try find(email, in: desk)
                try await desk.resetPassword(of: member.id, to: password, by: .commandLine)
                print("reset the password of \(member.email); their sessions ended")
            }
        }
    }
}

/// The password on standard input, without the newline `echo` adds.
private func readPassword() throws -> String {
    var bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
    if bytes.last == 0x0A { bytes.removeLast() }
    if bytes.last == 0x0D { bytes.removeLast() }
    guard !bytes.isEmpty, let password = String(bytes: bytes, encoding: .utf8) else {
        throw ValidationError("no password on standard input; pipe it in, e.g. printf %s \"$PASSWORD\" | atende staff …")
    }
    return password
}

private func find(_ email: String, in desk: Desk) throws -> StaffMember {
    guard let member = try desk.staffMember(email: email) else {
        throw DeskError(.notFound, "no staff member has the email \(email); `atende staff list` shows them")
    }
    return member
}

/// Opens the store and a Desk over it for one command.
func withDesk(_ common: CommonOptions, _ body: (Desk) async throws -> Void) async throws {
    try await withStore(common) { store, _, logger in
        try await body(Desk(store: store, hasher: BcryptHasher(), logger: logger))
    }
}

/// Runs `body` with a Desk and turns domain errors into a message and exit 64 (the request was
/// wrong: weak password, taken email, last admin…).
private func runStaff(_ common: CommonOptions, _ body: (Desk) async throws -> Void) async throws {
    do {
        try await withDesk(common, body)
    } catch let error as DeskError {
        FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
        throw Exit.usage
    }
}
