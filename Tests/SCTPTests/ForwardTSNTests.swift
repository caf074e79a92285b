import Testing
@testable import SCTP

/// Unreliable ORDERED streams under heavy loss: received messages wait in the
/// peer's reorder queue behind abandoned ones until a FORWARD-TSN (RFC 3758) skips
/// them, one hole per FORWARD-TSN/SACK round trip. Without ForwardTSNWatch a lost
/// FORWARD-TSN (or its SACK) after the last message waited for usrsctp's backed-off
/// T3-rtx, seconds with a large RTO.Max.
@Suite("FORWARD-TSN recovery on unreliable ordered streams")
struct ForwardTSNTests {
    static let messageCount = 100

    /// RTO.Max 3 s, as a real deployment might have (the default is 10 s); RTO.Min 50 ms.
    static let configuration: SCTPConfiguration = {
        var configuration = SCTPConfiguration.fast()
        configuration.rtoMax = .seconds(3)
        return configuration
    }()

    @Test("every message is delivered in order or reported abandoned within 1.5 s of the last send at 25 % loss",
          arguments: Array(11...18) as [UInt64])
    func decidedPromptly(seed: UInt64) throws {
        let pair = try SCTPPair(configuration: Self.configuration, seed: seed)
        try pair.connect()
        pair.loss = 0.25
        pair.delay = .milliseconds(10)
        let sentFrom = pair.eventsA.count
        let options = SCTPSendOptions(reliability: .maxRetransmits(0))
        // Paced like a real application (one message every 5 ms), so the holes are
        // interleaved with received messages, as over a real link.
        for index in 0..<Self.messageCount {
            try pair.a.send(indexedPayload(index, size: 100), stream: 2, ppid: 53, options: options)
            pair.run(for: .milliseconds(5))
        }
        let clock = ContinuousClock()
        let lastSend = clock.now
        // Sender dry = every TSN cumulatively acknowledged: the peer accepted the last
        // FORWARD-TSN, so nothing can wait in its reorder queue any more.
        let settled = pair.run(timeout: .milliseconds(1500)) {
            pair.eventsA[sentFrom...].contains(.senderDry) && pair.a.bufferedAmount == 0
        }
        let elapsed = clock.now - lastSend
        pair.pump()
        let received = pair.messagesB.map { payloadIndex($0.bytes) }
        try #require(settled, "not decided \(elapsed) after the last send (seed \(seed)): \(received.count) delivered, \(pair.failuresA.count) abandoned")
        #expect(received == received.sorted() && Set(received).count == received.count, "ordered delivery broke")
        #expect(received.count + pair.failuresA.count >= Self.messageCount, "a message was neither delivered nor reported abandoned")
        #expect(received.count < Self.messageCount, "nothing was lost at 25 % loss: the test did not exercise FORWARD-TSN")
        #expect(pair.failuresA.allSatisfy { $0.stream == 2 && $0.wasTransmitted })
    }
}

@Suite("FORWARD-TSN watch")
struct ForwardTSNWatchTests {
    /// Common header (ports 5000, tag 0xCAFEF00D), then `chunks`.
    static func packet(_ chunks: [UInt8]...) -> [UInt8] {
        [0x13, 0x88, 0x13, 0x88, 0xCA, 0xFE, 0xF0, 0x0D, 0, 0, 0, 0] + chunks.joined()
    }
    /// FORWARD-TSN, New Cumulative TSN `tsn`, one stream/SSN pair (1, 7).
    static func forward(_ tsn: UInt32) -> [UInt8] {
        [192, 0, 0, 12] + withUnsafeBytes(of: tsn.bigEndian) { Array($0) } + [0, 1, 0, 7]
    }
    /// SACK with Cumulative TSN Ack `tsn`, no gaps.
    static func sack(_ tsn: UInt32) -> [UInt8] {
        [3, 0, 0, 16] + withUnsafeBytes(of: tsn.bigEndian) { Array($0) } + [0, 1, 0, 0, 0, 0, 0, 0]
    }
    static let data: [UInt8] = [0, 3, 0, 17, 0, 0, 0, 9, 0, 1, 0, 8, 0, 0, 0, 53, 0x61, 0, 0, 0]

