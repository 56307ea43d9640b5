import Foundation
import Glibc

extension Vault {
    /// Opens the vault in `store` (whose schema must include `Vault.database`) with `masterKey`.
    ///
    /// On first use creates and stores a data key wrapped by `masterKey`. If the stored data key
    /// was wrapped by another master key but `<key file>.new` unwraps it, a master-key rotation
    /// was interrupted after its commit: the rotation is finished (the new file renamed over the
    /// old). A leftover `.new` that does not open the vault is from a rotation that never
    /// committed and is removed.
    ///
    /// - Throws: `VaultError` — `.wrongMasterKey` ("this data directory was sealed with a
    ///   different master key"), `.keyInvalid` if the key file is inside the data directory,
    ///   `.corrupted`, `.storage`.
    public static func open(store: Store, masterKey: MasterKey) async throws -> Vault {
        try await open(store: store, masterKey: masterKey, sealLimit: defaultSealLimit)
    }

    static func open(store: Store, masterKey: MasterKey, sealLimit: UInt64) async throws -> Vault {
        try checkOutside(masterKey.source.path, dataDirectory: store.directory)
        var stored = try wrapStorage { try store.read { txn in try database.get(dataKeyKey, in: txn) } }
        if stored == nil {
            let fresh = try DataKey.generate(version: 1).wrap(with: masterKey, sealCount: 0)
            let encoded = try encode(fresh)
            // Another opener may have won the race; whichever record is stored is the one used.
            stored = try await wrapStorage {
                try await store.write { txn in
                    if let existing = try database.get(dataKeyKey, in: txn) { return existing }
                    try database.put(encoded, for: dataKeyKey, in: txn)
                    return encoded
                }
            }
        }
        let wrapped: WrappedDataKey = try decode(stored ?? [], what: "the data key record")
        let pending = masterKey.source.path + ".new"
        let first: Result<DataKey, VaultError> = Result { () throws(VaultError) in try DataKey.unwrap(wrapped, with: masterKey) }
        switch first {
        case .success(let data):
            if case .file = masterKey.source, CryptoFile.exists(pending) { unlink(pending) }
            return Vault(store: store, master: masterKey, data: data, sealLimit: sealLimit)
        case .failure(let error):
            guard error.code == .wrongMasterKey, case .file(let path) = masterKey.source, CryptoFile.exists(pending) else {
                throw error
            }
            let next = try MasterKey.load(from: .file(pending))
            guard let data = try? DataKey.unwrap(wrapped, with: next) else { throw error }
            try CryptoFile.rename(pending, to: path)
            return Vault(store: store, master: try MasterKey(source: .file(path), bytes: next.bytes), data: data,
                         sealLimit: sealLimit)
        }
    }

    /// The master key must not live in the data directory: it would travel with every copy of it.
    static func checkOutside(_ keyPath: String, dataDirectory: String) throws(VaultError) {
        let key = URL(fileURLWithPath: keyPath).resolvingSymlinksInPath().path
        let data = URL(fileURLWithPath: dataDirectory).resolvingSymlinksInPath().path
        if key.hasPrefix(data.hasSuffix("/") ? data : data + "/") {
            throw VaultError(.keyInvalid, "master key \(keyPath) is inside the data directory \(dataDirectory); "
                + "keep it outside (it must not travel with copies or backups of the data)")
        }
    }
}
