import Desk
import Foundation
import Storage
import Testing

/// Why a number is paused, stored as its parts and said in plain words; channel records written
/// before (one "reason: words" string) still decode.
@Suite struct PauseReasonTests {
    static func channel(pausedReason: String) -> String {
        #"{"id":"01JDQ7Z5M3K8W4X2V9R6T1Y0AB","kind":"whatsapp","name":"Front desk","phoneNumberID":"106540352242922","wabaID":"102290129340398","status":"paused","pausedReason":\#(pausedReason),"createdAt":0,"updatedAt":0}"#
    }

    @Test func aChannelStoredWithTheOldOneLineReasonStillDecodesIntoItsParts() throws {
        let old = Self.channel(pausedReason: #""channel_not_authorised: (#190) Error validating access token: Session has expired on Friday""#)
        let channel = try JSONDecoder().decode(BusinessNumber.self, from: Data(old.utf8))
        #expect(channel.pausedReason == PauseReason(reason: "channel_not_authorised", providerCode: 190,
                                                    providerMessage: "(#190) Error validating access token: Session has expired on Friday"))
        #expect(channel.pausedReason?.summary == "Meta refused the access token (190): it is invalid, expired or was revoked.")
        #expect(channel.pausedReason?.line == "channel_not_authorised: (#190) Error validating access token: Session has expired on Friday")
    }

    @Test func anOldReasonWithoutAGraphCodeKeepsItsWords() throws {
        let old = Self.channel(pausedReason: #""channel_not_authorised: HTTP 401 without a Graph error body""#)
        let reason = try #require(try JSONDecoder().decode(BusinessNumber.self, from: Data(old.utf8)).pausedReason)
        #expect(reason.reason == "channel_not_authorised" && reason.providerCode == nil)
        #expect(reason.summary == "Meta refused this number's credentials.")
    }

    @Test func aNewReasonRoundTripsAndAnActiveChannelHasNone() throws {
        let reason = PauseReason(reason: "channel_not_authorised", providerCode: 10, providerMessage: "(#10) Permission denied")
        let json = try JSONEncoder().encode(reason)
        #expect(try JSONDecoder().decode(PauseReason.self, from: json) == reason)
        let active = Self.channel(pausedReason: "null").replacingOccurrences(of: #""status":"paused""#, with: #""status":"active""#)
        #expect(try JSONDecoder().decode(BusinessNumber.self, from: Data(active.utf8)).pausedReason == nil)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let reason: PauseReason
        let summary: String
        let action: String
    }
    static let token = "Paste a new access token in Settings → Channels; sending resumes when it is saved."
    static let permissions = "Give the token the whatsapp_business_messaging and whatsapp_business_management permissions in Meta's Business settings, then paste it in Settings → Channels."

    @Test(arguments: [
        Case(testDescription: "190: the token is invalid or expired",
             reason: PauseReason(reason: "channel_not_authorised", providerCode: 190, providerMessage: "x"),
             summary: "Meta refused the access token (190): it is invalid, expired or was revoked.", action: token),
        Case(testDescription: "10: a permission is missing",
             reason: PauseReason(reason: "channel_not_authorised", providerCode: 10, providerMessage: "x"),
             summary: "Meta says the access token lacks a permission this number needs (10).", action: permissions),
        Case(testDescription: "200: a permission is missing",
             reason: PauseReason(reason: "channel_not_authorised", providerCode: 200, providerMessage: "x"),
             summary: "Meta says the access token lacks a permission this number needs (200).", action: permissions),
        Case(testDescription: "HTTP 401 without a Graph body",
             reason: PauseReason(reason: "channel_not_authorised", providerCode: 401, providerMessage: "x"),
             summary: "The WhatsApp API refused the access token (401).", action: token),
        Case(testDescription: "3: the app's capability",
             reason: PauseReason(reason: "channel_not_authorised", providerCode: 3, providerMessage: "x"),
             summary: "Meta refused this number's credentials (3).", action: token),
    ])
    func plainWords(_ c: Case) {
        #expect(c.reason.summary == c.summary)
        #expect(c.reason.action == c.action)
    }
}
