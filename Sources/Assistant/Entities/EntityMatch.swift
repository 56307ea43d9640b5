/// One entity found in a customer's message: where it is and what it means.
///
/// `range` indexes the text that was searched, so a caller can highlight the words or strip them
/// before the next stage reads the message.
public struct EntityMatch<Value: Sendable & Hashable>: Sendable, Hashable {
    /// Where the entity's words are in the searched text.
    public let range: Range<String.Index>
    /// The words themselves, as the customer wrote them.
    public let text: String
    /// What the words mean.
    public let value: Value

    public init(range: Range<String.Index>, text: String, value: Value) {
        (self.range, self.text, self.value) = (range, text, value)
    }
}
