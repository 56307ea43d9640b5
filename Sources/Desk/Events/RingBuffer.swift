/// A fixed-capacity FIFO that drops its oldest element when full: the replay window.
struct RingBuffer<Element> {
    private var storage: [Element?]
    private var head = 0  // index of the oldest element
    private(set) var count = 0

    init(capacity: Int) {
        precondition(capacity > 0, "a ring buffer needs room for at least one element")
        storage = Array(repeating: nil, count: capacity)
    }

    var capacity: Int { storage.count }

    /// Appends `element`, returning the element it pushed out, if the buffer was full.
    @discardableResult
    mutating func append(_ element: Element) -> Element? {
        if count < capacity {
            storage[(head + count) % capacity] = element
            count += 1
            return nil
        }
        let evicted = storage[head]
        storage[head] = element
        head = (head + 1) % capacity
        return evicted
    }

    /// The element `offset` places after the oldest one.
    subscript(offset: Int) -> Element {
        precondition(offset >= 0 && offset < count, "ring buffer offset out of range")
        return storage[(head + offset) % capacity]!
    }
}
