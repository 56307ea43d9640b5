import AtendeCrypto
public import Foundation
import Glibc

/// The key-encryption key: 32 random bytes kept outside the data directory (a 0600 file, or a
/// systemd credential). It only wraps the vault's data key; it never touches a secret directly.
public final class MasterKey: Sendable {
    /// Where a master key comes from.
    public enum Source: Sendable, Equatable {
        /// A key file we may create (on first start) and replace (on rotation).
        case file(String)
        /// `$CREDENTIALS_DIRECTORY/master.key`, given by systemd (`LoadCredential[Encrypted]=`).
        /// Read-only: never created or rotated by us.
        case credential(String)

        public var path: String {
            switch self { case .file(let path), .credential(let path): path }
        }
    }

    public static let size = 32
    /// The credential name systemd exposes under `$CREDENTIALS_DIRECTORY`.
    public static let credentialName = "master.key"

    /// Where this key was loaded from.
    public let source: Source
    /// HMAC-SHA256(key, "atende.master.fingerprint"), first 8 bytes, as hex. Stored beside the
    /// wrapped data key so a different master key is named as such, not as corruption.
    public let fingerprint: String
    let bytes: SecretBytes

    init(source: Source, bytes: SecretBytes) throws(VaultError) {
        self.source = source
        self.bytes = bytes
        fingerprint = Array(try crypto { () throws(CryptoError) in
            try HMAC.sha256(key: bytes, message: Array("atende.master.fingerprint".utf8))
        }.prefix(8)).hexString
    }

    /// Picks the key source: an explicit path (`--master-key`, `ATENDE_MASTER_KEY_FILE`) wins;
    /// otherwise the systemd credential if `$CREDENTIALS_DIRECTORY` is set and holds
    /// `master.key`; otherwise `defaultPath`.
    public static func resolveSource(explicitPath: String?, defaultPath: String,
                                     environment: [String: String] = ProcessInfo.processInfo.environment) -> Source {
        if let explicitPath, !explicitPath.isEmpty { return .file(explicitPath) }
        if let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty {
            let path = (directory as NSString).appendingPathComponent(credentialName)
            if CryptoFile.exists(path) { return .credential(path) }
        }
        return .file(defaultPath)
    }

    /// Loads the key from `source`. A missing key *file* is created (32 random bytes, mode 0600,
    /// `O_CREAT|O_EXCL`, synced) when `createIfMissing`; a missing credential never is.
    ///
    /// - Throws: `VaultError` — `.keyMissing` (absent, or its directory is), `.keyPermissions`
    ///   (group/other bits set), `.keyInvalid` (not a regular 32-byte file), `.io`.
    public static func load(from source: Source, createIfMissing: Bool = false) throws -> MasterKey {
        if case .file(let path) = source, createIfMissing, !CryptoFile.exists(path) {
            do {
                return try create(at: path)
            } catch {
                // Another process may have created it between our check and our O_EXCL create:
                // then read theirs; otherwise the failure stands.
                guard CryptoFile.exists(path) else { throw error }
            }
        }
        return try MasterKey(source: source, bytes: readKeyFile(source.path))
    }

    /// Writes a new random key to `path` (which must not exist) and returns it.
    static func create(at path: String) throws -> MasterKey {
        let directory = CryptoFile.parentDirectory(of: path)
        guard CryptoFile.exists(directory) else {
            throw VaultError(.keyMissing, "cannot create master key \(path): directory \(directory) does not exist")
        }
        let bytes = try crypto { () throws(CryptoError) in try SecretBytes(randomCount: size) }
        let file = try CryptoFile(path: path, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o600)
        do {
            // The umask can only clear bits, but make the mode explicit in case of odd ACL defaults.
            guard fchmod(file.descriptor, 0o600) == 0 else { throw CryptoFile.failure("fchmod", path) }
            try bytes.withUnsafeBytes { (raw) throws(VaultError) in try file.write(raw) }
            try file.sync()
            try CryptoFile.syncDirectory(containing: path)
        } catch {
            unlink(path)
            throw error
        }
        return try MasterKey(source: .file(path), bytes: bytes)
    }

    private static func readKeyFile(_ path: String) throws(VaultError) -> SecretBytes {
        guard CryptoFile.exists(path) else {
            throw VaultError(.keyMissing, "master key \(path) does not exist")
        }
        let file = try CryptoFile(path: path, flags: O_RDONLY)
        let info = try file.status()
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw VaultError(.keyInvalid, "master key \(path) is not a regular file")
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw VaultError(.keyPermissions, "master key \(path) is accessible by group or others (mode "
                + String(mode, radix: 8) + "); refusing to use it. Fix with: chmod 600 \(path)")
        }
        // Read one byte more than a key, to tell "too long" from "exactly right".
        let bytes = try SecretBytes(count: size + 1) { (buffer) throws(VaultError) in
            let n = try file.read(into: buffer)
            guard n == size else {
                throw VaultError(.keyInvalid, "master key \(path) must be exactly \(size) bytes"
                    + (n > size ? "; it is longer" : "; it is \(n)"))
            }
        }
        return bytes.subrange(0..<size)
    }
}
