import AtendeTesting
import Foundation
import Logging
@testable import Storage
import Testing

/// A data directory and, beside it (never inside), a master key path; both in one temp dir.
struct VaultFixture {
    let root: TemporaryDirectory
    var dataDirectory: String { root.appending("data") }
    var keyPath: String { root.appending("master.key") }
    static let schema = Schema(version: 1, databases: [Vault.database])

    init() throws { root = try TemporaryDirectory("vault") }

    /// Opens a real store and the vault in it for `body`, then closes the store.
    func withVault<R>(keyPath: String? = nil, _ body: (Vault, Store) async throws -> R) async throws -> R {
        let store = try Store(directory: dataDirectory, schema: Self.schema, logger: .quiet)
        defer { store.close() }
        let master = try MasterKey.load(from: .file(keyPath ?? self.keyPath), createIfMissing: true)
        let vault = try await Vault.open(store: store, masterKey: master)
        return try await body(vault, store)
    }

    /// Raw record bytes of `name` as stored.
    static func record(_ name: String, in store: Store) throws -> SealedSecret {
        let bytes = try #require(try store.read { txn in try Vault.database.get(Vault.secretKey(name), in: txn) })
        return try JSONDecoder().decode(SealedSecret.self, from: Data(bytes))
    }

    static func put(_ record: SealedSecret, as name: String, in store: Store) async throws {
        let bytes = Array(try JSONEncoder().encode(record))
        try await store.write { txn in try Vault.database.put(bytes, for: Vault.secretKey(name), in: txn) }
    }
}

@Suite struct VaultTests {
    @Test func aSecretSetIsRevealedAfterTheStoreIsReopened() async throws {
        let fixture = try VaultFixture()
        defer { fixture.root.remove() }
        try await fixture.withVault { vault, _ in
            try await vault.set("whatsapp.token", value: "EAAG-token-value")
            try await vault.set("binary", value: [0, 255, 1, 254])
            try await vault.set("empty", value: "")
        }
        try await fixture.withVault { vault, _ async throws in
            #expect(try vault.revealString("whatsapp.token") == "EAAG-token-value")
            #expect(try vault.reveal("binary") == [0, 255, 1, 254])
            #expect(try vault.reveal("empty") == [])
            #expect(vault.dataKeyVersion == 1)
        }
    }

    @Test func settingANameAgainReplacesItsValue() async throws {
        let fixture = try VaultFixture()
        defer { fixture.root.remove() }
        try await fixture.withVault { vault, _ in
            try await vault.set("openai.key", value: "first")
            try await vault.set("openai.key", value: "second")
            #expect(try vault.revealString("openai.key") == "second")
            #expect(try vault.names() == ["openai.key"])
        }
    }

    @Test func namesListsNamesOnlyAndDeleteRemovesASecret() async throws {
        let fixture = try VaultFixture()
        defer { fixture.root.remove() }
        try await fixture.withVault { vault, _ in
            for name in ["twilio.auth", "meta.app_secret", "llm-key"] { try await vault.set(name, value: "v-\(name)") }
            #expect(try vault.names() == ["llm-key", "meta.app_secret", "twilio.auth"])
            #expect(try await vault.delete("meta.app_secret"))
            #expect(try await !vault.delete("meta.app_secret"))
            #expect(try vault.names() == ["llm-key", "twilio.auth"])
            let error = #expect(throws: VaultError.self) { try vault.reveal("meta.app_secret") }
            #expect(error?.code == .notFound)
        }
    }

