#if canImport(Glibc)
import Glibc
#endif
import Testing
import Wire
@testable import SCTP

extension SCTPConfiguration {
    /// Short timers so loss recovery takes milliseconds (usrsctp runs in real time).
    static func fast(maxRetransmissions: UInt16 = 30) -> SCTPConfiguration {
        SCTPConfiguration(rtoInitial: .milliseconds(100), rtoMin: .milliseconds(50), rtoMax: .milliseconds(400),
                          maxRetransmissions: maxRetransmissions, maxInitRetransmissions: 10,
                          heartbeatInterval: .seconds(5), delayedAck: .milliseconds(10))
    }
}

/// Two associations joined in memory: packets move between them with seeded loss,
/// a fixed one-way delay, and an optional total outage, in real time (usrsctp's
/// timers read the wall clock). Events are collected per side.
///
/// The loop is synchronous on purpose: usrsctp's timers keep running whether or not
/// anybody moves packets, so a harness that suspends (and waits for a busy
/// cooperative pool to resume it) can see its association die of "timeouts" that
/// were really starvation. Blocking its thread, it always makes progress.
final class SCTPPair {
    let a: SCTPAssociation
    let b: SCTPAssociation
    /// Probability that any packet, either way, is dropped.
    var loss: Double = 0
    /// One-way delay added to every packet.
    var delay: Duration = .zero
    /// While true every packet is dropped (a total outage).
    var outage = false
    /// Probability that a packet that is not dropped arrives twice (the copy 1 ms later).
    var duplicate: Double = 0
    /// Probability that a packet is held back by `reorderDelay` more, so later ones overtake it.
    var reorder: Double = 0
    /// How long a reordered packet is held back.
    var reorderDelay: Duration = .milliseconds(3)
    private(set) var packetsDuplicated = 0
    /// Messages B received so far (cheaper than `messagesB.count` in a loop condition).
    private(set) var messageCountB = 0
    private(set) var packetsReordered = 0
    private(set) var eventsA: [SCTPEvent] = []
    private(set) var eventsB: [SCTPEvent] = []
    private(set) var packetsDropped = 0
    /// Every packet A transmitted, delivered or not, in order.
    private(set) var sentByA: [[UInt8]] = []
    private var random: SplitMix64
    private var inFlight: [(due: ContinuousClock.Instant, toB: Bool, packet: [UInt8])] = []
    private let clock = ContinuousClock()

    init(configuration: SCTPConfiguration = .fast(), configurationB: SCTPConfiguration? = nil, seed: UInt64 = 1) throws {
        a = try SCTPAssociation(configuration: configuration)
        b = try SCTPAssociation(configuration: configurationB ?? configuration)
        random = SplitMix64(seed: seed)
    }

    /// Both sides connect (simultaneous open) and the harness runs until both are up.
    func connect(timeout: Duration = .seconds(5)) throws {
        try a.connect()
        try b.connect()
        let up = run(timeout: timeout) { self.isUp(self.eventsA) && self.isUp(self.eventsB) }
        try #require(up, "association did not come up: A \(eventsA), B \(eventsB)")
    }

    private func isUp(_ events: [SCTPEvent]) -> Bool {
        events.contains { if case .associationUp = $0 { return true } else { return false } }
    }

    /// Messages B (or A) received, in delivery order.
    var messagesB: [SCTPMessage] { eventsB.compactMap { if case let .message(m) = $0 { return m } else { return nil } } }
    var messagesA: [SCTPMessage] { eventsA.compactMap { if case let .message(m) = $0 { return m } else { return nil } } }
    /// Send failures A (the sender) reported.
    var failuresA: [SCTPSendFailure] { eventsA.compactMap { if case let .sendFailed(f) = $0 { return f } else { return nil } } }

    /// Drains both sides once and delivers packets that are due. True if anything moved.
    @discardableResult
    func pump() -> Bool {
        var moved = false
        let now = clock.now
        for (source, toB) in [(a, true), (b, false)] {
            while let output = source.poll() {
                moved = true
                switch output {
                case let .event(event):
                    if toB { eventsA.append(event) } else { eventsB.append(event) }
                    if !toB, case .message = event { messageCountB += 1 }
                case let .transmit(packet):
                    if toB { sentByA.append(packet) }
                    if outage || (loss > 0 && Double.random(in: 0..<1, using: &random) < loss) {
                        packetsDropped += 1
                    } else {
                        var due = now + delay
                        if reorder > 0, Double.random(in: 0..<1, using: &random) < reorder {
                            packetsReordered += 1
                            due += reorderDelay
                        }
                        schedule((due, toB, packet))
                        if duplicate > 0, Double.random(in: 0..<1, using: &random) < duplicate {
                            packetsDuplicated += 1
                            schedule((due + .milliseconds(1), toB, packet))
                        }
                    }
                }
            }
        }
        while let first = inFlight.first, first.due <= now {
            inFlight.removeFirst()
            moved = true
            (first.toB ? b : a).handle(packet: first.packet)
        }
        return moved
    }

    /// Keeps `inFlight` sorted by due time (a held-back packet lets later ones pass).
    private func schedule(_ entry: (due: ContinuousClock.Instant, toB: Bool, packet: [UInt8])) {
        let index = inFlight.lastIndex { $0.due <= entry.due }.map { $0 + 1 } ?? 0
        inFlight.insert(entry, at: index)
    }

    /// Pumps until `condition` holds or `timeout` passes; sleeps 0.5 ms when idle.
    func run(timeout: Duration, until condition: () -> Bool) -> Bool {
        let deadline = clock.now + timeout
        while clock.now < deadline {
            let moved = pump()
            if condition() { return true }
            if !moved { usleep(500) }
        }
        pump()
        return condition()
    }

    /// Pumps for a while regardless.
    func run(for duration: Duration) {
        _ = run(timeout: duration) { false }
    }
}

/// A message whose first four bytes are its index, padded to `size`.
func indexedPayload(_ index: Int, size: Int = 64) -> [UInt8] {
    var bytes = [UInt8](repeating: UInt8(truncatingIfNeeded: index), count: max(size, 4))
    withUnsafeBytes(of: UInt32(index).bigEndian) { bytes.replaceSubrange(0..<4, with: $0) }
    return bytes
}

/// The index `indexedPayload` wrote.
func payloadIndex(_ bytes: [UInt8]) -> Int {
    Int(bytes[0]) << 24 | Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
}
