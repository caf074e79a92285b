#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Wire

/// A poll(2)-based loop that drives sans-IO `DatagramEndpoint`s over real UDP sockets.
///
/// One loop, one thread: attach endpoints (each bound to one or more sockets),
/// then `run`. For every datagram that arrives the loop reads the clock, calls
/// `handle(.datagram(_, at: now))` on the endpoint that owns the socket and drains
/// it; when an endpoint's `nextTimeout` passes it calls `handle(.timeout(now))`
/// and drains it. Draining sends each `.transmit` and hands each `.event` to the
/// closure given at `attach`. Tickers serve layers that must be poked on a fixed
/// period (usrsctp wants real elapsed time every ~10 ms).
///
/// Closures run on the loop's thread and may call back into the loop
/// (`withEndpoint`, `stop`, `attach`): that is how a tool starts the next
/// transaction from the event of the previous one.
public final class EventLoop {
    /// The clock the loop reads; tests may inject a different one.
    public let clock: () -> Instant
    /// Sees every datagram sent or received (for `--pcap`), after the fact.
    public var tap: ((TappedDatagram) -> Void)?
    /// Decides, before the kernel sees it, whether a datagram leaves: false drops it as
    /// the network would (loss injection for tests, soak runs and tools; counted in
    /// `statistics.filtered`, never tapped). nil: every datagram leaves.
    public var sendFilter: ((Datagram) -> Bool)?
    /// Called when a transmit fails hard (no route, other family...). The
    /// datagram is dropped either way; without a handler the failure is only counted.
    public var onSendError: ((Datagram, SocketError) -> Void)?
    /// Counters for tests and tools.
    public private(set) var statistics = Statistics()

    private var drivers: [ObjectIdentifier: any DrivenEndpoint] = [:]
    private var attachOrder: [ObjectIdentifier] = []
    private var tickers: [Ticker] = []
    private var watchers: [Watcher] = []
    private var nextTickerID = 0
    private var stopRequested = false

    /// Creates a loop reading `clock` (monotonic system time by default).
    public init(clock: @escaping () -> Instant = SystemClock.now) {
        self.clock = clock
    }

    /// Datagram counts since the loop was created.
    public struct Statistics: Sendable, Equatable {
        /// Datagrams handed to the kernel.
        public var sent = 0
        /// Datagrams the kernel refused to queue (counted as lost).
        public var dropped = 0
        /// Hard send failures.
        public var sendErrors = 0
        /// Datagrams received and fed to an endpoint.
        public var received = 0
        /// Datagrams `sendFilter` dropped before the kernel saw them.
        public var filtered = 0
    }

    /// Why `run` returned.
    public enum StopReason: Equatable, Sendable {
        /// `stop()` was called or the `stopWhen` condition became true.
        case stopped
        /// The deadline passed.
        case deadline
        /// Nothing is attached, armed or watched: the loop would sleep forever.
        case idle
    }

    /// Attaches `endpoint`, reading from every socket in `sockets` and sending each
    /// transmit from the socket whose local address equals the datagram's source
    /// (else the first socket of the destination's IP family). Queued output is
    /// drained at once. `onEvent` receives each event with the time of the input
    /// that caused it.
    @discardableResult
    public func attach<E: DatagramEndpoint>(_ endpoint: E, sockets: [UDPSocket],
                                            onEvent: @escaping (E.Event, Instant) -> Void) -> EndpointHandle<E> {
        precondition(!sockets.isEmpty, "an endpoint needs at least one socket")
        let driver = EndpointDriver(endpoint: endpoint, sockets: sockets, onEvent: onEvent)
        let key = ObjectIdentifier(driver)
        drivers[key] = driver
        attachOrder.append(key)
        driver.drain(loop: self, now: clock())
        return EndpointHandle(driver: driver)
    }

