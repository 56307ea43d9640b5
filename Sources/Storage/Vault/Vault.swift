import AtendeCrypto
import Foundation
import Synchronization

/// Secrets (provider tokens, API keys) stored in the store only as AES-256-GCM ciphertext.
///
/// Envelope encryption: each secret is sealed under a random data key; the data key is stored
/// wrapped by the master key, which lives outside the data directory. Everything the vault keeps
/// is in the `vault` database of the store: "datakey" → `WrappedDataKey` JSON, and
/// "secret/<name>" → `SealedSecret` JSON. Plaintext exists only in memory.
public final class Vault: Sendable {
    /// The vault's database; add it to the schema the store is opened with.
    public static let database = RawDatabase("vault")
    static let dataKeyKey = Key("datakey")
    static let secretPrefix = "secret/"
    /// Seals under one data key before it is rotated automatically: far below GCM's 2^32 (B9).
    static let defaultSealLimit: UInt64 = 1 << 24

    let store: Store
    let sealLimit: UInt64
    struct Keys: Sendable {
        var master: MasterKey
        var data: DataKey
    }
    let keys: Mutex<Keys>

    init(store: Store, master: MasterKey, data: DataKey, sealLimit: UInt64 = defaultSealLimit) {
        self.store = store
        self.sealLimit = sealLimit
        keys = Mutex(Keys(master: master, data: data))
    }

    /// The master key's fingerprint (safe to print).
    public var masterKeyFingerprint: String { keys.withLock { $0.master.fingerprint } }
    /// The current data key's version (starts at 1, +1 per rotation).
    public var dataKeyVersion: UInt32 { keys.withLock { $0.data.version } }

    // MARK: Secrets

    /// Stores `value` under `name`, replacing any earlier value.
    ///
    /// - Throws: `VaultError` — `.invalidName`, `.storage`, `.crypto`.
    public func set(_ name: String, value: [UInt8]) async throws {
        try Self.validate(name)
        let sealCount = try await withCurrentKey { data in
            try await self.store.write { txn in
                var wrapped = try Self.wrappedKey(in: txn, expecting: data.version)
                let aad = SealedSecret.associatedData(name: name, keyVersion: data.version)
                let sealed = SealedSecret(keyVersion: data.version, box: try crypto { () throws(CryptoError) in try AESGCM.seal(value, key: data.bytes, aad: aad) })
                try Self.database.put(try Self.encode(sealed), for: Self.secretKey(name), in: txn)
                wrapped.sealCount += 1
                try Self.database.put(try Self.encode(wrapped), for: Self.dataKeyKey, in: txn)
                return wrapped.sealCount
            }
        }
        if sealCount >= sealLimit { try await rotateDataKey() }
    }

    /// Stores the UTF-8 bytes of `value` under `name`.
    public func set(_ name: String, value: String) async throws {
        try await set(name, value: Array(value.utf8))
    }

    /// The value stored under `name`.
    ///
    /// - Throws: `VaultError` — `.notFound`, `.invalidName`, `.corrupted` if the record was
    ///   changed or moved from another name, `.storage`.
    public func reveal(_ name: String) throws -> [UInt8] {
        try Self.validate(name)
        var data = keys.withLock { $0.data }
        let bytes = try wrapStorage { try store.read { txn in try Self.database.get(Self.secretKey(name), in: txn) } }
        guard let bytes else { throw VaultError(.notFound, "no secret named '\(name)'") }
        let sealed: SealedSecret = try Self.decode(bytes, what: "secret '\(name)'")
        if sealed.keyVersion > data.version {
            // A rotation committed after we read our key: the store's key is the current one.
            try reloadDataKey()
            data = keys.withLock { $0.data }
        }
        guard sealed.keyVersion == data.version else {
            throw VaultError(.corrupted, "secret '\(name)' claims data key version \(sealed.keyVersion); "
                + "the vault's is \(data.version)")
        }
        return try Self.open(sealed, name: name, with: data)
    }

    /// The value stored under `name`, decoded as UTF-8.
    public func revealString(_ name: String) throws -> String {
        String(decoding: try reveal(name), as: UTF8.self)
    }

    /// Every stored secret's name, sorted. Values are not decrypted.
    public func names() throws -> [String] {
        try wrapStorage {
            try store.read { txn in
                var names: [String] = []
                try Self.database.forEach(in: txn) { key, _ in
                    let text = String(decoding: key.bytes, as: UTF8.self)
                    if text.hasPrefix(Self.secretPrefix) { names.append(String(text.dropFirst(Self.secretPrefix.count))) }
                    return true
                }
                return names
            }
        }
    }

