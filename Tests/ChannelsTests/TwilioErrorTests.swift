import Channels
import Foundation
import Testing

/// Twilio's error codes in the one table (wire-protocols.md §5.8): what is retried, what fails,
/// what pauses the channel.
@Suite struct TwilioErrorTests {
    static func body(_ code: Int, _ message: String = "m") -> [UInt8] {
        Array(#"{"code":\#(code),"message":"\#(message)","more_info":"https://www.twilio.com/docs/errors/\#(code)","status":400}"#.utf8)
    }

    @Test(arguments: [
        (21610, SendFailure.Reason.optedOut, SendFailure.Action.fail),
        (21211, .invalidNumber, .fail), (21614, .invalidNumber, .fail),
        (20429, .rateLimited, .retry), (30001, .rateLimited, .retry),
        (20003, .notAuthorised, .pauseChannel), (30002, .notAuthorised, .pauseChannel), (21606, .notAuthorised, .pauseChannel),
        (21612, .recipientUnreachable, .fail), (30006, .recipientUnreachable, .fail),
        (21617, .rejected, .fail), (30007, .rejected, .fail),
    ])
    func aCodeGoesToItsPlaceInTheTable(code: Int, reason: SendFailure.Reason, action: SendFailure.Action) {
        let failure = TwilioError.classify(status: code == 20429 ? 429 : 400, body: Self.body(code, "said by Twilio"), retryAfter: nil)
        #expect(failure.reason == reason && failure.action == action, "\(code): \(failure)")
        #expect(failure.providerCode == code && failure.message == "said by Twilio")
        #expect(TwilioError.failure(forCode: code).reason == reason)
    }

    @Test func theNewerProblemShapeIsReadToo() {
        let body = Array(#"{"type":"https://www.twilio.com/docs/errors/21211","title":"Invalid 'To' Phone Number","status":400,"code":21211}"#.utf8)
        let failure = TwilioError.classify(status: 400, body: body, retryAfter: nil)
        #expect(failure.reason == .invalidNumber && failure.message == "Invalid 'To' Phone Number")
    }

    @Test func withoutATwilioBodyTheHTTPStatusDecidesAndRetryAfterIsHonoured() {
        let limited = TwilioError.classify(status: 429, body: Array("Too Many".utf8), retryAfter: "7")
        #expect(limited.reason == .rateLimited && limited.action == .retry && limited.retryAfter == 7)
        #expect(TwilioError.classify(status: 503, body: [], retryAfter: nil).action == .retry)
        #expect(TwilioError.classify(status: 401, body: [], retryAfter: nil).action == .pauseChannel)
        #expect(TwilioError.classify(status: 404, body: [], retryAfter: nil).action == .fail)
        let queued = TwilioError.classify(status: 429, body: Self.body(20429), retryAfter: "3")
        #expect(queued.retryAfter == 3)
    }
}
