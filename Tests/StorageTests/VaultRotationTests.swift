import AtendeTesting
import Foundation
@testable import Storage
import Testing

@Suite struct VaultRotationTests {
    static let secrets = ["meta.token": "EAAB-meta", "twilio.auth": "tw-auth-1", "llm.key": "sk-llm-2"]

    static func fill(_ vault: Vault) async throws {
        for (name, value) in secrets { try await vault.set(name, value: value) }
    }

    static func expectAllReadable(_ vault: Vault, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for (name, value) in secrets { #expect(try vault.revealString(name) == value, sourceLocation: sourceLocation) }
    }

    static func keyBytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    @Test func rotatingTheDataKeyResealsEverySecretUnderTheNextVersion() async throws {
        let fixture = try VaultFixture()
        defer { fixture.root.remove() }
        try await fixture.withVault { vault, store in
            try await Self.fill(vault)
            let before = try VaultFixture.record("meta.token", in: store)
            #expect(try await vault.rotateDataKey() == Self.secrets.count)
            #expect(vault.dataKeyVersion == 2)
            let after = try VaultFixture.record("meta.token", in: store)
            #expect(after.keyVersion == 2 && before.keyVersion == 1)
            #expect(after.ciphertext != before.ciphertext)
            // The old record no longer opens: its key is gone.
            try await VaultFixture.put(before, as: "meta.token", in: store)
            #expect(throws: VaultError.self) { try vault.reveal("meta.token") }
            try await VaultFixture.put(after, as: "meta.token", in: store)
        }
        try await fixture.withVault { vault, _ in
            #expect(vault.dataKeyVersion == 2)
            try Self.expectAllReadable(vault)
        }
    }

    @Test func writesRacingADataKeyRotationAllStayReadable() async throws {
        let fixture = try VaultFixture()
        defer { fixture.root.remove() }
        try await fixture.withVault { vault, _ in
            try await Self.fill(vault)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<24 { group.addTask { try await vault.set("racer-\(i)", value: "value-\(i)") } }
                group.addTask { try await vault.rotateDataKey() }
                group.addTask { try await vault.rotateDataKey() }
                try await group.waitForAll()
            }
            #expect(vault.dataKeyVersion == 3)
            for i in 0..<24 { #expect(try vault.revealString("racer-\(i)") == "value-\(i)") }
        }
        try await fixture.withVault { vault, _ in try Self.expectAllReadable(vault) }
    }

    @Test func rotatingTheMasterKeyReplacesTheKeyFileAndKeepsEverySecret() async throws {
        let fixture = try VaultFixture()
        defer { fixture.root.remove() }
        let oldKey = try await fixture.withVault { vault, _ in
            try await Self.fill(vault)
            let old = try Self.keyBytes(fixture.keyPath)
            let oldFingerprint = vault.masterKeyFingerprint
            try await vault.rotateMasterKey()
            #expect(vault.masterKeyFingerprint != oldFingerprint)
            try Self.expectAllReadable(vault)
            return old
        }
        #expect(try Self.keyBytes(fixture.keyPath) != oldKey)
        #expect(try VaultKeyTests.mode(fixture.keyPath) == 0o600)
        #expect(!FileManager.default.fileExists(atPath: fixture.keyPath + ".new"))
        try await fixture.withVault { vault, _ in try Self.expectAllReadable(vault) }
        // The retired key no longer opens the data directory.
        let retired = fixture.root.appending("retired.key")
        try VaultKeyTests.write(oldKey, to: retired, mode: 0o600)
        let error = await #expect(throws: VaultError.self) { try await fixture.withVault(keyPath: retired) { _, _ in } }
        #expect(error?.code == .wrongMasterKey)
    }

    @Test func aMasterKeyRotationInterruptedBeforeItsCommitKeepsTheOldKey() async throws {
        let fixture = try VaultFixture()
        defer { fixture.root.remove() }
        let oldKey = try await fixture.withVault { vault, _ in
            try await Self.fill(vault)
            try await vault.rotateMasterKey(stoppingAfter: .newKeyWritten)
            return try Self.keyBytes(fixture.keyPath)
        }
        #expect(FileManager.default.fileExists(atPath: fixture.keyPath + ".new"))
        try await fixture.withVault { vault, _ in try Self.expectAllReadable(vault) }
        #expect(try Self.keyBytes(fixture.keyPath) == oldKey)
        #expect(!FileManager.default.fileExists(atPath: fixture.keyPath + ".new"))
    }

    @Test func aMasterKeyRotationInterruptedAfterItsCommitIsFinishedAtOpen() async throws {
        let fixture = try VaultFixture()
        defer { fixture.root.remove() }
        let newKey = try await fixture.withVault { vault, _ in
            try await Self.fill(vault)
            try await vault.rotateMasterKey(stoppingAfter: .dataKeyRewrapped)
            return try Self.keyBytes(fixture.keyPath + ".new")
        }
        #expect(try Self.keyBytes(fixture.keyPath) != newKey)   // the old key is still in place
        try await fixture.withVault { vault, _ in try Self.expectAllReadable(vault) }
        #expect(try Self.keyBytes(fixture.keyPath) == newKey)   // …and the rotation is now finished
        #expect(!FileManager.default.fileExists(atPath: fixture.keyPath + ".new"))
        #expect(try VaultKeyTests.mode(fixture.keyPath) == 0o600)
        try await fixture.withVault { vault, _ in try Self.expectAllReadable(vault) }
    }

    @Test func theDataKeyRotatesItselfOnceItHasSealedItsLimit() async throws {
        let fixture = try VaultFixture()
        defer { fixture.root.remove() }
        let store = try Store(directory: fixture.dataDirectory, schema: VaultFixture.schema, logger: .quiet)
        defer { store.close() }
        let master = try MasterKey.load(from: .file(fixture.keyPath), createIfMissing: true)
        let vault = try await Vault.open(store: store, masterKey: master, sealLimit: 5)
        for i in 0..<4 { try await vault.set("s\(i)", value: "v\(i)") }
        #expect(vault.dataKeyVersion == 1)
        try await vault.set("s4", value: "v4")                 // the fifth seal reaches the limit
        #expect(vault.dataKeyVersion == 2)
        #expect(try vault.checkIntegrity() == 5)
        let wrapped = try #require(try store.read { txn in try Vault.database.get(Vault.dataKeyKey, in: txn) })
        #expect(try JSONDecoder().decode(WrappedDataKey.self, from: Data(wrapped)).sealCount == 5)  // the re-seals
    }

    @Test func theIntegrityCheckNamesASecretThatNoLongerOpens() async throws {
        let fixture = try VaultFixture()
        defer { fixture.root.remove() }
        try await fixture.withVault { vault, store in
            try await Self.fill(vault)
            #expect(try vault.checkIntegrity() == Self.secrets.count)
            var record = try VaultFixture.record("twilio.auth", in: store)
            record.tag[3] ^= 4
            try await VaultFixture.put(record, as: "twilio.auth", in: store)
            let error = #expect(throws: VaultError.self) { try vault.checkIntegrity() }
            #expect(error?.code == .corrupted)
            #expect(error?.message.contains("twilio.auth") == true)
        }
    }

    @Test func aSystemdCredentialIsNotRotatedFromHere() async throws {
        let fixture = try VaultFixture()
        defer { fixture.root.remove() }
        let credentials = fixture.root.appending("credentials")
        try FileManager.default.createDirectory(atPath: credentials, withIntermediateDirectories: true)
        let path = credentials + "/master.key"
        try VaultKeyTests.write(Array(repeating: 5, count: 32), to: path, mode: 0o400)
        let store = try Store(directory: fixture.dataDirectory, schema: VaultFixture.schema, logger: .quiet)
        defer { store.close() }
        let vault = try await Vault.open(store: store, masterKey: try MasterKey.load(from: .credential(path)))
        try await vault.set("x", value: "y")
        let error = await #expect(throws: VaultError.self) { try await vault.rotateMasterKey() }
        #expect(error?.code == .keyInvalid)
        #expect(try vault.revealString("x") == "y")
        #expect(try Self.keyBytes(path) == Array(repeating: 5, count: 32))
    }
}
