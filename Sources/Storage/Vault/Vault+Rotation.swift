import AtendeCrypto
import Foundation

extension Vault {
    /// Replaces the data key with a new random one and re-seals every secret under it, all in
    /// one transaction: a crash leaves either every secret under the old key or all under the new.
    ///
    /// - Returns: how many secrets were re-sealed.
    @discardableResult
    public func rotateDataKey() async throws -> Int {
        let (count, next) = try await withCurrentKey { old in
            let master = self.keys.withLock { $0.master }
            let next = try DataKey.generate(version: old.version + 1)
            let count = try await self.store.write { txn in
                _ = try Self.wrappedKey(in: txn, expecting: old.version)
                var records: [(name: String, bytes: [UInt8])] = []
                try Self.database.forEach(in: txn) { key, value in
                    let text = String(decoding: key.bytes, as: UTF8.self)
                    if text.hasPrefix(Self.secretPrefix) { records.append((String(text.dropFirst(Self.secretPrefix.count)), value)) }
                    return true
                }
                for record in records {
                    let sealed: SealedSecret = try Self.decode(record.bytes, what: "secret '\(record.name)'")
                    guard sealed.keyVersion == old.version else {
                        throw VaultError(.corrupted, "secret '\(record.name)' claims data key version \(sealed.keyVersion); "
                            + "the vault's is \(old.version)")
                    }
                    var plain = try Self.open(sealed, name: record.name, with: old)
                    defer { SecretBytes.wipe(&plain) }
                    let aad = SealedSecret.associatedData(name: record.name, keyVersion: next.version)
                    let resealed = SealedSecret(keyVersion: next.version, box: try crypto { () throws(CryptoError) in try AESGCM.seal(plain, key: next.bytes, aad: aad) })
                    try Self.database.put(try Self.encode(resealed), for: Self.secretKey(record.name), in: txn)
                }
                let wrapped = try next.wrap(with: master, sealCount: UInt64(records.count))
                try Self.database.put(try Self.encode(wrapped), for: Self.dataKeyKey, in: txn)
                return records.count
            }
            return (count, next)
        }
        install(next)
        return count
    }

    /// Where `rotateMasterKey` may be stopped, to test recovery from a crash at that point.
    enum MasterKeyRotationStep: Sendable { case newKeyWritten, dataKeyRewrapped }

    /// Replaces the master key file with a new random key, crash-safely:
    /// 1. write the new key to `<key file>.new` (0600, synced);
    /// 2. re-wrap the data key under it in one transaction;
    /// 3. rename `.new` over the key file (atomic, directory synced).
    /// A crash after 1 leaves the old key working (the stale `.new` is removed at the next open);
    /// a crash after 2 is finished by `Vault.open`, which finds that `.new` opens the vault.
    /// Secrets are not re-sealed: they are under the data key, which does not change.
    ///
    /// - Throws: `VaultError` — `.keyInvalid` if the master key is a systemd credential (rotate
    ///   it with systemd-creds instead), `.io`, `.storage`.
    public func rotateMasterKey() async throws {
        try await rotateMasterKey(stoppingAfter: nil)
    }

    func rotateMasterKey(stoppingAfter stop: MasterKeyRotationStep?) async throws {
        let (master, data) = keys.withLock { ($0.master, $0.data) }
        guard case .file(let path) = master.source else {
            throw VaultError(.keyInvalid, "the master key is the systemd credential \(master.source.path); "
                + "it cannot be rotated from here")
        }
        let pending = path + ".new"
        // The vault is open, so the current key works: any `.new` is from a rotation that never committed.
        if CryptoFile.exists(pending) { unlink(pending) }
        let next = try MasterKey.create(at: pending)
        if stop == .newKeyWritten { return }
        do {
            try await wrapStorage {
                try await store.write { txn in
                    let wrapped = try Self.wrappedKey(in: txn, expecting: data.version)
                    guard wrapped.masterFingerprint == master.fingerprint else {
                        throw VaultError(.wrongMasterKey, "the stored data key is no longer wrapped by this master key")
                    }
                    let rewrapped = try data.wrap(with: next, sealCount: wrapped.sealCount)
                    try Self.database.put(try Self.encode(rewrapped), for: Self.dataKeyKey, in: txn)
                }
            }
        } catch {
            unlink(pending)
            throw error is KeyChanged
                ? VaultError(.storage, "the data key was rotated during the master key rotation; run it again")
                : error
        }
        if stop == .dataKeyRewrapped { return }
        try CryptoFile.rename(pending, to: path)
        let installed = try MasterKey(source: .file(path), bytes: next.bytes)
        keys.withLock { $0.master = installed }
    }
}
