/// What a customer wants from a small business, as the front desk routes it.
public enum BusinessIntent: String, Sendable, Hashable, CaseIterable, Codable {
    case greeting
    case pricing
    case hours
    case location
    case booking
    /// Moving or cancelling an appointment or an order.
    case rescheduleCancel = "reschedule_cancel"
    case payment
    case orderStatus = "order_status"
    case complaint
    /// The customer asks for a person.
    case humanRequest = "human_request"
    case thanksBye = "thanks_bye"
    /// Anything else, and whatever the classifier is not confident about.
    case other
}