    @Test("repeats a bundled FORWARD-TSN alone every RTO.Min, then backing off to RTO.Max, at most limit times")
    func backoff() throws {
        var watch = ForwardTSNWatch(rtoMin: .milliseconds(50), rtoMax: .milliseconds(150), limit: 6)
        let start = ContinuousClock.now
        watch.sent(Self.packet(Self.data, Self.forward(100)))
        #expect(watch.repeatIfDue(now: start) == nil)   // arms the timer
        #expect(watch.repeatIfDue(now: start + .milliseconds(49)) == nil)
        let due = watch.repeatIfDue(now: start + .milliseconds(50))
        let repeated = try #require(due)
        #expect(repeated == SCTPChecksum.sealed(Self.packet(Self.forward(100))))
        #expect(SCTPChecksum.isValid(repeated))
        // Quick repeats at 100 and 150 ms, then 100 ms apart (250), then capped at 150 ms (400, 550).
        let schedule = [99: false, 100: true, 149: false, 150: true, 249: false, 250: true,
                        399: false, 400: true, 549: false, 550: true, 5000: false]
        for (ms, expected) in schedule.sorted(by: { $0.key < $1.key }) {
            #expect((watch.repeatIfDue(now: start + .milliseconds(ms)) != nil) == expected, "at \(ms) ms")
        }
        #expect(watch.repeats == watch.limit)
    }

    @Test("stops when a SACK reaches the New Cumulative TSN, not before")
    func acknowledged() {
        var watch = ForwardTSNWatch(rtoMin: .milliseconds(50), rtoMax: .milliseconds(150), limit: 3)
        let start = ContinuousClock.now
        watch.sent(Self.packet(Self.forward(100)))
        _ = watch.repeatIfDue(now: start)
        watch.received(Self.packet(Self.sack(99)))
        #expect(watch.packet != nil)
        watch.received(Self.packet(Self.data, Self.sack(100)))
        #expect(watch.packet == nil)
        #expect(watch.repeatIfDue(now: start + .seconds(1)) == nil)
        watch.received(Self.packet(Self.sack(0)))   // nothing watched: no trap, nothing changes
        #expect(watch.packet == nil)
    }

    @Test("forgets the watched FORWARD-TSN on an association restart, and watches the next one afresh")
    func forgetsOnRestart() {
        var watch = ForwardTSNWatch(rtoMin: .milliseconds(50), rtoMax: .milliseconds(150), limit: 3)
        let start = ContinuousClock.now
        watch.sent(Self.packet(Self.forward(100)))
        _ = watch.repeatIfDue(now: start)
        #expect(watch.repeatIfDue(now: start + .milliseconds(50)) != nil)
        watch.forget()
        #expect(watch.packet == nil && watch.repeats == 0)
        #expect(watch.repeatIfDue(now: start + .seconds(1)) == nil)
        // The restarted association's TSNs may be "older" than the old one's: still watched.
        watch.sent(Self.packet(Self.forward(7)))
        #expect(watch.newCumulativeTSN == 7)
        _ = watch.repeatIfDue(now: start + .seconds(2))
        #expect(watch.repeatIfDue(now: start + .seconds(2) + .milliseconds(50)) != nil)
    }

    @Test("ignores packets without FORWARD-TSN and truncated chunks")
    func ignores() {
        var watch = ForwardTSNWatch(rtoMin: .milliseconds(50), rtoMax: .milliseconds(150), limit: 3)
        watch.sent(Self.packet(Self.data))
        watch.sent(Array(Self.packet(Self.forward(5)).prefix(18)))
        watch.sent([1, 2, 3])
        #expect(watch.packet == nil)
    }
}
