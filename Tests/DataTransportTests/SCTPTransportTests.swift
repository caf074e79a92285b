import DataTransport
import DTLS
import SCTP
import Testing
import Wire

@Suite("SCTPTransport: SCTP over DTLS, in memory")
struct SCTPTransportTests {
    @Test("DTLS connects first, then the association comes up on both sides and a message crosses each way")
    func handshakeAssociationAndMessages() throws {
        let pair = try TransportPair()
        #expect(pair.connect(), "association not up: client \(pair.client.association.state), server \(pair.server.association.state)")
        // The order on each side: DTLS connected before SCTP's association came up.
        for events in [pair.clientEvents, pair.serverEvents] {
            let dtlsUp = events.firstIndex { if case .dtls(.connected) = $0 { true } else { false } }
            let sctpUp = events.firstIndex { if case .sctp(.associationUp) = $0 { true } else { false } }
            #expect(dtlsUp != nil && sctpUp != nil && dtlsUp! < sctpUp!)
        }
        try pair.client.send(Array("ping over SCTP over DTLS".utf8), stream: 2, ppid: 51)
        try pair.server.send(Array("pong".utf8), stream: 1, ppid: 51, options: SCTPSendOptions(unordered: true))
        pair.run { !pair.messages(pair.serverEvents).isEmpty && !pair.messages(pair.clientEvents).isEmpty }
        #expect(pair.messages(pair.serverEvents) == [SCTPMessage(stream: 2, ppid: 51, bytes: Array("ping over SCTP over DTLS".utf8), unordered: false)])
        #expect(pair.messages(pair.clientEvents) == [SCTPMessage(stream: 1, ppid: 51, bytes: Array("pong".utf8), unordered: true)])
        #expect(pair.client.undeliverablePacketCount == 0 && pair.server.undeliverablePacketCount == 0)
    }

    @Test("a 256 KiB message arrives intact, and no datagram exceeds the 1200-byte DTLS MTU")
    func largeMessageWithinMTU() throws {
        let pair = try TransportPair()
        #expect(pair.connect())
        let message = (0..<262_144).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
        try pair.client.send(message, stream: 0, ppid: 53)
        pair.run { !pair.messages(pair.serverEvents).isEmpty }
        let received = pair.messages(pair.serverEvents)
        #expect(received.count == 1)
        #expect(received.first?.bytes == message, "got \(received.first?.bytes.count ?? 0) bytes")
        // 256 KiB in at most 1128-byte SCTP packets: hundreds of datagrams, none above the MTU.
        #expect(pair.datagramSizes.count > 230)
        #expect(pair.datagramSizes.max() ?? 0 <= 1200, "largest datagram \(pair.datagramSizes.max() ?? 0)")
        #expect(pair.datagramSizes.max() ?? 0 > 1100, "packets should be filled up to the SCTP path MTU")
    }

    @Test("sending before the association is up is refused with notConnected; a too-large message with SCTP's reason")
    func refusals() throws {
        let pair = try TransportPair()
        #expect(throws: DataTransportError.self) { try pair.client.send([1], stream: 0, ppid: 53) }
        do {
            try pair.client.send([1], stream: 0, ppid: 53)
        } catch {
            #expect(error.code == .notConnected)
        }
        #expect(pair.connect())
        do {
            try pair.client.send([UInt8](repeating: 7, count: 262_145), stream: 0, ppid: 53)
            Issue.record("a 256 KiB + 1 message was accepted")
        } catch {
            #expect(error.code == .sctpRefused)
            #expect(error.sctpError?.code == .messageTooLarge)
        }
    }

    @Test("an SCTP path MTU that cannot fit one DTLS record is refused when the transport is made")
    func pathMTUTooLarge() throws {
        var sctp = TransportPair.fastTimers
        sctp.pathMTU = 1180
        #expect(throws: DataTransportError.self) { try TransportPair(sctp: sctp) }
    }

    @Test("close() shuts SCTP down gracefully, then DTLS: both sides report the shutdown and close_notify")
    func gracefulClose() throws {
        let pair = try TransportPair()
        #expect(pair.connect())
        pair.client.close()
        func closed(_ events: [DataTransportEvent]) -> (sctp: Bool, dtls: Bool) {
            (events.contains { if case .sctp(.associationClosed(.shutdown)) = $0 { true } else { false } },
             events.contains { if case .dtls(.closed) = $0 { true } else { false } })
        }
        pair.run { closed(pair.clientEvents) == (true, true) && closed(pair.serverEvents) == (true, true) }
        #expect(closed(pair.clientEvents) == (true, true))
        #expect(closed(pair.serverEvents) == (true, true))
        #expect(!pair.client.isEstablished && !pair.server.isEstablished)
    }
}
