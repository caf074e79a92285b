import CUsrsctp
import Testing
@testable import SCTP

/// Edge cases a review left open: calls made while the association is still
/// connecting, abandonment accounting for fragmented messages, reachability noise.
@Suite("SCTP edge cases")
struct EdgeCaseTests {
    @Test("shutdown while connecting waits for the association, delivers queued messages, then closes gracefully")
    func shutdownWhileConnecting() throws {
        let pair = try SCTPPair()
        try pair.a.connect()
        for index in 0..<5 { try pair.a.send(indexedPayload(index, size: 3000), stream: 1, ppid: 53) }
        try pair.a.shutdown()
        #expect(pair.a.state == .shuttingDown)
        let late = #expect(throws: SCTPError.self) { try pair.a.send([1], stream: 1, ppid: 53) }
        #expect(late?.code == .invalidState)
        let reset = #expect(throws: SCTPError.self) { try pair.a.resetStreams([1]) }
        #expect(reset?.code == .invalidState)
        // Nothing but INIT may leave before the peer answers: no DATA, no SHUTDOWN.
        // (Usually one INIT; a second if a stalled machine let T1-init, 100 ms, fire.)
        pair.run(for: .milliseconds(20))
        #expect(!pair.sentByA.isEmpty)
        #expect(pair.sentByA.allSatisfy { SCTPChunkScan.chunks(in: $0).map(\.type) == [SCTPChunkScan.initiation] },
                "\(pair.sentByA.map { SCTPChunkScan.chunks(in: $0).map(\.type) })")
        try pair.b.connect()
        let closed = pair.run(timeout: .seconds(5)) { ended(pair.a) && ended(pair.b) }
        #expect(closed, "A \(pair.eventsA) B \(pair.eventsB)")
        #expect(pair.messagesB.map { payloadIndex($0.bytes) } == Array(0..<5))
        #expect(pair.failuresA.isEmpty)
        #expect(pair.a.state == .closed(.shutdown))
        #expect(pair.b.state == .closed(.shutdown))
        let upIndex = pair.eventsA.firstIndex { if case .associationUp = $0 { true } else { false } }
        let closedIndex = pair.eventsA.firstIndex(of: .associationClosed(.shutdown))
        #expect(upIndex != nil && closedIndex != nil && upIndex! < closedIndex!)
    }

    @Test("shutdown of a connecting association whose peer never answers ends with cannotStart")
    func shutdownWhileConnectingToNobody() throws {
        var configuration = SCTPConfiguration.fast()
        configuration.maxInitRetransmissions = 1
        configuration.rtoMax = .milliseconds(100)
        let pair = try SCTPPair(configuration: configuration)
        pair.outage = true
        try pair.a.connect()
        try pair.a.send([1, 2, 3], stream: 0, ppid: 53)
        try pair.a.send(indexedPayload(1, size: 5000), stream: 0, ppid: 51)
        try pair.a.shutdown()
        let closed = pair.run(timeout: .seconds(3)) { ended(pair.a) }
        #expect(closed)
        #expect(pair.a.state == .closed(.cannotStart))
        #expect(pair.failuresA == [SCTPSendFailure(stream: 0, ppid: 53, byteCount: 3, wasTransmitted: false),
                                   SCTPSendFailure(stream: 0, ppid: 51, byteCount: 5000, wasTransmitted: false)])
        #expect(pair.a.statistics.messagesAbandoned == 2)
        #expect(pair.a.bufferedAmount == 0)
    }

    @Test("an abandoned multi-fragment message counts once, as one sendFailed for the bytes that came back")
    func fragmentedAbandonmentCountsOnce() throws {
        let pair = try SCTPPair(seed: 7)
        try pair.connect()
        pair.loss = 0.4
        let count = 30
        let reliability = SCTPSendOptions(unordered: true, reliability: .maxRetransmits(0))
        for index in 0..<count { try pair.a.send(indexedPayload(index, size: 5000), stream: 2, ppid: 53, options: reliability) }
        _ = pair.run(timeout: .seconds(4)) {
            pair.a.statistics.messagesAbandoned + pair.messagesB.count >= count && pair.a.bufferedAmount == 0
        }
        pair.loss = 0
        pair.run(for: .milliseconds(300))
        let failures = pair.failuresA
        let statistics = pair.a.statistics
        #expect(!failures.isEmpty, "40% loss should abandon some 5-fragment messages")
        // usrsctp 0.9.5.0 reported 91 per-fragment failures for these 30 messages.
        #expect(failures.count <= count)
        // Acknowledged fragments do not come back, so a failure covers 1...5000 bytes,
        // and more than one fragment's worth (1,100 bytes at this MTU) at least once.
        #expect(failures.allSatisfy { (1...5000).contains($0.byteCount) && $0.stream == 2 && $0.ppid == 53 }, "\(failures)")
        #expect(failures.contains { $0.byteCount > 1100 }, "\(failures)")
        #expect(statistics.messagesAbandoned == failures.count)
        #expect(statistics.bytesAbandoned == failures.reduce(0) { $0 + $1.byteCount })
    }

    @Test("setting up an association reports no reachability change")
    func quietSetUp() throws {
        let pair = try SCTPPair()
        try pair.connect()
        pair.run(for: .milliseconds(50))
        let reachability = (pair.eventsA + pair.eventsB).filter { if case .pathReachability = $0 { true } else { false } }
        #expect(reachability.isEmpty)
    }

    @Test("reachability is reported on real transitions only: unreachable, then reachable after the outage")
    func reachabilityTransitions() throws {
        let association = try SCTPAssociation()
        func events(_ state: Int32) -> [SCTPEvent] {
            association.apply(.peerAddressChange(state: UInt32(state)))
            var events: [SCTPEvent] = []
            while let output = association.poll() { if case let .event(event) = output { events.append(event) } }
            return events
        }
        #expect(events(SCTP_ADDR_CONFIRMED) == [])
        #expect(events(SCTP_ADDR_AVAILABLE) == [])
        #expect(events(SCTP_ADDR_UNREACHABLE) == [.pathReachability(reachable: false)])
        #expect(events(SCTP_ADDR_UNREACHABLE) == [])
        #expect(events(SCTP_ADDR_AVAILABLE) == [.pathReachability(reachable: true)])
        #expect(events(SCTP_ADDR_CONFIRMED) == [])
    }
}

/// True once the association reached `.closed`, whatever the reason.
private func ended(_ association: SCTPAssociation) -> Bool {
    if case .closed = association.state { true } else { false }
}
