import Wire

/// A min-heap of scheduled events ordered by time, then by insertion sequence.
///
/// The sequence number is what makes the simulator deterministic: two events at the same
/// instant (a zero-delay reply and a timer, say) always pop in the order they were
/// scheduled, whatever the heap's internal layout.
public struct EventQueue<Payload> {
    /// One scheduled event.
    public struct Entry {
        /// When the event happens.
        public var time: Instant
        /// Insertion order, the tie-breaker for equal times.
        public var sequence: UInt64
        /// What happens.
        public var payload: Payload

        func precedes(_ other: Entry) -> Bool {
            time != other.time ? time < other.time : sequence < other.sequence
        }
    }

    private var heap: [Entry] = []
    private var nextSequence: UInt64 = 0

    /// Creates an empty queue.
    public init() {}

    /// The number of scheduled events.
    public var count: Int { heap.count }

    /// True when nothing is scheduled.
    public var isEmpty: Bool { heap.isEmpty }

    /// The time of the earliest event, if any.
    public var nextTime: Instant? { heap.first?.time }

    /// Schedules `payload` at `time`, after every event already scheduled at that time.
    public mutating func push(_ payload: Payload, at time: Instant) {
        heap.append(Entry(time: time, sequence: nextSequence, payload: payload))
        nextSequence += 1
        siftUp(heap.count - 1)
    }

    /// Removes and returns the earliest event (FIFO among equal times).
    public mutating func pop() -> Entry? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        if !heap.isEmpty { siftDown(0) }
        return top
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var best = parent
            if left < heap.count, heap[left].precedes(heap[best]) { best = left }
            if right < heap.count, heap[right].precedes(heap[best]) { best = right }
            if best == parent { return }
            heap.swapAt(parent, best)
            parent = best
        }
    }
}
