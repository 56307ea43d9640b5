@testable import Desk
import Testing

/// Session ids and tokens are stored only as these digests, so the output must never change:
/// a different digest would sign everyone out and void every API token.
@Suite struct SecretsDigestTests {
    @Test func theDigestIsLowerCaseHexSHA256OfTheUTF8Bytes() {
        #expect(Secrets.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Secrets.digest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Secrets.digest("café") == "850f7dc43910ff890f8879c0ed26fe697c93a067ad93a7d50f466a7028a9bf4e")
    }
}
