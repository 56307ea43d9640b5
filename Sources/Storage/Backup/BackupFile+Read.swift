import AtendeCrypto
import Foundation

extension BackupFile {
    /// Opens a backup and reads its header. With an encrypted backup, derives the key from
    /// `passphrase` and checks it against the header's key check (no chunk is read yet).
    ///
    /// - Throws: `BackupFileError` — `.notABackup`, `.unsupportedVersion`, `.truncated`,
    ///   `.corrupted`, `.passphraseRequired`, `.wrongPassphrase`, `.io`.
    public static func open(_ path: String, passphrase: String? = nil) throws -> BackupFile {
        do {
            let file = try ReaderFile(path: path)
            var prefix = [UInt8](repeating: 0, count: prefixSize)
            let got = try prefix.withUnsafeMutableBytes { (buffer) throws(VaultError) in try file.read(into: buffer, at: 0) }
            let magicPart = Array(prefix[0..<min(got, magic.count)])
            guard magicPart == Array(magic[0..<magicPart.count]) else {
                throw BackupFileError(.notABackup, "\(path) is not an Atende backup (no ATENDEBK magic)")
            }
            guard got == prefixSize else { throw BackupFileError(.truncated, "\(path) ends inside its header") }
            let version = UInt16(prefix[8]) << 8 | UInt16(prefix[9])
            guard version == formatVersion else {
                throw BackupFileError(.unsupportedVersion,
                                      "\(path) is backup format version \(version); this atende reads version \(formatVersion)")
            }
            let headerLength = Int(prefix[10]) << 24 | Int(prefix[11]) << 16 | Int(prefix[12]) << 8 | Int(prefix[13])
            guard headerLength <= maxHeaderSize else {
                throw BackupFileError(.corrupted, "\(path) claims a \(headerLength)-byte header (at most \(maxHeaderSize))")
            }
            var json = [UInt8](repeating: 0, count: headerLength)
            let read = try json.withUnsafeMutableBytes { (buffer) throws(VaultError) in
                try file.read(into: buffer, at: prefixSize)
            }
            guard read == headerLength else { throw BackupFileError(.truncated, "\(path) ends inside its header") }
            let header = try decodeHeader(json, path: path)
            let payloadOffset = prefixSize + headerLength
            let expectedSize = UInt64(payloadOffset) + bodySize(header)
            if file.size < expectedSize {
                throw BackupFileError(.truncated, "\(path) is \(file.size) bytes; its header promises \(expectedSize)")
            }
            if file.size > expectedSize {
                throw BackupFileError(.corrupted, "\(path) has \(file.size - expectedSize) bytes after the payload")
            }
            let key = try header.isEncrypted ? unlock(header, passphrase: passphrase, path: path) : nil
            return BackupFile(path: path, header: header, file: file, payloadOffset: payloadOffset,
                              prefixBytes: prefix + json, headerDigest: try SHA256.hash(prefix + json), key: key)
        } catch let error as VaultError {
            throw BackupFileError(error)
        } catch let error as CryptoError {
            throw BackupFileError(error)
        }
    }

    private static func decodeHeader(_ json: [UInt8], path: String) throws -> Header {
        let header: Header
        do {
            header = try decoder().decode(Header.self, from: Data(json))
        } catch {
            throw BackupFileError(.corrupted, "the header of \(path) does not decode")
        }
        guard header.formatVersion == Int(formatVersion) else {
            throw BackupFileError(.corrupted, "the header of \(path) disagrees with its format version")
        }
        guard let digest = [UInt8](hexString: header.payloadSHA256), digest.count == 32 else {
            throw BackupFileError(.corrupted, "the header of \(path) has no valid payload SHA-256")
        }
        switch header.encryption.scheme {
        case "none":
            break
        case encryptedScheme:
            guard let kdf = header.encryption.kdf, kdf.name == "scrypt", kdf.parameters.isWithinBounds,
                  kdf.salt.count >= 16, let chunkSize = header.encryption.chunkSize,
                  chunkSizeRange.contains(chunkSize), header.encryption.keyCheck != nil else {
                throw BackupFileError(.corrupted, "the encryption parameters in \(path) are missing or out of range")
            }
        default:
            throw BackupFileError(.unsupportedVersion,
                                  "\(path) uses encryption scheme '\(header.encryption.scheme)', which this atende cannot read")
        }
        return header
    }

    private static func unlock(_ header: Header, passphrase: String?, path: String) throws -> SecretBytes {
        guard let passphrase else {
            throw BackupFileError(.passphraseRequired, "\(path) is encrypted; give its passphrase")
        }
        guard let kdf = header.encryption.kdf, let stored = header.encryption.keyCheck.flatMap([UInt8].init(hexString:))
        else { throw BackupFileError(.corrupted, "the key check in \(path) is missing") }
        let keys = try deriveKeys(passphrase, kdf: kdf)
        let check = [UInt8](hexString: try keyCheck(keys.check)) ?? []
        guard ConstantTime.equal(check, stored) else {
            throw BackupFileError(.wrongPassphrase, "the passphrase does not open \(path)")
        }
        return keys.key
    }