    /// Stops driving an endpoint (its sockets stay open; close them yourself).
    public func detach<E>(_ handle: EndpointHandle<E>) {
        let key = ObjectIdentifier(handle.driver)
        drivers[key] = nil
        attachOrder.removeAll { $0 == key }
    }

    /// Gives `body` mutable access to an attached endpoint (to start a transaction,
    /// close a channel...), then drains it so its output goes out at once.
    public func withEndpoint<E, R>(_ handle: EndpointHandle<E>, _ body: (inout E) throws -> R) rethrows -> R {
        let result = try body(&handle.driver.endpoint)
        handle.driver.drain(loop: self, now: clock())
        return result
    }

    /// A copy of an attached endpoint's current state (for reading statistics).
    public func endpoint<E>(_ handle: EndpointHandle<E>) -> E { handle.driver.endpoint }

    /// Calls `body` every `interval` from the loop (first call one interval from now).
    /// Returns an id for `removeTicker`.
    @discardableResult
    public func addTicker(every interval: Duration, _ body: @escaping (Instant) -> Void) -> Int {
        precondition(interval > .zero, "a ticker needs a positive interval")
        nextTickerID += 1
        tickers.append(Ticker(id: nextTickerID, interval: interval, due: clock() + interval, body: body))
        return nextTickerID
    }

    /// Removes a ticker added with `addTicker`.
    public func removeTicker(_ id: Int) { tickers.removeAll { $0.id == id } }

    /// Watches a non-socket descriptor (a pipe on stdin...) and calls `body` when it
    /// is readable or closed; `body` reads it itself. Returns an id for `unwatch`.
    @discardableResult
    public func watchReadable(fileDescriptor: Int32, _ body: @escaping () -> Void) -> Int {
        nextTickerID += 1
        watchers.append(Watcher(id: nextTickerID, fileDescriptor: fileDescriptor, body: body))
        return nextTickerID
    }

    /// Stops watching a descriptor.
    public func unwatch(_ id: Int) { watchers.removeAll { $0.id == id } }

    /// Makes the current or next `run` return `.stopped` after the current step.
    public func stop() { stopRequested = true }

    /// Runs until `stop()` is called, `stopWhen()` returns true (checked after every
    /// step), `deadline` passes, or nothing is left to wait for.
    @discardableResult
    public func run(until deadline: Instant? = nil, stopWhen: () -> Bool = { false }) throws -> StopReason {
        stopRequested = false
        while true {
            if stopRequested || stopWhen() { stopRequested = false; return .stopped }
            var now = clock()
            if let deadline, now >= deadline { return .deadline }
            fireDueTimers(now: now)
            if stopRequested || stopWhen() { stopRequested = false; return .stopped }
            now = clock()
            var wake = deadline
            for key in attachOrder {
                if let due = drivers[key]?.nextTimeout { wake = min(wake ?? due, due) }
            }
            for ticker in tickers { wake = min(wake ?? ticker.due, ticker.due) }
            let sockets = attachOrder.flatMap { drivers[$0]?.sockets ?? [] }.filter { $0.fileDescriptor >= 0 }
            if wake == nil && sockets.isEmpty && watchers.isEmpty { return .idle }
            try waitAndRead(sockets: sockets, wake: wake, now: now)
        }
    }

    private func fireDueTimers(now: Instant) {
        for key in attachOrder {
            guard let driver = drivers[key], let due = driver.nextTimeout, due <= now else { continue }
            driver.fire(loop: self, now: now)
        }
        for index in tickers.indices where index < tickers.count && tickers[index].due <= now {
            let ticker = tickers[index]
            // Re-arm from `now`, not from `due`: after a stall we tick once, not in a burst.
            tickers[index].due = max(ticker.due + ticker.interval, now + ticker.interval)
            ticker.body(now)
        }
    }

