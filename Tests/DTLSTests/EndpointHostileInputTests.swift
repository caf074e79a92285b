import Testing
import SDP
import Wire
@testable import DTLS

@Suite("DTLS endpoint: hostile input")
struct EndpointHostileInputTests {
    /// A connected pair and one application-data datagram the client sent (and the server received).
    private func connectedPairWithRecord() throws -> (EndpointPair, [UInt8]) {
        let pair = try EndpointPair()
        #expect(pair.connect())
        try pair.client.send(Array("once".utf8))
        pair.pump()
        let record = try #require(pair.sent.last { $0.direction == .clientToServer }?.payload)
        #expect(applicationData(pair.serverEvents) == [Array("once".utf8)])
        pair.clearEvents()
        return (pair, record)
    }

    /// The association still carries data both ways.
    private func expectAlive(_ pair: EndpointPair) throws {
        pair.clearEvents()
        try pair.client.send([7])
        try pair.server.send([8])
        pair.pump()
        #expect(applicationData(pair.serverEvents) == [[7]])
        #expect(applicationData(pair.clientEvents) == [[8]])
    }

    @Test("a replayed application-data record is delivered once")
    func replay() throws {
        let (pair, record) = try connectedPairWithRecord()
        for _ in 0..<3 { pair.inject(record, .clientToServer) }
        #expect(applicationData(pair.serverEvents).isEmpty)
        #expect(!hasFailed(pair.serverEvents) && alerts(pair.serverEvents).isEmpty)
        try expectAlive(pair)
    }

    @Test("truncated records are dropped and the association survives")
    func truncated() throws {
        let (pair, record) = try connectedPairWithRecord()
        for length in [1, 5, 12, 13, 14, record.count / 2, record.count - 1] {
            pair.inject(Array(record.prefix(length)), .clientToServer)
        }
        // A header that claims more bytes than the datagram holds.
        var overlong = record
        overlong[11] = 0xFF
        overlong[12] = 0xFF
        pair.inject(overlong, .clientToServer)
        #expect(applicationData(pair.serverEvents).isEmpty)
        #expect(!hasFailed(pair.serverEvents))
        try expectAlive(pair)
    }

    @Test("forged and garbage datagrams are dropped without a crash")
    func garbage() throws {
        let (pair, record) = try connectedPairWithRecord()
        var random = SplitMix64(seed: 0xD71500)
        for _ in 0..<200 {
            let length = Int(random.next() % 300)
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            // Aim most of them at the DTLS range of RFC 7983 so OpenSSL sees them.
            if !bytes.isEmpty, random.next() % 4 != 0 { bytes[0] = UInt8(20 + random.next() % 44) }
            pair.inject(bytes, .clientToServer)
            pair.inject(bytes, .serverToClient)
        }
        // A real record with one flipped ciphertext bit fails authentication.
        var flipped = record
        flipped[flipped.count - 20] ^= 0x01
        // A record in epoch 0 (plaintext) after the handshake, and one from a future epoch.
        var staleEpoch = record
        staleEpoch[3] = 0; staleEpoch[4] = 0
        var futureEpoch = record
        futureEpoch[4] = 9
        // Far larger than any record: the BIO cuts it like recvfrom would.
        let oversized = [UInt8(23), 0xFE, 0xFD, 0, 1] + [UInt8](repeating: 0x41, count: 70_000)
        for forged in [flipped, staleEpoch, futureEpoch, oversized] { pair.inject(forged, .clientToServer) }
        // Not DTLS at all (a STUN binding request's first byte): never reaches OpenSSL.
        let dropped = pair.server.droppedDatagramCount
        pair.inject([0x00, 0x01, 0x00, 0x00], .clientToServer)
        #expect(pair.server.droppedDatagramCount == dropped + 1)
        #expect(applicationData(pair.serverEvents).isEmpty && applicationData(pair.clientEvents).isEmpty)
        #expect(!hasFailed(pair.serverEvents) && !hasFailed(pair.clientEvents))
        try expectAlive(pair)
    }

    @Test("garbage before and during the handshake does not stop it")
    func garbageDuringHandshake() throws {
        let pair = try EndpointPair()
        var random = SplitMix64(seed: 42)
        pair.filter = { direction, _, payload in
            // Each real datagram travels behind a junk one and a truncated copy of itself.
            let junk = [UInt8(22)] + (0..<40).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            return [junk, Array(payload.prefix(payload.count / 2)), payload]
        }
        pair.server.handle(.datagram(Datagram(from: EndpointPair.clientAddress, to: EndpointPair.serverAddress,
                                              payload: [22, 0xFE, 0xFD, 0, 0]), at: pair.now))
        #expect(pair.connect())
    }

    @Test("a duplicated handshake flight is absorbed")
    func duplicatedFlights() throws {
        let pair = try EndpointPair()
        pair.filter = { _, _, payload in [payload, payload] }
        #expect(pair.connect())
        try expectAlive(pair)
    }

    @Test("input after a failure or close is ignored")
    func inputAfterEnd() throws {
        let (pair, record) = try connectedPairWithRecord()
        pair.server.close()
        pair.pump()
        pair.clearEvents()
        pair.inject(record, .clientToServer)
        pair.server.handle(.timeout(pair.now))
        #expect(pair.server.poll() == nil)
        #expect(pair.server.nextTimeout == nil)
    }
}
