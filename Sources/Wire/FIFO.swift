/// A first-in first-out queue read by index: `pop` is O(1) (no `removeFirst`),
/// and the storage is reset, keeping its capacity, once the queue is drained, so
/// it never grows across a long run. What every sans-IO layer's `poll()` drains.
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
        defer { head += 1 }
        return items[head]
    }

    /// Drops the waiting elements that match.
    public mutating func removeAll(where shouldRemove: (Element) -> Bool) {
        items = Array(items[head...].filter { !shouldRemove($0) })
        head = 0
    }
}

extension FIFO: Sendable where Element: Sendable {}
