import Testing
@testable import SCTP

/// Issue 13 §4, receive back-pressure: a receiver that stops reading makes the
/// sender's `bufferedAmount` grow, through SCTP's receive window; the receiver's
/// memory stays bounded and nothing is lost.
@Suite("Receive back-pressure")
struct ReceiveBackpressureTests {
    static let messageSize = 65_536
    /// 64 MiB in all: 64 times what the receive buffer holds.
    static let messageCount = 1024
    static let receiveBuffer = 1 << 20
    static let maxBuffered = 4 << 20

    /// Message `index`: the index, then bytes that depend on the index and the position,
    /// so a message delivered in the wrong place or with a wrong byte cannot compare equal.
    static func payload(_ index: Int) -> [UInt8] {
        var bytes = indexedPayload(index, size: messageSize)
        for position in 4..<messageSize {
            bytes[position] = UInt8(truncatingIfNeeded: index &* 131 &+ position &* 7 &+ position >> 8)
        }
        return bytes
    }

    @Test("a paused receiver stops the sender through the window; on resuming every byte arrives, in order")
    func pausedReceiver() throws {
        var configuration = SCTPConfiguration.fast(maxRetransmissions: 8)
        configuration.receiveBufferSize = Self.receiveBuffer
        configuration.maxBufferedAmount = Self.maxBuffered
        let pair = try SCTPPair(configuration: configuration)
        try pair.connect()
        pair.b.pauseReceiving()   // the application stops reading before anything arrives

        var sent = 0
        var refusals = 0
        var unexpected: [SCTPError] = []
        var next: [UInt8]?   // built once, kept while refused
        /// Sends until the association refuses more (`.bufferFull`), as an application must.
        func feed() {
            while sent < Self.messageCount {
                do {
                    let message = next ?? Self.payload(sent)
                    next = message
                    try pair.a.send(message, stream: 1, ppid: 53)
                    next = nil
                    sent += 1
                } catch {
                    if error.code == .bufferFull { refusals += 1 } else { unexpected.append(error) }
                    return
                }
            }
        }
        /// Bytes that left the sender (transmitted at least once) and were not handed to B's application.
        func heldByReceiver() -> Int {
            pair.a.statistics.bytesSent - pair.a.bufferedAmount - pair.messageCountB * Self.messageSize
        }

        // Stall: the sender fills its own buffer and the receiver's window, and stops.
        var full = pair.run(timeout: .seconds(60)) {
            feed()
            return pair.a.bufferedAmount > Self.maxBuffered - Self.messageSize
                && heldByReceiver() >= Self.receiveBuffer * 3 / 4 && pair.a.receiveWindows?.peer == 0
        }
        // Then until nothing more leaves the sender over 300 ms of pumping (what was in
        // flight landed); a failure bound only, nothing is asserted on how long it took.
        for _ in 0..<100 where full {
            let before = heldByReceiver()
            _ = pair.run(timeout: .milliseconds(300)) {
                feed()
                return false
            }
            if heldByReceiver() == before { break }
        }
        full = full && pair.a.bufferedAmount > Self.maxBuffered - Self.messageSize
        try #require(full, "the sender never stalled: \(pair.a.bufferedAmount) bytes buffered, \(sent) sent, \(heldByReceiver()) held by the receiver, windows \(String(describing: pair.a.receiveWindows))")
        let (bufferedAtStall, heldAtStall, sentAtStall) = (pair.a.bufferedAmount, heldByReceiver(), sent)
        // Hold the stall well past the sender's whole retransmission budget (8 × rtoMax
        // 400 ms), the sender trying all along: zero-window probes must keep the
        // association up (RFC 9260 §6.1 A; usrsctp alone killed it here, see
        // ZeroWindowWatch), and neither the receiver's share nor the messages sent may grow.
        _ = pair.run(timeout: .seconds(6)) {
            feed()
            return false
        }
        let windows = (b: pair.b.receiveWindows, a: pair.a.receiveWindows)
        print("receive back-pressure, stalled: sender bufferedAmount \(pair.a.bufferedAmount) B (at the stall \(bufferedAtStall)), "
              + "\(sent) of \(Self.messageCount) messages accepted (at the stall \(sentAtStall)), \(refusals) bufferFull refusals; "
              + "held by the receiver \(heldByReceiver()) B (at the stall \(heldAtStall)) for a \(Self.receiveBuffer)-byte buffer; "
              + "windows: B advertises \(windows.b.map { String($0.local) } ?? "?"), A sees \(windows.a.map { String($0.peer) } ?? "?")")
        #expect(unexpected.isEmpty, "send failed otherwise than bufferFull: \(unexpected)")
        #expect(pair.messagesB.isEmpty, "a paused receiver delivered \(pair.messagesB.count) messages")
        #expect(pair.a.bufferedAmount > Self.maxBuffered - Self.messageSize, "the sender's bufferedAmount did not stay high")
        #expect(pair.a.bufferedAmount <= Self.maxBuffered)
        #expect(refusals > 0)
        #expect(sent < Self.messageCount / 4, "the sender got rid of \(sent) messages into a paused receiver")
        #expect(sent == sentAtStall, "the sender kept sending into a stalled receiver")
        // What the receiver holds is bounded by its buffer (plus at most a probe), and did not grow in the stall.
        #expect(heldByReceiver() <= Self.receiveBuffer + Self.messageSize)
        #expect(heldByReceiver() <= heldAtStall + 2 * configuration.pathMTU)
        #expect((windows.b?.local ?? .max) < UInt32(Self.receiveBuffer / 4), "B's advertised window did not close")
        #expect(pair.a.state == .established && pair.b.state == .established)

        // Resume, in bursts: read 8 MiB, stop again, and check nothing is delivered while stopped.
        var maxHeld = heldByReceiver()
        var deliveredWhilePaused = 0
        while pair.messageCountB < Self.messageCount {
            let target = min(Self.messageCount, pair.messageCountB + 128)
            pair.b.resumeReceiving()
            let moved = pair.run(timeout: .seconds(60)) {
                feed()
                maxHeld = max(maxHeld, heldByReceiver())
                return pair.messageCountB >= target
            }
            try #require(moved, "stuck at \(pair.messageCountB) messages after resuming")
            pair.b.pauseReceiving()
            pair.pump()   // messages read before the pause are already in B's event queue
            let before = pair.messageCountB
            pair.run(for: .milliseconds(100))
            feed()
            deliveredWhilePaused += pair.messageCountB - before
            maxHeld = max(maxHeld, heldByReceiver())
        }
        pair.b.resumeReceiving()
        pair.run(for: .milliseconds(50))

        let received = pair.messagesB
        let inOrder = received.enumerated().allSatisfy { payloadIndex($0.element.bytes) == $0.offset }
        let intact = received.enumerated().allSatisfy { $0.element.bytes == Self.payload($0.offset) }
        print("receive back-pressure, resumed: \(received.count) of \(Self.messageCount) messages "
              + "(\((received.count * Self.messageSize) >> 20) MiB), in order: \(inOrder), byte for byte: \(intact); "
              + "most held by the receiver at any check: \(maxHeld) B; delivered while paused: \(deliveredWhilePaused)")
        #expect(received.count == Self.messageCount)
        #expect(inOrder)
        #expect(intact)
        #expect(deliveredWhilePaused == 0)
        #expect(maxHeld <= Self.receiveBuffer + Self.messageSize)
        #expect(pair.a.statistics.messagesAbandoned == 0)
        #expect(!pair.eventsA.contains { if case .associationClosed = $0 { true } else { false } })
    }

    @Test("a paused association still comes up, and its own events are read")
    func pausedBeforeConnecting() throws {
        let pair = try SCTPPair()
        pair.a.pauseReceiving()
        pair.b.pauseReceiving()
        try pair.connect()   // COMM_UP is a notification at the head of the queue: read while paused
        try pair.a.send([1, 2, 3], stream: 0, ppid: 53)
        pair.run(for: .milliseconds(200))
        #expect(pair.messagesB.isEmpty)
        #expect(pair.b.isReceivingPaused)
        pair.b.resumeReceiving()
        #expect(pair.run(timeout: .seconds(10)) { pair.messagesB.count == 1 })
        #expect(pair.messagesB.first?.bytes == [1, 2, 3])
    }
}
