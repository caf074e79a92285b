#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import SCTP

/// WebRTC's maxPacketLifeTime counts from send() (RFC 8831 §6.6), so time spent in our
/// send queue before usrsctp takes a message is part of its lifetime.
@Suite("PR-SCTP lifetime counts from send")
struct LifetimeFromSendTests {
    @Test("a lifetime loses the whole milliseconds waited and runs out at zero")
    func remainingArithmetic() {
        let lifetime = SCTPReliability.maxLifetime(milliseconds: 50)
        #expect(lifetime.remaining(after: .zero) == lifetime)
        #expect(lifetime.remaining(after: .microseconds(999)) == lifetime)
        #expect(lifetime.remaining(after: .microseconds(20_700)) == .maxLifetime(milliseconds: 30))
        #expect(lifetime.remaining(after: .milliseconds(49)) == .maxLifetime(milliseconds: 1))
        #expect(lifetime.remaining(after: .milliseconds(50)) == nil)
        #expect(lifetime.remaining(after: .seconds(10_000_000)) == nil)
        #expect(SCTPReliability.maxLifetime(milliseconds: 0).remaining(after: .microseconds(10)) == .maxLifetime(milliseconds: 0))
        #expect(SCTPReliability.maxLifetime(milliseconds: 0).remaining(after: .milliseconds(1)) == nil)
        #expect(SCTPReliability.reliable.remaining(after: .seconds(60)) == .reliable)
        #expect(SCTPReliability.maxRetransmits(0).remaining(after: .seconds(60)) == .maxRetransmits(0))
    }

    @Test("messages whose lifetime ran out in the send queue are reported unsent and never delivered")
    func expiredInQueue() throws {
        let pair = try SCTPPair()
        pair.a.bufferedAmountLowThreshold = 0
        // Before .associationUp nothing leaves the queue: these wait there.
        let short = SCTPSendOptions(unordered: true, reliability: .maxLifetime(milliseconds: 50))
        let long = SCTPSendOptions(unordered: true, reliability: .maxLifetime(milliseconds: 60_000))
        try pair.a.send(indexedPayload(0, size: 300), stream: 1, ppid: 53, options: short)
        try pair.a.send(indexedPayload(1, size: 200), stream: 1, ppid: 53, options: long)
        try pair.a.send(indexedPayload(2, size: 300), stream: 2, ppid: 53, options: short)
        try pair.a.send(indexedPayload(3, size: 100), stream: 2, ppid: 53)
        #expect(pair.a.bufferedAmount == 900)
        usleep(120_000)   // longer than the short lifetime
        try pair.connect()
        #expect(pair.run(timeout: .seconds(5)) { pair.messagesB.count == 2 && pair.a.bufferedAmount == 0 })
        pair.run(for: .milliseconds(50))
        #expect(pair.messagesB.map { payloadIndex($0.bytes) }.sorted() == [1, 3])
        #expect(pair.failuresA == [
            SCTPSendFailure(stream: 1, ppid: 53, byteCount: 300, wasTransmitted: false),
            SCTPSendFailure(stream: 2, ppid: 53, byteCount: 300, wasTransmitted: false),
        ])
        let statistics = pair.a.statistics
        #expect(statistics.messagesSent == 4)
        #expect(statistics.messagesAbandoned == 2)
        #expect(statistics.bytesAbandoned == 600)
        #expect(pair.a.bufferedAmount == 0)
        #expect(pair.a.bufferedAmount(stream: 1) == 0 && pair.a.bufferedAmount(stream: 2) == 0)
        #expect(pair.eventsA.filter { $0 == .bufferedAmountLow(stream: nil) }.count == 1)
    }

    @Test("under back-pressure an outage outlasting the lifetime abandons queued messages unsent")
    func expiredBehindBackpressure() throws {
        var configuration = SCTPConfiguration.fast()
        configuration.maxMessageSize = 65_536
        configuration.sendBufferSize = 65_536
        let pair = try SCTPPair(configuration: configuration)
        try pair.connect()
        pair.outage = true
        // Reliable bulk fills usrsctp's send buffer; what follows waits in our queue.
        for index in 0..<4 { try pair.a.send(indexedPayload(index, size: 65_536), stream: 0, ppid: 53) }
        let short = SCTPSendOptions(unordered: true, reliability: .maxLifetime(milliseconds: 50))
        for index in 4..<8 { try pair.a.send(indexedPayload(index, size: 1000), stream: 1, ppid: 53, options: short) }
        pair.run(for: .milliseconds(150))
        #expect(pair.a.bufferedAmount(stream: 1) == 4000 || pair.failuresA.count == 4)
        pair.outage = false
        let expected = SCTPSendFailure(stream: 1, ppid: 53, byteCount: 1000, wasTransmitted: false)
        #expect(pair.run(timeout: .seconds(10)) {
            pair.messagesB.count == 4 && pair.failuresA.count == 4 && pair.a.bufferedAmount == 0
        })
        #expect(pair.messagesB.map { payloadIndex($0.bytes) } == [0, 1, 2, 3])
        #expect(pair.failuresA == Array(repeating: expected, count: 4))
        #expect(pair.a.statistics.messagesAbandoned == 4)
    }
}
