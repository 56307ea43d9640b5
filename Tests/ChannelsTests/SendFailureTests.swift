import Channels
import Foundation
import Testing

@Suite struct SendFailureTests {
    func graph(_ code: Int, details: String = "x") -> [UInt8] {
        Array(#"{"error":{"message":"(#\#(code)) Title","type":"OAuthException","code":\#(code),"error_data":{"messaging_product":"whatsapp","details":"\#(details)"},"fbtrace_id":"Az8or2yhqkZfEZ-_4Qn_Bam"}}"#.utf8)
    }

    @Test(arguments: [
        (130429, "rate_limited", "retry"), (131056, "rate_limited", "retry"), (4, "rate_limited", "retry"),
        (80007, "rate_limited", "retry"), (131000, "provider_unavailable", "retry"), (131016, "provider_unavailable", "retry"),
        (131057, "provider_unavailable", "retry"), (2, "provider_unavailable", "retry"),
        (131047, "customer_window_closed", "fail"),
        (190, "channel_not_authorised", "pause_channel"), (0, "channel_not_authorised", "pause_channel"),
        (10, "channel_not_authorised", "pause_channel"), (200, "channel_not_authorised", "pause_channel"),
        (131026, "recipient_unreachable", "fail"), (130403, "recipient_unreachable", "fail"), (131050, "recipient_unreachable", "fail"),
        (100, "rejected_by_provider", "fail"), (132001, "rejected_by_provider", "fail"), (131053, "rejected_by_provider", "fail"),
    ])
    func graphCodesMapIntoTheOneTable(_ code: Int, _ reason: String, _ action: String) {
        // The HTTP status is deliberately unhelpful: Meta says to branch on the code.
        let failure = GraphError.classify(status: 400, body: graph(code), retryAfter: nil)
        #expect(failure.reason.rawValue == reason)
        #expect(failure.action.rawValue == action)
        #expect(failure.providerCode == code)
    }

    @Test func theGraphMessageDetailsAndTraceAreKept() throws {
        let error = try #require(GraphError(body: graph(130429, details: "Cloud API message throughput has been reached.")))
        #expect(error.message == "(#130429) Title")
        #expect(error.details == "Cloud API message throughput has been reached.")
        #expect(error.traceID == "Az8or2yhqkZfEZ-_4Qn_Bam")
        #expect(error.failure.message.contains("throughput has been reached"))
    }

    @Test func errorDataAsAStringIsReadToo() throws {
        let error = try #require(GraphError(body: Array(#"{"error":{"message":"Bad","code":100,"error_data":"plain text"}}"#.utf8)))
        #expect(error.details == "plain text")
    }

    @Test(arguments: [(502, "provider_unavailable", "retry"), (503, "provider_unavailable", "retry"), (429, "rate_limited", "retry"),
                      (401, "channel_not_authorised", "pause_channel"), (404, "rejected_by_provider", "fail")])
    func withoutAGraphBodyTheHTTPStatusDecides(_ status: Int, _ reason: String, _ action: String) {
        let failure = GraphError.classify(status: status, body: Array("<html>Bad Gateway</html>".utf8), retryAfter: nil)
        #expect(failure.reason.rawValue == reason && failure.action.rawValue == action)
    }

    @Test func retryAfterIsKeptOnlyForRetries() {
        let now = Date(timeIntervalSince1970: 1_767_261_600)
        #expect(GraphError.classify(status: 429, body: graph(130429), retryAfter: "30", now: now).retryAfter == 30)
        #expect(GraphError.classify(status: 400, body: graph(131047), retryAfter: "30", now: now).retryAfter == nil)
    }

    @Test func retryAfterReadsSecondsAndHTTPDates() {
        let now = Date(timeIntervalSince1970: 1_767_261_600)           // Thu, 01 Jan 2026 10:00:00 GMT
        #expect(RetryAfter.seconds("120", now: now) == 120)
        #expect(RetryAfter.seconds(" 0 ", now: now) == 0)
        #expect(RetryAfter.seconds("Thu, 01 Jan 2026 10:01:30 GMT", now: now) == 90)
        #expect(RetryAfter.seconds("Thu, 01 Jan 2026 09:00:00 GMT", now: now) == 0)      // past: now
        for nonsense in [nil, "", "-5", "soon", "1.5", "١٢"] { #expect(RetryAfter.seconds(nonsense, now: now) == nil) }
    }
}
