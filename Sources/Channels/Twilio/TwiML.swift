/// The TwiML documents Atende answers Twilio's webhooks with (wire-protocols.md §5.1, §5.3), as
/// exact strings: an XML declaration, then one `<Response>` on one line, attributes in camelCase
/// as twilio-python writes them. Every text and attribute value is XML-escaped, so words a
/// business typed (a greeting, a number) cannot add verbs of their own.
///
/// Served as `Content-Type: text/xml`.
public enum TwiML {
    public static let declaration = #"<?xml version="1.0" encoding="UTF-8"?>"#

    /// No reply (an inbound message that needs none; a status callback).
    public static let empty = declaration + "<Response/>"

    /// Ends the call.
    public static let hangup = declaration + "<Response><Hangup/></Response>"

    /// Forwards the call to `number`, ringing for `timeout` seconds; Twilio then POSTs how the
    /// dialed leg ended (`TwilioDialResult`) to `action`, whose answer runs the rest of the call.
    /// `callerID` is the number the forwarded leg shows (`callerId`), when given.
    public static func dial(_ number: String, timeout: Int, action: String, callerID: String? = nil) -> String {
        let caller = callerID.map { #" callerId="\#(escape($0))""# } ?? ""
        return declaration + #"<Response><Dial timeout="\#(timeout)" action="\#(escape(action))" method="POST"\#(caller)>"#
            + escape(number) + "</Dial></Response>"
    }

    /// Says `say` in `language` (a BCP 47 tag such as `pt-BR`), records up to `maxLength` seconds
    /// after a beep, POSTs the recording (`TwilioRecording`) to `recordAction`, then hangs up.
    public static func voicemail(say: String, language: String, recordAction: String, maxLength: Int) -> String {
        declaration + #"<Response><Say language="\#(escape(language))">\#(escape(say))</Say>"#
            + #"<Record action="\#(escape(recordAction))" method="POST" maxLength="\#(maxLength)" playBeep="true"/><Hangup/></Response>"#
    }

    /// Says `text` in `language`, then hangs up.
    public static func say(_ text: String, language: String) -> String {
        declaration + #"<Response><Say language="\#(escape(language))">\#(escape(text))</Say><Hangup/></Response>"#
    }

    /// `text` safe inside an element or a double- or single-quoted attribute: `& < > " '` become
    /// entities, and the control characters XML 1.0 does not allow (all below U+0020 but tab, LF
    /// and CR) are dropped, since Twilio would refuse the whole document over one.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