    private func waitAndRead(sockets: [UDPSocket], wake: Instant?, now: Instant) throws {
        var descriptors = sockets.map { pollfd(fd: $0.fileDescriptor, events: Int16(POLLIN), revents: 0) }
        descriptors += watchers.map { pollfd(fd: $0.fileDescriptor, events: Int16(POLLIN), revents: 0) }
        var timeout: Int32 = -1
        if let wake {
            // Round up: waking a little late is harmless, waking early spins the loop.
            let nanoseconds = max(0, (wake - now).totalNanoseconds)
            timeout = Int32(clamping: (nanoseconds + 999_999) / 1_000_000)
        }
        let ready = poll(&descriptors, nfds_t(descriptors.count), timeout)
        if ready < 0 {
            if errno == EINTR { return }
            throw SocketError.fromErrno(.poll, "poll failed")
        }
        guard ready > 0 else { return }
        let readable = Int16(POLLIN) | Int16(POLLERR) | Int16(POLLHUP)
        for (index, socket) in sockets.enumerated() where descriptors[index].revents & readable != 0 {
            readBatch(from: socket)
            if stopRequested { return }
        }
        let watched = watchers
        for (offset, watcher) in watched.enumerated()
        where descriptors[sockets.count + offset].revents & (readable | Int16(POLLNVAL)) != 0 {
            watcher.body()
        }
    }

    /// Reads up to 64 datagrams so one busy socket cannot starve timers and other sockets.
    private func readBatch(from socket: UDPSocket) {
        for _ in 0..<64 {
            let datagram: Datagram?
            do { datagram = try socket.receive() } catch { continue }
            guard let datagram else { return }
            let now = clock()
            statistics.received += 1
            tap?(TappedDatagram(direction: .received, datagram: datagram, at: now))
            guard let driver = attachOrder.lazy.compactMap({ self.drivers[$0] })
                .first(where: { $0.sockets.contains { $0 === socket } }) else { return }
            driver.deliver(datagram, loop: self, now: now)
            if stopRequested { return }
        }
    }

    /// Sends one transmit from the best socket of `sockets` (used by endpoint drivers).
    func transmit(_ datagram: Datagram, sockets: [UDPSocket], now: Instant) {
        if let sendFilter, !sendFilter(datagram) {
            statistics.filtered += 1
            return
        }
        let socket = sockets.first { $0.localAddress == datagram.source }
            ?? sockets.first { $0.isIPv4 == datagram.destination.ip.isIPv4 }
        guard let socket else {
            report(datagram, SocketError(.invalidArgument,
                                         reason: "no socket of the right IP family to send to \(datagram.destination)"))
            return
        }
        do {
            switch try socket.send(datagram.payload, to: datagram.destination) {
            case .sent:
                statistics.sent += 1
                // A wildcard-bound socket does not know its source IP; keep the endpoint's.
                var onWire = datagram
                if !socket.localAddress.ip.isUnspecified { onWire.source = socket.localAddress }
                tap?(TappedDatagram(direction: .sent, datagram: onWire, at: now))
            case .dropped:
                statistics.dropped += 1
            }
        } catch let error as SocketError {
            report(datagram, error)
        } catch {
            report(datagram, SocketError(.send, reason: "\(error)"))
        }
    }

    private func report(_ datagram: Datagram, _ error: SocketError) {
        statistics.sendErrors += 1
        onSendError?(datagram, error)
    }

    private struct Ticker {
        let id: Int
        let interval: Duration
        var due: Instant
        let body: (Instant) -> Void
    }

    private struct Watcher {
        let id: Int
        let fileDescriptor: Int32
        let body: () -> Void
    }
}

/// One datagram seen by the loop's tap.
public struct TappedDatagram: Sendable, Equatable {
    /// Whether we sent or received it.
    public enum Direction: Sendable, Equatable {
        case sent, received
    }
    /// Whether we sent or received it.
    public var direction: Direction
    /// The datagram with both addresses as they were on the wire.
    public var datagram: Datagram
    /// When it was sent or received (the loop's clock).
    public var at: Instant
}
