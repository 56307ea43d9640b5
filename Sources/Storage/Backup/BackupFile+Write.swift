import AtendeCrypto
public import Foundation

extension BackupFile {
    /// Writes a backup of the file at `payloadPath` to `destination`.
    ///
    /// Streams the payload twice in chunks (never whole in memory): once to learn its length and
    /// SHA-256 for the header, once to write it; if it changed in between, nothing is written.
    /// The file is built as a temporary file beside `destination`, synced, and renamed over it.
    ///
    /// - Returns: the header written.
    /// - Throws: `BackupFileError` — `.invalid` for a bad chunk size or a changing payload,
    ///   `.io` for file-system failures, `.crypto` if OpenSSL fails.
    @discardableResult
    public static func write(payloadAt payloadPath: String, to destination: String, appVersion: String,
                             contents: [String: Int]? = nil, protection: Protection = .none,
                             chunkSize: Int = defaultChunkSize, createdAt: Date = Date()) throws -> Header {
        let payload: ReaderFile
        do { payload = try ReaderFile(path: payloadPath) } catch { throw BackupFileError(error) }
        return try write(payloadDescriptor: payload.descriptor, payloadPath: payloadPath, to: destination,
                         appVersion: appVersion, contents: contents, protection: protection,
                         chunkSize: chunkSize, createdAt: createdAt)
    }

    /// As `write(payloadAt:…)`, reading the payload from an open, seekable descriptor (read with
    /// `pread` from offset 0; the descriptor's own offset is left alone and it is not closed).
    @discardableResult
    public static func write(payloadDescriptor fd: Int32, payloadPath: String = "payload", to destination: String,
                             appVersion: String, contents: [String: Int]? = nil, protection: Protection = .none,
                             chunkSize: Int = defaultChunkSize, createdAt: Date = Date()) throws -> Header {
        guard chunkSizeRange.contains(chunkSize) else {
            throw BackupFileError(.invalid, "chunk size \(chunkSize) is outside \(chunkSizeRange)")
        }
        do {
            let (length, digest) = try digestPayload(fd, path: payloadPath, chunkSize: chunkSize)
            var encryption = Encryption.none
            var key: SecretBytes?
            if case .passphrase(let passphrase, let parameters) = protection {
                guard parameters.isWithinBounds else {
                    throw BackupFileError(.invalid, "scrypt parameters N=\(parameters.n) r=\(parameters.r) p=\(parameters.p) are out of bounds")
                }
                let kdf = KDF(name: "scrypt", n: parameters.n, r: parameters.r, p: parameters.p,
                              salt: Data(try SecureRandom.bytes(32)))
                let keys = try deriveKeys(passphrase, kdf: kdf)
                key = keys.key
                encryption = Encryption(scheme: encryptedScheme, kdf: kdf, chunkSize: chunkSize,
                                        keyCheck: try keyCheck(keys.check))
            }
            // Whole seconds: what ISO 8601 in the file keeps, so the returned header equals the one read back.
            let created = Date(timeIntervalSince1970: createdAt.timeIntervalSince1970.rounded(.down))
            let header = Header(formatVersion: Int(formatVersion), appVersion: appVersion, createdAt: created,
                                payloadLength: length, payloadSHA256: digest.hexString, contents: contents,
                                encryption: encryption)
            let prefix = try encodePrefix(header)
            try writeAtomically(to: destination) { out throws in
                try out.write(prefix)
                var fileHasher = try SHA256.Hasher()
                try fileHasher.update(prefix)
                let written = try copyPayload(fd, path: payloadPath, to: out, fileHasher: &fileHasher,
                                              chunkSize: chunkSize, key: key,
                                              headerDigest: try SHA256.hash(prefix), length: length)
                try out.write(try fileHasher.finalize())
                guard written.length == length, ConstantTime.equal(written.digest, digest) else {
                    throw BackupFileError(.invalid, "\(payloadPath) changed while the backup was being written")
                }
            }
            return header
        } catch let error as VaultError {
            throw BackupFileError(error)
        } catch let error as CryptoError {
            throw BackupFileError(error)
        }
    }

