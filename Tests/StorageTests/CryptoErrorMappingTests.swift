import AtendeCrypto
@testable import Storage
import Testing

/// Storage reports a primitive's failure in its own error types, with the codes callers and the
/// CLI already rely on, and keeps the CryptoError as `underlying`.
@Suite struct CryptoErrorMappingTests {
    @Test func aVaultErrorKeepsAuthenticationFailuresAndCallsTheRestCrypto() {
        let tag = VaultError(CryptoError(.authenticationFailed, "AES-GCM tag did not verify"))
        #expect(tag.code == .authenticationFailed)
        #expect(tag.message == "AES-GCM tag did not verify")
        #expect((tag.underlying as? CryptoError)?.code == .authenticationFailed)
        #expect(VaultError(CryptoError(.crypto, "RAND_bytes failed: x")).code == .crypto)
        #expect(VaultError(CryptoError(.invalidInput, "scrypt parameters out of bounds")).code == .crypto)
    }

    @Test func aBackupFileErrorCallsAnAuthenticationFailureCorruption() {
        #expect(BackupFileError(CryptoError(.authenticationFailed, "tag")).code == .corrupted)
        #expect(BackupFileError(CryptoError(.crypto, "EVP_PBE_scrypt failed: x")).code == .crypto)
        #expect(BackupFileError(CryptoError(.invalidInput, "out of bounds")).code == .crypto)
    }
}