    /// Checks everything — every chunk's tag, its place and the last-chunk flag, the exact
    /// length and the SHA-256 of the plaintext — without writing anything.
    public func verify() throws {
        try stream(sink: nil)
    }

    /// Verifies the backup while writing its payload to `destination` (via a temporary file
    /// beside it, synced and renamed over `destination` only once everything checked out).
    public func extractPayload(to destination: String) throws {
        do {
            try BackupFile.writeAtomically(to: destination) { out throws in
                let (fd, path) = (out.descriptor, out.path)
                try stream(sink: { (bytes) throws(VaultError) in try CryptoFile.write(fd, bytes, path: path) })
            }
        } catch let error as VaultError {
            throw BackupFileError(error)
        } catch let error as CryptoError {
            throw BackupFileError(error)
        }
    }

    private func stream(sink: ((UnsafeRawBufferPointer) throws(VaultError) -> Void)?) throws {
        do {
            var hasher = try SHA256.Hasher()
            var fileHasher = try SHA256.Hasher()
            try fileHasher.update(prefixBytes)
            let chunkSize = header.encryption.chunkSize ?? BackupFile.defaultChunkSize
            let input = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize + BackupFile.chunkOverhead, alignment: 16)
            let plain = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
            defer { input.deallocate(); plain.deallocate() }
            var offset = payloadOffset
            var remaining = header.payloadLength
            let chunks = BackupFile.chunkCount(payloadLength: remaining, chunkSize: chunkSize)
            var index: UInt64 = 0
            while key != nil ? index < chunks : remaining > 0 {
                let n = Int(min(remaining, UInt64(chunkSize)))
                let stored = key == nil ? n : n + BackupFile.chunkOverhead
                let got = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: input[0..<stored]), at: offset)
                guard got == stored else {
                    throw BackupFileError(.truncated, "\(path) ends inside chunk \(index + 1) of \(chunks)")
                }
                try fileHasher.update(UnsafeRawBufferPointer(rebasing: input[0..<stored]))
                let clear: UnsafeRawBufferPointer
                if let key {
                    let nonce = Array(UnsafeRawBufferPointer(rebasing: input[0..<AESGCM.nonceSize]))
                    let body = UnsafeRawBufferPointer(rebasing: input[AESGCM.nonceSize..<(AESGCM.nonceSize + n)])
                    let tag = UnsafeRawBufferPointer(rebasing: input[(AESGCM.nonceSize + n)..<stored])
                    let aad = BackupFile.chunkAAD(headerDigest: headerDigest, index: index, isLast: index == chunks - 1)
                    let failure: CryptoError? = aad.withUnsafeBytes { aad in
                        do throws(CryptoError) {
                            try AESGCM.open(body, into: plain, tag: tag, nonce: nonce, key: key, aad: aad)
                            return nil
                        } catch { return error }
                    }
                    if let failure {
                        guard failure.code == .authenticationFailed else { throw failure }
                        throw BackupFileError(.corrupted, "chunk \(index + 1) of \(chunks) in \(path) failed authentication "
                            + "(changed, moved, or from another backup)")
                    }
                    clear = UnsafeRawBufferPointer(rebasing: plain[0..<n])
                } else {
                    clear = UnsafeRawBufferPointer(rebasing: input[0..<n])
                }
                try hasher.update(clear)
                try sink?(clear)
                offset += stored
                remaining -= UInt64(n)
                index += 1
            }
            // The trailer, and nothing after it.
            var trailer = [UInt8](repeating: 0, count: BackupFile.trailerSize + 1)
            let got = try trailer.withUnsafeMutableBytes { (b) throws(VaultError) in try file.read(into: b, at: offset) }
            guard got >= BackupFile.trailerSize else { throw BackupFileError(.truncated, "\(path) ends before its trailer") }
            guard got == BackupFile.trailerSize else { throw BackupFileError(.corrupted, "\(path) has bytes after its trailer") }
            guard ConstantTime.equal(try fileHasher.finalize(), Array(trailer[0..<BackupFile.trailerSize])) else {
                throw BackupFileError(.corrupted, "\(path) does not match its trailing SHA-256 (changed after it was written)")
            }
            let digest = try hasher.finalize()
            guard let expected = [UInt8](hexString: header.payloadSHA256), ConstantTime.equal(digest, expected) else {
                throw BackupFileError(.corrupted, "the payload of \(path) does not match its SHA-256")
            }
        } catch let error as VaultError {
            throw BackupFileError(error)
        } catch let error as CryptoError {
            throw BackupFileError(error)
        }
    }
}