    /// Magic, version, header length and header JSON.
    static func encodePrefix(_ header: Header) throws -> [UInt8] {
        let json = Array(try encoder.encode(header))
        guard json.count <= maxHeaderSize else {
            throw BackupFileError(.invalid, "the backup header is \(json.count) bytes; at most \(maxHeaderSize)")
        }
        return magic + withUnsafeBytes(of: formatVersion.bigEndian) { Array($0) }
            + withUnsafeBytes(of: UInt32(json.count).bigEndian) { Array($0) } + json
    }

    /// - Throws: `VaultError(.io)` if reading fails, `CryptoError` if hashing does.
    private static func digestPayload(_ fd: Int32, path: String, chunkSize: Int) throws -> (UInt64, [UInt8]) {
        var hasher = try SHA256.Hasher()
        var offset = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try CryptoFile.read(fd, into: buffer, at: offset, path: path)
            try hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            offset += n
            if n < chunkSize { break }
        }
        return (UInt64(offset), try hasher.finalize())
    }

    /// Writes the payload section; returns what it read so the caller can compare with pass one.
    /// Throws `VaultError(.io)` for file failures and `CryptoError` for the primitives.
    private static func copyPayload(_ fd: Int32, path: String, to out: borrowing CryptoFile,
                                    fileHasher: inout SHA256.Hasher, chunkSize: Int,
                                    key: SecretBytes?, headerDigest: [UInt8],
                                    length: UInt64) throws -> (length: UInt64, digest: [UInt8]) {
        var hasher = try SHA256.Hasher()
        let input = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        let sealed = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize + chunkOverhead, alignment: 16)
        defer { input.deallocate(); sealed.deallocate() }
        let chunks = chunkCount(payloadLength: length, chunkSize: chunkSize)
        var offset = 0
        var index: UInt64 = 0
        while true {
            let n = try CryptoFile.read(fd, into: input, at: offset, path: path)
            let plain = UnsafeRawBufferPointer(rebasing: input[0..<n])
            try hasher.update(plain)
            offset += n
            if let key {
                // Stop at the chunk count of pass one; a grown payload is caught by the length check.
                guard index < chunks else { break }
                let nonce = try SecureRandom.bytes(AESGCM.nonceSize)
                let isLast = index == chunks - 1
                let aad = chunkAAD(headerDigest: headerDigest, index: index, isLast: isLast)
                sealed.copyBytes(from: nonce)
                let body = UnsafeMutableRawBufferPointer(rebasing: sealed[AESGCM.nonceSize..<AESGCM.nonceSize + n])
                let tag = UnsafeMutableRawBufferPointer(rebasing: sealed[(AESGCM.nonceSize + n)..<(n + chunkOverhead)])
                let failure: CryptoError? = aad.withUnsafeBytes { aad in
                    do throws(CryptoError) {
                        try AESGCM.seal(plain, into: body, tag: tag, nonce: nonce, key: key, aad: aad)
                        return nil
                    } catch { return error }
                }
                if let failure { throw failure }
                let record = UnsafeRawBufferPointer(rebasing: sealed[0..<(n + chunkOverhead)])
                try fileHasher.update(record)
                try out.write(record)
                index += 1
                if isLast { break }
            } else {
                try fileHasher.update(plain)
                try out.write(plain)
            }
            if n < chunkSize { break }
        }
        return (UInt64(offset), try hasher.finalize())
    }

    /// Creates a temporary file beside `destination` (0600), lets `body` fill it, syncs it and
    /// renames it over `destination`. The temporary file is removed on any failure.
    static func writeAtomically(to destination: String, _ body: (borrowing CryptoFile) throws -> Void) throws {
        let directory = CryptoFile.parentDirectory(of: destination)
        let name = String(destination.split(separator: "/").last ?? "backup")
        let temporary = directory + "/." + name + ".tmp-" + (try SecureRandom.bytes(6)).hexString
        let out = try CryptoFile(path: temporary, flags: O_WRONLY | O_CREAT | O_EXCL, mode: 0o600)
        do {
            try body(out)
            try out.sync()
            try CryptoFile.rename(temporary, to: destination)
        } catch {
            unlink(temporary)
            throw error
        }
    }
}
