import AtendeTesting
import Channels
import Foundation
import Testing

/// The Twilio REST client against `FakeTwilio` on loopback (wire-protocols.md §5.6, §5.8).
@Suite struct TwilioClientTests {
    static let accountSID = "AC0123456789abcdef0123456789abcdef"
    static let authToken = "twilio-secret-token-0000"

    static func send(_ client: TwilioClient, to: String = "+5511999990000", statusCallback: String? = nil) async -> Result<TwilioClient.Sent, SendFailure> {
        await client.sendSMS(from: "+15017122661", to: to, body: "Olá & bem-vindo", statusCallback: statusCallback,
                             accountSID: accountSID, authToken: authToken)
    }

    @Test func aSendIsTheDocumentedRequestAndReturnsTheMessageSid() async throws {
        let twilio = FakeTwilio(authToken: Self.authToken)
        try await twilio.run { base in
            let client = TwilioClient(http: CurlClient(), apiURL: base + "/")
            let sent = try await Self.send(client, statusCallback: "https://app.example.com/twilio/status?x=1").get()
            #expect(sent == TwilioClient.Sent(sid: try #require(twilio.sentSIDs.first), status: "queued", segments: 1))
            #expect(sent.sid.count == 34 && sent.sid.hasPrefix("SM"))
            let seen = try #require(twilio.requests.first)
            #expect(seen.method == "POST" && seen.path == "/2010-04-01/Accounts/\(Self.accountSID)/Messages.json")
            // base64("AC0123456789abcdef0123456789abcdef:twilio-secret-token-0000")
            #expect(seen.headers["authorization"] == "Basic QUMwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZjp0d2lsaW8tc2VjcmV0LXRva2VuLTAwMDA=")
            #expect(seen.headers["content-type"] == "application/x-www-form-urlencoded")
            #expect(seen.headers["accept"] == "application/json")
            #expect(seen.text == "To=%2B5511999990000&From=%2B15017122661&Body=Ol%C3%A1%20%26%20bem-vindo"
                + "&StatusCallback=https%3A%2F%2Fapp.example.com%2Ftwilio%2Fstatus%3Fx%3D1")
            #expect(twilio.sentMessages == [["To": "+5511999990000", "From": "+15017122661", "Body": "Olá & bem-vindo",
                                             "StatusCallback": "https://app.example.com/twilio/status?x=1"]])
        }
    }

    @Test func withoutAStatusCallbackTheFieldIsLeftOutAndMediaRepeats() async throws {
        let twilio = FakeTwilio()
        try await twilio.run { base in
            let client = TwilioClient(http: CurlClient(), apiURL: base)
            _ = try await Self.send(client).get()
            _ = try await client.sendSMS(from: "+1", to: "+2", body: "", mediaURLs: ["https://x.test/a.jpg", "https://x.test/b.png"],
                                         statusCallback: nil, accountSID: Self.accountSID, authToken: Self.authToken).get()
            #expect(twilio.requests.map(\.text) == [
                "To=%2B5511999990000&From=%2B15017122661&Body=Ol%C3%A1%20%26%20bem-vindo",
                "To=%2B2&From=%2B1&MediaUrl=https%3A%2F%2Fx.test%2Fa.jpg&MediaUrl=https%3A%2F%2Fx.test%2Fb.png",
            ])
            #expect(Set(twilio.sentSIDs).count == 2)
        }
    }

    @Test(arguments: [
        (21610, 400, SendFailure.Reason.optedOut, SendFailure.Action.fail),
        (21211, 400, .invalidNumber, .fail),
        (20429, 429, .rateLimited, .retry),
        (20003, 401, .notAuthorised, .pauseChannel),
        (21617, 400, .rejected, .fail),
        (20500, 500, .providerUnavailable, .retry),
    ])
    func aRefusalComesBackAsItsPlaceInTheTable(code: Int, status: Int, reason: SendFailure.Reason, action: SendFailure.Action) async throws {
        let twilio = FakeTwilio()
        twilio.failSends(code: code, status: status, message: "said by Twilio")
        try await twilio.run { base in
            let client = TwilioClient(http: CurlClient(), apiURL: base)
            guard case .failure(let failure) = await Self.send(client) else { Issue.record("sent"); return }
            #expect(failure.reason == reason && failure.action == action, "\(failure)")
            #expect(failure.providerCode == code && failure.message == "said by Twilio")
            #expect(!failure.description.contains(Self.authToken))
            // Only the next send fails.
            let next = try await Self.send(client).get()
            #expect(next.sid.hasPrefix("SM"))
        }
    }

    @Test func aRateLimitWaitsAsRetryAfterSaysAndBareServerErrorsAreRetried() async throws {
        let twilio = FakeTwilio()
        twilio.failSends(code: 20429, status: 429, count: nil, retryAfter: "9")
        let bare = FakeProvider()
        bare.answer(FakeProvider.Answer(status: 500, body: "Internal Server Error"), FakeProvider.Answer(status: 503, body: ""))
        try await twilio.run { base in
            guard case .failure(let failure) = await Self.send(TwilioClient(http: CurlClient(), apiURL: base)) else { Issue.record("sent"); return }
            #expect(failure.reason == .rateLimited && failure.action == .retry && failure.retryAfter == 9)
        }
        try await bare.run { base in
            let client = TwilioClient(http: CurlClient(), apiURL: base)
            for status in [500, 503] {
                guard case .failure(let failure) = await Self.send(client) else { Issue.record("sent"); return }
                #expect(failure.reason == .providerUnavailable && failure.action == .retry && failure.providerCode == status)
            }
        }
    }

    @Test func aWrongTokenPausesTheChannelAndIsNeverQuoted() async throws {
        let twilio = FakeTwilio(authToken: "the-right-one")
        try await twilio.run { base in
            let client = TwilioClient(http: CurlClient(), apiURL: base)
            let results = [await Self.send(client), await client.account(sid: Self.accountSID, authToken: Self.authToken).map { _ in
                TwilioClient.Sent(sid: "", status: "", segments: nil)
            }]
            for result in results {
                guard case .failure(let failure) = result else { Issue.record("accepted"); continue }
                #expect(failure.reason == .notAuthorised && failure.action == .pauseChannel && failure.providerCode == 20003)
                #expect(!failure.description.contains(Self.authToken) && !failure.description.contains("Basic"))
            }
        }
    }

    @Test func a2xxWithoutASidFailsRatherThanRisksADuplicate() async throws {
        let fake = FakeProvider()
        fake.answer(.json(#"{"status":"queued"}"#, status: 201))
        try await fake.run { base in
            guard case .failure(let failure) = await Self.send(TwilioClient(http: CurlClient(), apiURL: base)) else { Issue.record("sent"); return }
            #expect(failure.reason == .rejected && failure.action == .fail && failure.message.contains("answered without a message sid"))
        }
    }

    @Test func noAnswerIsRetriedWithoutQuotingTheToken() async throws {
        let fake = FakeProvider()
        fake.answer(FakeProvider.Answer(delay: .seconds(2)))
        var configuration = CurlClient.Configuration()
        configuration.timeout = .milliseconds(300)
        let http = CurlClient(configuration: configuration)
        try await fake.run { base in
            guard case .failure(let failure) = await Self.send(TwilioClient(http: http, apiURL: base)) else {
                Issue.record("sent"); return
            }
            #expect(failure.reason == .providerUnavailable && failure.action == .retry)
            #expect(!failure.description.contains(Self.authToken))
        }
        // Nothing listens on port 9 of loopback: no connection is retried too.
        let client = TwilioClient(http: CurlClient(), apiURL: "http://127.0.0.1:9")
        guard case .failure(let failure) = await Self.send(client) else { Issue.record("sent"); return }
        #expect(failure.action == .retry && !failure.description.contains(Self.authToken))
    }

    @Test(arguments: ["", "AC123", "ac0123456789abcdef0123456789abcdef", "AC0123456789abcdef0123456789abcdeg",
                      "AC0123456789abcdef0123456789abcdef/../x", "SM0123456789abcdef0123456789abcdef"])
    func aMalformedAccountSidNeverLeavesTheMachine(sid: String) async throws {
        let twilio = FakeTwilio()
        try await twilio.run { base in
            let client = TwilioClient(http: CurlClient(), apiURL: base)
            let results = [
                await client.sendSMS(from: "+1", to: "+2", body: "x", statusCallback: nil, accountSID: sid, authToken: Self.authToken).map { _ in 0 },
                await client.account(sid: sid, authToken: Self.authToken).map { _ in 0 },
                await client.media(url: base + "/m", accountSID: sid, authToken: Self.authToken, maxBytes: 10).map { _ in 0 },
            ]
            for result in results {
                guard case .failure(let failure) = result else { Issue.record("accepted \(sid)"); continue }
                #expect(failure.reason == .rejected && failure.action == .fail && failure.message.contains("Account SID"))
                #expect(!failure.description.contains(Self.authToken))
            }
            #expect(twilio.requests.isEmpty)
        }
    }

    @Test func accountReadsTheTestConnectionAnswer() async throws {
        let twilio = FakeTwilio(authToken: Self.authToken)
        try await twilio.run { base in
            let account = try await TwilioClient(http: CurlClient(), apiURL: base).account(sid: Self.accountSID, authToken: Self.authToken).get()
            #expect(account == TwilioClient.Account(sid: Self.accountSID, friendlyName: "Atende test account", status: "active", type: "Full"))
            let seen = try #require(twilio.requests.first)
            #expect(seen.method == "GET" && seen.path == "/2010-04-01/Accounts/\(Self.accountSID).json")
            #expect(seen.headers["accept"] == "application/json")
        }
    }
}

/// Inbound MMS files: one redirect followed by hand, credentials kept to Twilio's host.
@Suite struct TwilioMediaTests {
    static let mediaPath = "/2010-04-01/Accounts/\(TwilioClientTests.accountSID)/Messages/MM1/Media/ME1"
    static let bytes: [UInt8] = Array(0...255) + Array("JFIF".utf8)

    @Test func aRedirectToAnotherHostIsFollowedOnceWithoutTheCredentials() async throws {
        let twilio = FakeTwilio(), storage = FakeTwilio()
        storage.serveMedia(at: "/s3/ME1", bytes: Self.bytes, contentType: "image/jpeg")
        try await storage.run { storageBase in
            twilio.redirect(from: Self.mediaPath, to: storageBase + "/s3/ME1?X-Amz-Signature=abc", status: 302)
            try await twilio.run { base in
                let client = TwilioClient(http: CurlClient(), apiURL: base)
                let file = try await client.media(url: base + Self.mediaPath, accountSID: TwilioClientTests.accountSID,
                                                  authToken: TwilioClientTests.authToken, maxBytes: 1 << 20).get()
                #expect(file.bytes == Self.bytes && file.contentType == "image/jpeg")
                #expect(twilio.requests.first?.headers["authorization"]?.hasPrefix("Basic ") == true)
                let fetched = try #require(storage.requests.first)
                #expect(fetched.path == "/s3/ME1" && fetched.query == "X-Amz-Signature=abc")
                #expect(fetched.headers["authorization"] == nil)
            }
        }
    }

    @Test func aRedirectOnTheSameHostKeepsTheCredentialsAndASecondIsRefused() async throws {
        let twilio = FakeTwilio()
        twilio.redirect(from: Self.mediaPath, to: "/media/ME1")
        twilio.serveMedia(at: "/media/ME1", bytes: Self.bytes, contentType: "image/png")
        twilio.redirect(from: "/loop/1", to: "/loop/2")
        twilio.redirect(from: "/loop/2", to: "/loop/3")
        try await twilio.run { base in
            let client = TwilioClient(http: CurlClient(), apiURL: base)
            let file = try await client.media(url: base + Self.mediaPath, accountSID: TwilioClientTests.accountSID,
                                              authToken: TwilioClientTests.authToken, maxBytes: 1 << 20).get()
            #expect(file.bytes == Self.bytes && file.contentType == "image/png")
            #expect(twilio.requests.map(\.path) == [Self.mediaPath, "/media/ME1"])
            #expect(twilio.requests.allSatisfy { $0.headers["authorization"]?.hasPrefix("Basic ") == true })

            guard case .failure(let failure) = await client.media(url: base + "/loop/1", accountSID: TwilioClientTests.accountSID,
                                                                  authToken: TwilioClientTests.authToken, maxBytes: 1 << 20) else {
                Issue.record("followed two redirects"); return
            }
            #expect(failure.action == .fail && failure.message.contains("more than once"))
            #expect(twilio.requests.map(\.path).suffix(2) == ["/loop/1", "/loop/2"])
        }
    }

    @Test(arguments: ["ftp://127.0.0.1/ME1", "file:///etc/passwd", ""])
    func aRedirectToANonHTTPLocationIsRefused(location: String) async throws {
        let twilio = FakeTwilio()
        twilio.redirect(from: Self.mediaPath, to: location, status: 302)
        try await twilio.run { base in
            let client = TwilioClient(http: CurlClient(), apiURL: base)
            guard case .failure(let failure) = await client.media(url: base + Self.mediaPath, accountSID: TwilioClientTests.accountSID,
                                                                  authToken: TwilioClientTests.authToken, maxBytes: 100) else {
                Issue.record("followed \(location)"); return
            }
            #expect(failure.action == .fail && failure.providerCode == 302 && twilio.requests.count == 1)
        }
    }

    @Test func aFileOverTheLimitOrMissingFails() async throws {
        let twilio = FakeTwilio()
        twilio.serveMedia(at: Self.mediaPath, bytes: Self.bytes, contentType: "image/jpeg")
        try await twilio.run { base in
            let client = TwilioClient(http: CurlClient(), apiURL: base)
            guard case .failure(let large) = await client.media(url: base + Self.mediaPath, accountSID: TwilioClientTests.accountSID,
                                                                authToken: TwilioClientTests.authToken, maxBytes: 100) else {
                Issue.record("accepted"); return
            }
            #expect(large.reason == .rejected && large.action == .fail)
            guard case .failure(let missing) = await client.media(url: base + "/nothing", accountSID: TwilioClientTests.accountSID,
                                                                  authToken: TwilioClientTests.authToken, maxBytes: 100) else {
                Issue.record("accepted"); return
            }
            #expect(missing.providerCode == 20404 && missing.action == .fail)
        }
    }

    @Test func credentialsAreNotSentToAMediaURLOffTwiliosHost() async throws {
        let twilio = FakeTwilio(), elsewhere = FakeTwilio()
        elsewhere.serveMedia(at: "/f", bytes: [1, 2, 3], contentType: "image/gif")
        try await elsewhere.run { other in
            try await twilio.run { base in
                let client = TwilioClient(http: CurlClient(), apiURL: base)
                let file = try await client.media(url: other + "/f", accountSID: TwilioClientTests.accountSID,
                                                  authToken: TwilioClientTests.authToken, maxBytes: 100).get()
                #expect(file.bytes == [1, 2, 3])
                #expect(elsewhere.requests.first?.headers["authorization"] == nil)
            }
        }
    }
}
