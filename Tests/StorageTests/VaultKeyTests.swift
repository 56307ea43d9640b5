import AtendeTesting
import Foundation
@testable import Storage
import Testing

@Suite struct VaultKeyTests {
    static func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    static func write(_ bytes: [UInt8], to path: String, mode: Int) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }

    @Test func aMissingKeyFileIsCreatedOwnerOnlyWith32RandomBytes() throws {
        let dir = try TemporaryDirectory("key")
        defer { dir.remove() }
        let path = dir.appending("master.key")
        let created = try MasterKey.load(from: .file(path), createIfMissing: true)
        #expect(try Self.mode(path) == 0o600)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(bytes.count == 32)
        #expect(Set(bytes).count > 8)                       // random, not a constant fill
        let again = try MasterKey.load(from: .file(path), createIfMissing: true)
        #expect(again.fingerprint == created.fingerprint)
        #expect(created.fingerprint.count == 16)
        let other = try MasterKey.load(from: .file(dir.appending("second.key")), createIfMissing: true)
        #expect(other.fingerprint != created.fingerprint)
    }

    @Test func aMissingKeyIsAnErrorWhenNotAskedToCreateOne() throws {
        let dir = try TemporaryDirectory("key")
        defer { dir.remove() }
        let error = #expect(throws: VaultError.self) { try MasterKey.load(from: .file(dir.appending("none.key"))) }
        #expect(error?.code == .keyMissing)
        let nested = #expect(throws: VaultError.self) {
            try MasterKey.load(from: .file(dir.appending("no-such-dir/master.key")), createIfMissing: true)
        }
        #expect(nested?.code == .keyMissing)
        #expect(nested?.message.contains("does not exist") == true)
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o660, 0o606, 0o602, 0o620, 0o666])
    func aKeyFileOthersCanReadOrWriteIsRefused(mode: Int) throws {
        let dir = try TemporaryDirectory("key")
        defer { dir.remove() }
        let path = dir.appending("master.key")
        try Self.write(Array(repeating: 7, count: 32), to: path, mode: mode)
        let error = #expect(throws: VaultError.self) { try MasterKey.load(from: .file(path), createIfMissing: true) }
        #expect(error?.code == .keyPermissions)
        #expect(error?.message.contains("chmod 600") == true)
    }

    @Test(arguments: [0o600, 0o400, 0o700])
    func anOwnerOnlyKeyFileIsAccepted(mode: Int) throws {
        let dir = try TemporaryDirectory("key")
        defer { dir.remove() }
        let path = dir.appending("master.key")
        try Self.write(Array(repeating: 9, count: 32), to: path, mode: mode)
        _ = try MasterKey.load(from: .file(path))
    }

    @Test(arguments: [0, 1, 31, 33, 64])
    func aKeyFileOfTheWrongLengthIsRefused(length: Int) throws {
        let dir = try TemporaryDirectory("key")
        defer { dir.remove() }
        let path = dir.appending("master.key")
        try Self.write(Array(repeating: 1, count: length), to: path, mode: 0o600)
        let error = #expect(throws: VaultError.self) { try MasterKey.load(from: .file(path), createIfMissing: true) }
        #expect(error?.code == .keyInvalid)
        #expect(error?.message.contains("exactly 32 bytes") == true)
    }

    @Test func aDirectoryInPlaceOfTheKeyIsRefused() throws {
        let dir = try TemporaryDirectory("key")
        defer { dir.remove() }
        let error = #expect(throws: VaultError.self) { try MasterKey.load(from: .file(dir.path)) }
        #expect(error?.code == .keyInvalid || error?.code == .keyPermissions)
    }

    @Test func theKeySourceIsTheExplicitPathThenTheSystemdCredentialThenTheDefault() throws {
        let dir = try TemporaryDirectory("key")
        defer { dir.remove() }
        let env = ["CREDENTIALS_DIRECTORY": dir.path]
        #expect(MasterKey.resolveSource(explicitPath: nil, defaultPath: "/d/master.key", environment: env) == .file("/d/master.key"))
        try Self.write(Array(repeating: 3, count: 32), to: dir.appending("master.key"), mode: 0o400)
        #expect(MasterKey.resolveSource(explicitPath: nil, defaultPath: "/d/master.key", environment: env)
            == .credential(dir.appending("master.key")))
        #expect(MasterKey.resolveSource(explicitPath: "/x.key", defaultPath: "/d/master.key", environment: env) == .file("/x.key"))
        #expect(MasterKey.resolveSource(explicitPath: nil, defaultPath: "/d/master.key", environment: [:]) == .file("/d/master.key"))
        let credential = try MasterKey.load(from: .credential(dir.appending("master.key")), createIfMissing: true)
        #expect(credential.source == .credential(dir.appending("master.key")))
    }

    @Test func aDifferentMasterKeyIsNamedAsSuchNotAsCorruption() async throws {
        let fixture = try VaultFixture()
        defer { fixture.root.remove() }
        try await fixture.withVault { vault, _ in try await vault.set("token", value: "t") }
        let error = await #expect(throws: VaultError.self) {
            try await fixture.withVault(keyPath: fixture.root.appending("other.key")) { _, _ in }
        }
        #expect(error?.code == .wrongMasterKey)
        #expect(error?.message.contains("this data directory was sealed with a different master key") == true)
        try await fixture.withVault { vault, _ async throws in #expect(try vault.revealString("token") == "t") }
    }

    @Test func aMasterKeyInsideTheDataDirectoryIsRefused() async throws {
        let fixture = try VaultFixture()
        defer { fixture.root.remove() }
        try FileManager.default.createDirectory(atPath: fixture.dataDirectory, withIntermediateDirectories: true)
        let error = await #expect(throws: VaultError.self) {
            try await fixture.withVault(keyPath: fixture.dataDirectory + "/master.key") { _, _ in }
        }
        #expect(error?.code == .keyInvalid)
        #expect(error?.message.contains("inside the data directory") == true)
    }

    @Test func aChangedWrappedDataKeyIsReportedAsCorrupted() async throws {
        let fixture = try VaultFixture()
        defer { fixture.root.remove() }
        try await fixture.withVault { _, store in
            try await store.write { txn in
                let bytes = try #require(try Vault.database.get(Vault.dataKeyKey, in: txn))
                var wrapped = try JSONDecoder().decode(WrappedDataKey.self, from: Data(bytes))
                wrapped.ciphertext[0] ^= 1
                try Vault.database.put(Array(try JSONEncoder().encode(wrapped)), for: Vault.dataKeyKey, in: txn)
            }
        }
        let error = await #expect(throws: VaultError.self) { try await fixture.withVault { _, _ in } }
        #expect(error?.code == .corrupted)
    }
}