    @Test(arguments: ["", String(repeating: "a", count: 129), "a/b", "a b", "ключ", "name\0", "../x", "a:b"])
    func anInvalidNameIsRefusedEverywhere(name: String) async throws {
        let fixture = try VaultFixture()
        defer { fixture.root.remove() }
        try await fixture.withVault { vault, _ in
            for attempt in 0..<3 {
                let error = await #expect(throws: VaultError.self) {
                    switch attempt {
                    case 0: try await vault.set(name, value: "x")
                    case 1: _ = try vault.reveal(name)
                    default: try await vault.delete(name)
                    }
                }
                #expect(error?.code == .invalidName)
            }
        }
    }

    @Test func namesUpTo128CharactersOfTheAllowedSetAreAccepted() async throws {
        let fixture = try VaultFixture()
        defer { fixture.root.remove() }
        try await fixture.withVault { vault, _ in
            let long = String(repeating: "Z", count: 128)
            for name in ["a", "A-z_0.9", long] { try await vault.set(name, value: name) }
            #expect(try vault.revealString(long) == long)
        }
    }

    @Test func everySingleByteChangeOfASealedRecordIsDetected() async throws {
        let fixture = try VaultFixture()
        defer { fixture.root.remove() }
        try await fixture.withVault { vault, store in
            try await vault.set("stripe.key", value: "sk_live_abcdefghijklmnop")
            let original = try VaultFixture.record("stripe.key", in: store)
            var variants: [SealedSecret] = []
            for i in 0..<original.nonce.count { var r = original; r.nonce[i] ^= 0x01; variants.append(r) }
            for i in 0..<original.ciphertext.count { var r = original; r.ciphertext[i] ^= 0x80; variants.append(r) }
            for i in 0..<original.tag.count { var r = original; r.tag[i] ^= 0x20; variants.append(r) }
            var relabelled = original
            relabelled.keyVersion = 2
            variants.append(relabelled)
            for variant in variants {
                try await VaultFixture.put(variant, as: "stripe.key", in: store)
                let error = #expect(throws: VaultError.self) { try vault.reveal("stripe.key") }
                #expect(error?.code == .corrupted)
            }
            try await VaultFixture.put(original, as: "stripe.key", in: store)
            #expect(try vault.revealString("stripe.key") == "sk_live_abcdefghijklmnop")
        }
    }

    @Test func aFlippedBitAnywhereInTheStoredRecordEitherFailsOrChangesNothing() async throws {
        // Raw JSON flips: a flip that still decodes to the very same record (e.g. unused base64
        // bits) may open; every other one must be refused. Never a different value.
        let fixture = try VaultFixture()
        defer { fixture.root.remove() }
        try await fixture.withVault { vault, store in
            try await vault.set("smtp.password", value: "hunter2-but-longer")
            let raw = try #require(try store.read { txn in try Vault.database.get(Vault.secretKey("smtp.password"), in: txn) })
            let original = try JSONDecoder().decode(SealedSecret.self, from: Data(raw))
            var refused = 0
            for position in raw.indices {
                var flipped = raw
                flipped[position] ^= UInt8(1) << UInt8(position % 8)
                let bytes = flipped
                try await store.write { txn in try Vault.database.put(bytes, for: Vault.secretKey("smtp.password"), in: txn) }
                let unchanged = (try? JSONDecoder().decode(SealedSecret.self, from: Data(flipped))) == original
                if unchanged {
                    #expect(try vault.revealString("smtp.password") == "hunter2-but-longer")
                } else {
                    let error = #expect(throws: VaultError.self, "flip at \(position)") { try vault.reveal("smtp.password") }
                    #expect(error?.code == .corrupted)
                    refused += 1
                }
            }
            #expect(refused > raw.count * 9 / 10)
        }
    }

    @Test func swappingTwoRecordsCiphertextsIsDetected() async throws {
        let fixture = try VaultFixture()
        defer { fixture.root.remove() }
        try await fixture.withVault { vault, store in
            try await vault.set("alpha", value: "value-of-alpha")
            try await vault.set("bravo", value: "value-of-bravo")
            let (a, b) = (try VaultFixture.record("alpha", in: store), try VaultFixture.record("bravo", in: store))
            try await VaultFixture.put(b, as: "alpha", in: store)
            try await VaultFixture.put(a, as: "bravo", in: store)
            for name in ["alpha", "bravo"] {
                let error = #expect(throws: VaultError.self) { try vault.reveal(name) }
                #expect(error?.code == .corrupted)
                #expect(error?.message.contains("value-of") == false)
            }
        }
    }

    @Test func theSecretsPlaintextAndTheKeysAppearNowhereInTheDataDirectory() async throws {
        let fixture = try VaultFixture()
        defer { fixture.root.remove() }
        let secret = "plaintext-canary-" + UUID().uuidString
        var dataKeys: [[UInt8]] = []
        try await fixture.withVault { vault, _ in
            try await vault.set("canary", value: secret)
            try await vault.set("other", value: "x")
            dataKeys.append(vault.keys.withLock { $0.data.bytes.withUnsafeBytes { Array($0) } })
            try await vault.rotateDataKey()
            dataKeys.append(vault.keys.withLock { $0.data.bytes.withUnsafeBytes { Array($0) } })
            #expect(try vault.revealString("canary") == secret)
        }
        let masterKey = Array(try Data(contentsOf: URL(fileURLWithPath: fixture.keyPath)))
        #expect(try FileScan.files(containing: Array(secret.utf8), under: fixture.dataDirectory) == [])
        #expect(try FileScan.files(containing: masterKey, under: fixture.dataDirectory) == [])
        for key in dataKeys { #expect(try FileScan.files(containing: key, under: fixture.dataDirectory) == []) }
        // The scan itself works: the same bytes written in plain are found.
        let control = fixture.root.appending("control.txt")
        try Data("before \(secret) after".utf8).write(to: URL(fileURLWithPath: control))
        #expect(try FileScan.files(containing: Array(secret.utf8), under: fixture.root.path) == [control])
        #expect(try FileScan.files(containing: masterKey, under: fixture.root.path) == [fixture.keyPath])
    }
}
