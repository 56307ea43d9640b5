import AtendeTesting
import Foundation
import Testing

/// `atende secret …` and `atende vault rotate` as an operator runs them.
@Suite struct SecretCommandTests {
    let atende = BuiltProducts.path("atende")

    @Test func aSecretSetFromStdinIsListedByNameAndItsValueIsInNoFileNorBackup() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.appending("data"), key = directory.appending("master.key")
        let plaintext = "EAAG-very-secret-token-\(UUID().uuidString)"
        let set = try await ChildProcess.run(atende, ["secret", "set", "whatsapp.token", "--data", data, "--master-key", key],
                                             stdin: Data((plaintext + "\n").utf8))
        #expect(set.status == 0, "\(set.error)")
        #expect(!set.output.contains(plaintext) && !set.error.contains(plaintext))
        let list = try await ChildProcess.run(atende, ["secret", "list", "--data", data, "--master-key", key])
        #expect(list.output == "whatsapp.token\n")
        let backup = directory.appending("b.atende")
        #expect(try await ChildProcess.run(atende, ["backup", "--data", data, backup]).status == 0)
        let attributes = try FileManager.default.attributesOfItem(atPath: key)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let needle = Data(plaintext.utf8)
        for path in try files(under: directory.path) where path != key {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(bytes.range(of: needle) == nil, "the secret's plaintext is in \(path)")
        }
        let backupBytes = try Data(contentsOf: URL(fileURLWithPath: backup))
        #expect(backupBytes.range(of: try Data(contentsOf: URL(fileURLWithPath: key))) == nil, "the master key is inside the backup")
    }

    @Test func theValueIsNeverTakenFromTheCommandLine() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let result = try await ChildProcess.run(atende, ["secret", "set", "a", "the-value", "--data", directory.appending("d")])
        #expect(result.status == 64)
    }

    @Test func deletingAnUnknownSecretSaysSoAndRotationKeepsSecretsReadable() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let common = ["--data", directory.appending("data"), "--master-key", directory.appending("master.key")]
        #expect(try await ChildProcess.run(atende, ["secret", "set", "one"] + common, stdin: Data("1".utf8)).status == 0)
        let missing = try await ChildProcess.run(atende, ["secret", "delete", "two"] + common)
        #expect(missing.status == 64)
        #expect(missing.error.contains("no secret named two"))
        let rotate = try await ChildProcess.run(atende, ["vault", "rotate", "--master-key-too"] + common)
        #expect(rotate.status == 0, "\(rotate.error)")
        let list = try await ChildProcess.run(atende, ["secret", "list"] + common)
        #expect(list.output == "one\n")
        #expect(try await ChildProcess.run(atende, ["secret", "delete", "one"] + common).status == 0)
        #expect(try await ChildProcess.run(atende, ["secret", "list"] + common).output == "(no secrets)\n")
    }

    @Test func aMissingMasterKeyForAnExistingVaultIsAnErrorNotANewKey() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let key = directory.appending("master.key")
        let common = ["--data", directory.appending("data"), "--master-key", key]
        #expect(try await ChildProcess.run(atende, ["secret", "set", "one"] + common, stdin: Data("1".utf8)).status == 0)
        try FileManager.default.removeItem(atPath: key)
        let result = try await ChildProcess.run(atende, ["secret", "list"] + common)
        #expect(result.status == 78)
        #expect(!FileManager.default.fileExists(atPath: key))
    }

    private func files(under root: String) throws -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: root)
        var out: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            let path = (root as NSString).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue { out.append(path) }
        }
        return out
    }
}
