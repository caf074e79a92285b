import Wire

/// --loss and --delay, applied in the driver: the endpoint inside never knows.
///
/// Wraps any sans-IO endpoint and intercepts what it transmits: each datagram is
/// dropped with probability `loss` (one seeded generator shared by both sides, so
/// a run's drops repeat with its seed), and the survivors wait `delay` in a FIFO
/// before the event loop sends them. A constant delay keeps the order, so a FIFO
/// is enough; the wrapper's `nextTimeout` includes the head of the FIFO so the
/// loop wakes up to release it. It reads the driver's clock (it is driver code):
/// output drained outside `handle` (after a send) has no input time to go by.
final class ImpairedEndpoint<Inner: DatagramEndpoint>: DatagramEndpoint {
    typealias Event = Inner.Event

    private(set) var inner: Inner
    private let link: LinkImpairment
    private var delayed: [(due: Instant, datagram: Datagram)] = []
    private var delayedHead = 0
    private let clock: () -> Instant

    init(_ inner: Inner, link: LinkImpairment, clock: @escaping () -> Instant) {
        self.inner = inner
        self.link = link
        self.clock = clock
    }

    /// Gives `body` the endpoint inside (to send, start, close...).
    func withInner<R>(_ body: (inout Inner) throws -> R) rethrows -> R { try body(&inner) }

    func handle(_ input: EndpointInput) {
        switch input {
        case .datagram:
            inner.handle(input)
        case let .timeout(now):
            if let due = inner.nextTimeout, due <= now { inner.handle(input) }
        }
    }

    func poll() -> EndpointOutput<Event>? {
        while let output = inner.poll() {
            guard case let .transmit(datagram) = output else { return output }
            guard link.admit(datagram) else { continue }
            if link.delay <= .zero { return output }
            delayed.append((clock() + link.delay, datagram))
        }
        if delayedHead < delayed.count, delayed[delayedHead].due <= clock() {
            defer {
                delayedHead += 1
                compact()
            }
            return .transmit(delayed[delayedHead].datagram)
        }
        return nil
    }

    /// Datagrams held, released ones included until the next compaction (for tests).
    var storedCount: Int { delayed.count }

    /// Drops the released head of the FIFO. Under steady traffic the FIFO is never
    /// empty, so waiting for it to empty kept every datagram of the run in memory
    /// (64 MB for 1000 x 64 KiB); compacting once half is released costs O(1) each.
    private func compact() {
        if delayedHead == delayed.count {
            delayed.removeAll(keepingCapacity: true)
            delayedHead = 0
        } else if delayedHead >= 256, delayedHead * 2 >= delayed.count {
            delayed.removeFirst(delayedHead)
            delayedHead = 0
        }
    }

    var nextTimeout: Instant? {
        let held = delayedHead < delayed.count ? delayed[delayedHead].due : nil
        switch (inner.nextTimeout, held) {
        case let (a?, b?): return min(a, b)
        case let (a, b): return a ?? b
        }
    }
}

/// The impairment both directions share, and what it saw.
final class LinkImpairment {
    let loss: Double
    let delay: Duration
    private var generator: SplitMix64
    /// Datagrams the endpoints emitted.
    private(set) var emitted = 0
    /// Datagrams dropped by `loss`.
    private(set) var dropped = 0
    /// The largest UDP payload emitted.
    private(set) var largest = 0

    init(loss: Double, delay: Duration, seed: UInt64) {
        self.loss = loss
        self.delay = delay
        generator = SplitMix64(seed: seed)
    }

    /// Counts `datagram` and decides whether it survives. No randomness is drawn without loss.
    func admit(_ datagram: Datagram) -> Bool {
        emitted += 1
        largest = max(largest, datagram.payload.count)
        guard loss > 0 else { return true }
        if generator.chance(loss) {
            dropped += 1
            return false
        }
        return true
    }
}