    /// Removes the secret `name`; returns whether it existed.
    @discardableResult
    public func delete(_ name: String) async throws -> Bool {
        try Self.validate(name)
        return try await wrapStorage { try await store.write { txn in try Self.database.delete(Self.secretKey(name), in: txn) } }
    }

    /// Opens every stored secret and discards the plaintext: the crash test's integrity walk
    /// ("every vault entry decrypts", reliability.md B1). Returns how many were checked.
    ///
    /// - Throws: `VaultError(.corrupted)` naming the first secret that does not open.
    @discardableResult
    public func checkIntegrity() throws -> Int {
        let names = try names()
        for name in names {
            var plain = try reveal(name)
            SecretBytes.wipe(&plain)
        }
        return names.count
    }

    // MARK: Helpers

    /// A name is 1–128 characters of `[A-Za-z0-9._-]`: safe in a key, a log line and a shell.
    static func validate(_ name: String) throws(VaultError) {
        let bytes = Array(name.utf8)
        guard (1...128).contains(bytes.count), bytes.allSatisfy({ c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2E || c == 0x5F || c == 0x2D
        }) else {
            throw VaultError(.invalidName, "a secret name must be 1–128 characters of A–Z, a–z, 0–9, '.', '_' or '-'")
        }
    }

    static func secretKey(_ name: String) -> Key { Key(secretPrefix + name) }

    static func open(_ sealed: SealedSecret, name: String, with data: DataKey) throws(VaultError) -> [UInt8] {
        do {
            return try crypto { () throws(CryptoError) in
                try AESGCM.open(sealed.box, key: data.bytes,
                                aad: SealedSecret.associatedData(name: name, keyVersion: sealed.keyVersion))
            }
        } catch where error.code == .authenticationFailed {
            throw VaultError(.corrupted, "secret '\(name)' failed authentication: it was changed, or moved from another record")
        }
    }

    /// The stored wrapped data key, which must be of `version` (else a rotation raced us).
    static func wrappedKey(in txn: borrowing WriteTransaction, expecting version: UInt32) throws -> WrappedDataKey {
        guard let bytes = try database.get(dataKeyKey, in: txn) else {
            throw VaultError(.corrupted, "the vault has no data key record")
        }
        let wrapped: WrappedDataKey = try decode(bytes, what: "the data key record")
        guard wrapped.version == version else { throw KeyChanged() }
        return wrapped
    }

    /// Thrown inside a write when the data key was rotated since we read it; the caller reloads.
    struct KeyChanged: Error {}

    /// Runs `body` with the current data key, reloading it whenever a rotation got in between
    /// (each retry means some rotation committed, so this ends).
    func withCurrentKey<R: Sendable>(_ body: (DataKey) async throws -> R) async throws -> R {
        for _ in 0..<16 {
            do {
                return try await wrapStorage { try await body(keys.withLock { $0.data }) }
            } catch is KeyChanged {
                try reloadDataKey()
            }
        }
        throw VaultError(.storage, "the vault's data key kept changing under this write; try again")
    }

    /// Installs `data` unless a newer key is already in place (rotations can finish out of order).
    func install(_ data: DataKey) {
        keys.withLock { if data.version > $0.data.version { $0.data = data } }
    }

    func reloadDataKey() throws {
        let master = keys.withLock { $0.master }
        guard let wrapped = try wrapStorage({ try store.read { txn in try Self.database.get(Self.dataKeyKey, in: txn) } })
        else { throw VaultError(.corrupted, "the vault has no data key record") }
        let data = try DataKey.unwrap(try Self.decode(wrapped, what: "the data key record"), with: master)
        keys.withLock { $0.data = data }       // the stored record is authoritative
    }

    static func encode<T: Encodable>(_ value: T) throws -> [UInt8] { Array(try JSONEncoder().encode(value)) }

    static func decode<T: Decodable>(_ bytes: [UInt8], what: String) throws(VaultError) -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(bytes)) } catch {
            throw VaultError(.corrupted, "\(what) in the vault does not decode")
        }
    }
}

/// Store failures surface as `VaultError(.storage)` wrapping the StorageError; ours pass through.
func wrapStorage<R>(_ body: () throws -> R) throws -> R {
    do { return try body() } catch let error as StorageError {
        throw VaultError(.storage, "the vault's store failed: \(error.message)", underlying: error)
    }
}

func wrapStorage<R>(_ body: () async throws -> R) async throws -> R {
    do { return try await body() } catch let error as StorageError {
        throw VaultError(.storage, "the vault's store failed: \(error.message)", underlying: error)
    }
}
