import Testing
import Wire
@testable import SCTP

@Suite("Hostile input")
struct HostileInputTests {
    /// Captures real packets from A to B (handshake and data) to mutate.
    private func capturedPackets() throws -> (SCTPPair, [[UInt8]]) {
        let pair = try SCTPPair()
        try pair.connect()
        try pair.a.send(indexedPayload(1, size: 3000), stream: 4, ppid: 53)
        var packets: [[UInt8]] = []
        while let output = pair.a.poll() { if case let .transmit(packet) = output { packets.append(packet) } }
        for packet in packets { pair.b.handle(packet: packet) }
        #expect(pair.run(timeout: .seconds(5)) { pair.messagesB.count == 1 })
        return (pair, packets)
    }

    @Test("garbage, truncated and bit-flipped packets are dropped; the association keeps working")
    func garbage() throws {
        let (pair, packets) = try capturedPackets()
        var random = SplitMix64(seed: 2024)
        let droppedBefore = pair.b.statistics.packetsDropped
        // Shorter than the common header, or oversized: refused before usrsctp.
        pair.b.handle(packet: [])
        pair.b.handle(packet: [0x13])
        pair.b.handle(packet: [UInt8](repeating: 0xFF, count: 11))
        pair.b.handle(packet: [UInt8](repeating: 0, count: 70_000))
        #expect(pair.b.statistics.packetsDropped == droppedBefore + 4)
        // Random bytes, truncations and bit flips: usrsctp's CRC32c check drops them.
        for _ in 0..<300 {
            let length = Int.random(in: 12...1500, using: &random)
            pair.b.handle(packet: (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) })
        }
        for packet in packets {
            for cut in stride(from: 12, to: packet.count, by: 7) { pair.b.handle(packet: Array(packet[..<cut])) }
            for _ in 0..<50 {
                var flipped = packet
                let bit = Int.random(in: 0..<(flipped.count * 8), using: &random)
                flipped[bit / 8] ^= 1 << (bit % 8)
                pair.b.handle(packet: flipped)
            }
        }
        // Replays of old packets are harmless duplicates.
        for packet in packets { pair.b.handle(packet: packet) }
        try pair.a.send(indexedPayload(2), stream: 4, ppid: 53)
        #expect(pair.run(timeout: .seconds(5)) { pair.messagesB.count == 2 })
        #expect(pair.b.state == .established)
        #expect(pair.messagesB.map { payloadIndex($0.bytes) } == [1, 2])
    }

    @Test("chunks of random content behind a valid header and checksum never crash")
    func validChecksumFuzz() throws {
        let (pair, packets) = try capturedPackets()
        var random = SplitMix64(seed: 77)
        let header = Array(packets.last!.prefix(12))
        // The checksum is placed as usrsctp places it, so these packets reach its chunk parser.
        #expect(SCTPChecksum.isValid(packets.last!))
        let types: [UInt8] = [0, 3, 4, 5, 9, 11, 12, 13, 15, 130, 192, 0x3F, 0x7F, 0xBF, 0xFF]
        for _ in 0..<400 {
            var packet = header
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let body = (0..<Int.random(in: 0...40, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                let declared = UInt16(4 + body.count) &+ UInt16.random(in: 0...2, using: &random) &- 1
                packet += [types.randomElement(using: &random)!, UInt8.random(in: 0...255, using: &random),
                           UInt8(declared >> 8), UInt8(declared & 0xFF)] + body
                while packet.count % 4 != 0 { packet.append(0) }
            }
            pair.b.handle(packet: SCTPChecksum.sealed(packet))
            pair.pump()
        }
        // Whatever the fuzz did (a protocol-violation ABORT is a legitimate answer),
        // the association is either alive or cleanly closed, and reports it.
        pair.run(for: .milliseconds(100))
        switch pair.b.state {
        case .closed: #expect(pair.eventsB.contains { if case .associationClosed = $0 { return true } else { return false } })
        default: #expect(pair.b.statistics.packetsReceived > 400)
        }
    }
}
