import AtendeCrypto
public import Foundation

/// One secret as stored: AES-256-GCM under the data key of `keyVersion`, with
/// AAD = "atende.secret\0" ‖ name ‖ "\0" ‖ keyVersion (UInt32, big-endian), so a record moved to
/// another name, re-labelled with another key version, or changed in any byte fails to open.
public struct SealedSecret: Codable, Sendable, Equatable {
    public var keyVersion: UInt32
    public var nonce: Data
    public var ciphertext: Data
    public var tag: Data

    enum CodingKeys: String, CodingKey { case keyVersion = "key_version", nonce, ciphertext, tag }

    init(keyVersion: UInt32, box: AESGCM.Box) {
        self.keyVersion = keyVersion
        nonce = Data(box.nonce)
        ciphertext = Data(box.ciphertext)
        tag = Data(box.tag)
    }

    var box: AESGCM.Box { AESGCM.Box(nonce: Array(nonce), ciphertext: Array(ciphertext), tag: Array(tag)) }

    static func associatedData(name: String, keyVersion: UInt32) -> [UInt8] {
        Array("atende.secret\0".utf8) + Array(name.utf8) + [0] + bigEndian(keyVersion)
    }
}

/// The data key as stored: sealed under the master key with
/// AAD = "atende.datakey\0" ‖ version (UInt32) ‖ master fingerprint (8 bytes).
struct WrappedDataKey: Codable, Sendable {
    var version: UInt32
    /// Hex fingerprint of the master key that wrapped it (see `MasterKey.fingerprint`).
    var masterFingerprint: String
    var nonce: Data
    var ciphertext: Data
    var tag: Data
    /// Seals done under this key: rotate long before GCM's 2^32 random-nonce limit (B9).
    var sealCount: UInt64

    enum CodingKeys: String, CodingKey {
        case version, masterFingerprint = "master_fingerprint", nonce, ciphertext, tag, sealCount = "seal_count"
    }

    static func associatedData(version: UInt32, fingerprint: String) -> [UInt8] {
        Array("atende.datakey\0".utf8) + bigEndian(version) + ([UInt8](hexString: fingerprint) ?? [])
    }
}

/// The key that seals secrets; lives in memory unwrapped only while the vault is open.
final class DataKey: Sendable {
    let version: UInt32
    let bytes: SecretBytes

    init(version: UInt32, bytes: SecretBytes) {
        self.version = version
        self.bytes = bytes
    }

    static func generate(version: UInt32) throws(VaultError) -> DataKey {
        DataKey(version: version, bytes: try crypto { () throws(CryptoError) in try SecretBytes(randomCount: AESGCM.keySize) })
    }

    func wrap(with master: MasterKey, sealCount: UInt64) throws(VaultError) -> WrappedDataKey {
        // `var` and wiped in place: wiping a copy would copy the buffer first and leave this one.
        var plain = bytes.withUnsafeBytes { Array($0) }
        defer { SecretBytes.wipe(&plain) }
        let box = try crypto { () throws(CryptoError) in
            try AESGCM.seal(plain, key: master.bytes,
                            aad: WrappedDataKey.associatedData(version: version, fingerprint: master.fingerprint))
        }
        return WrappedDataKey(version: version, masterFingerprint: master.fingerprint, nonce: Data(box.nonce),
                              ciphertext: Data(box.ciphertext), tag: Data(box.tag), sealCount: sealCount)
    }

    static func unwrap(_ wrapped: WrappedDataKey, with master: MasterKey) throws(VaultError) -> DataKey {
        guard wrapped.masterFingerprint == master.fingerprint else {
            throw VaultError(.wrongMasterKey, "this data directory was sealed with a different master key "
                + "(fingerprint \(wrapped.masterFingerprint); \(master.source.path) has \(master.fingerprint))")
        }
        var plain: [UInt8]
        do {
            plain = try crypto { () throws(CryptoError) in
                try AESGCM.open(AESGCM.Box(nonce: Array(wrapped.nonce), ciphertext: Array(wrapped.ciphertext),
                                           tag: Array(wrapped.tag)),
                                key: master.bytes,
                                aad: WrappedDataKey.associatedData(version: wrapped.version,
                                                                   fingerprint: master.fingerprint))
            }
        } catch where error.code == .authenticationFailed {
            throw VaultError(.corrupted, "the vault's wrapped data key failed authentication (it was changed)")
        }
        defer { SecretBytes.wipe(&plain) }
        guard plain.count == AESGCM.keySize else {
            throw VaultError(.corrupted, "the vault's data key has the wrong length")
        }
        return DataKey(version: wrapped.version, bytes: plain.withUnsafeBytes { SecretBytes(copying: $0) })
    }
}

func bigEndian(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }
