/// A first-in first-out queue read by index: `pop` is O(1) amortised (no
/// `removeFirst` per element). The storage is reset, keeping its capacity, once the
/// queue is drained, and popped elements are dropped in one move once they are half
/// of it, so a queue that is read while it is filled (a channel's receive queue)
/// never keeps what was read. What every sans-IO layer's `poll()` drains.
public struct FIFO<Element> {
    private var items: [Element] = []
    private var head = 0

    /// Creates an empty queue.
    public init() {}

    /// True when nothing is waiting.
    public var isEmpty: Bool { head >= items.count }

    /// How many elements are waiting.
    public var count: Int { items.count - head }

    /// Queues an element.
    public mutating func append(_ element: Element) { items.append(element) }

    /// The oldest element, or nil when drained.
    public mutating func pop() -> Element? {
        guard head < items.count else {
            items.removeAll(keepingCapacity: true)
            head = 0
            return nil
        }
        let element = items[head]
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64, head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
        return element
    }

    /// Drops the waiting elements that match.
    public mutating func removeAll(where shouldRemove: (Element) -> Bool) {
        items = Array(items[head...].filter { !shouldRemove($0) })
        head = 0
    }
}

extension FIFO: Sendable where Element: Sendable {}
