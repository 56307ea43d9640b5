import AtendeTesting
import Channels
import Foundation
import Testing

/// Embedded Signup's Graph calls at the wire: what a refusal or a lost connection says, and that
/// neither the code, the app secret nor the token is in it.
@Suite struct SignupClientTests {
    static let secret = "s3cr3t+app/secret", code = "AQD-code+x/y", token = "EAAG-business-token"

    @Test func noAnswerIsUnavailableAndItsWordsHoldNoSecret() async throws {
        let client = WhatsAppClient(http: CurlClient(), graphURL: "http://127.0.0.1:9")
        for failure in [await client.exchangeCode(Self.code, appID: "1", appSecret: Self.secret).failure,
                        await client.debugToken(Self.token, appID: "1", appSecret: Self.secret).failure] {
            let failure = try #require(failure)
            #expect(failure.reason == .unavailable)
            for secret in [Self.secret, Self.code, Self.token, "s3cr3t", "AQD-code"] { #expect(!failure.message.contains(secret), "\(failure)") }
        }
    }

    @Test(arguments: [
        (100, "This authorization code has been used.", true, SignupFailure.Reason.codeRejected),
        (100, "Invalid parameter", false, .rejected),
        (101, "Error validating application. Invalid application ID.", true, .appRejected),
        (1, "Error validating client secret.", true, .appRejected),
        (1, "An unknown error occurred", false, .unavailable),
        (200, "Permissions error", false, .missingPermission),
        (190, "Invalid OAuth access token.", false, .missingPermission),
        (133005, "Two step verification PIN Mismatch", false, .wrongPIN),
        (133006, "Phone number needs to be verified", false, .verifyFirst),
        (133016, "Account register deregister rate limit exceeded", false, .tooManyAttempts),
        (133015, "Please wait a few minutes before attempting to register", false, .recentlyDeleted),
        (80007, "Rate limit", false, .unavailable),
    ])
    func graphCodesBecomeReasons(code: Int, message: String, exchange: Bool, reason: SignupFailure.Reason) async throws {
        let graph = FakeProvider()
        graph.answer(.json(#"{"error":{"message":"\#(message)","type":"OAuthException","code":\#(code)}}"#, status: 400))
        try await graph.run { url in
            let client = WhatsAppClient(http: CurlClient(), graphURL: url)
            let failure = exchange
                ? await client.exchangeCode(Self.code, appID: "1", appSecret: Self.secret).failure
                : await client.register(phoneNumberID: "106540352242922", pin: "123456", token: Self.token).failure
            #expect(failure?.reason == reason && failure?.providerCode == code && failure?.message == message)
        }
    }

    @Test func numbersFollowTheNextPageOnlyOnTheGraphHost() async throws {
        let graph = FakeProvider()
        try await graph.run { url in
            graph.answer(routing: { request in
                request.query.contains("after=p2")
                    ? .json(#"{"data":[{"id":"222","platform_type":"CLOUD_API"}],"paging":{"next":"https://elsewhere.example/steal"}}"#)
                    : .json(#"{"data":[{"id":"111","display_phone_number":"+1 555","verified_name":"A"},{"id":"not digits"}],"paging":{"next":"\#(url)/v22.0/9/phone_numbers?after=p2"}}"#)
            })
            let numbers = try await WhatsAppClient(http: CurlClient(), graphURL: url).phoneNumbers(waba: "9", token: Self.token).get()
            #expect(numbers == [GraphPhoneNumber(id: "111", displayPhoneNumber: "+1 555", verifiedName: "A"),
                                GraphPhoneNumber(id: "222", platformType: "CLOUD_API")])
            #expect(numbers.map(\.isOnCloudAPI) == [false, true])
            #expect(graph.requests.count == 2)
        }
    }
}

extension Result {
    var failure: Failure? { if case .failure(let failure) = self { failure } else { nil } }
}
