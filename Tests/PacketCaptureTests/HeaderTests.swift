import Testing
import Wire
@testable import PacketCapture

@Suite("synthesised IP and UDP headers")
struct HeaderTests {
    let v4Datagram = Datagram(from: TransportAddress(.loopbackV4, 1000), to: TransportAddress(.loopbackV4, 2000),
                              payload: [1, 2, 3, 4, 5])
    let v6Datagram = Datagram(from: TransportAddress(.loopbackV6, 1000),
                              to: TransportAddress(IPAddress("2001:db8::1")!, 2000), payload: [1, 2, 3, 4, 5])

    @Test("the Internet checksum matches RFC 1071's worked example")
    func rfc1071() {
        // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2; the checksum is its complement.
        #expect(InternetChecksum.compute([0x00, 0x01, 0xF2, 0x03, 0xF4, 0xF5, 0xF6, 0xF7]) == 0x220D)
        var pieces = InternetChecksum()
        pieces.add([0x00, 0x01, 0xF2])
        pieces.add([0x03, 0xF4, 0xF5, 0xF6, 0xF7])
        #expect(pieces.value == 0x220D)
        #expect(InternetChecksum.compute([0xAB]) == ~UInt16(0xAB00))
    }

    @Test("an IPv4 header checksum matches a textbook header (192.168.0.1 -> 192.168.0.199)")
    func ipv4Vector() {
        let header = IPv4Header(source: [192, 168, 0, 1], destination: [192, 168, 0, 199],
                                payloadLength: 0x73 - 20, identification: 0)
        var writer = ByteWriter()
        header.encode(into: &writer)
        #expect(Hex.encode(writer.bytes) == "450000730000400040110000c0a80001c0a800c7".replacingB861())
        #expect(header.headerChecksum == 0xB861)
        #expect(header.isChecksumValid)
    }

    @Test("an IPv4/UDP packet is byte-exact, checksums included")
    func ipv4Packet() throws {
        let packet = try CapturedPacket.synthesize(v4Datagram, identification: 1)
        // Checksums computed independently (Python, RFC 1071 arithmetic).
        let expected = "4500" + "0021" + "0001" + "4000" + "40" + "11" + "3cc9" + "7f000001" + "7f000001"
            + "03e8" + "07d0" + "000d" + "ed13" + "0102030405"
        #expect(Hex.encode(packet) == expected)
        let parsed = try CapturedPacket(parsing: packet)
        #expect(parsed.isIPChecksumValid)
        #expect(parsed.isUDPChecksumValid)
        #expect(parsed.datagram == v4Datagram)
    }

    @Test("an IPv6/UDP packet is byte-exact, with the RFC 8200 pseudo-header checksum")
    func ipv6Packet() throws {
        let packet = try CapturedPacket.synthesize(v6Datagram)
        let expected = "60000000" + "000d" + "11" + "40" + "00000000000000000000000000000001"
            + "20010db8000000000000000000000001" + "03e8" + "07d0" + "000d" + "bd5b" + "0102030405"
        #expect(Hex.encode(packet) == expected)
        let parsed = try CapturedPacket(parsing: packet)
        #expect(parsed.isUDPChecksumValid)
        #expect(parsed.datagram == v6Datagram)
    }

    @Test("a UDP checksum that computes to 0 is sent as 0xFFFF and still verifies")
    func zeroChecksum() throws {
        let probe = Datagram(from: TransportAddress(.loopbackV4, 7), to: TransportAddress(.loopbackV4, 9), payload: [0, 0])
        let base = UDPHeader(source: probe.source, destination: probe.destination, payload: probe.payload).checksum
        // Adding the checksum of the [0, 0] variant as the payload word makes the sum 0xFFFF, so the result is 0.
        let tuned = Datagram(from: probe.source, to: probe.destination, payload: [UInt8(base >> 8), UInt8(base & 0xFF)])
        let header = UDPHeader(source: tuned.source, destination: tuned.destination, payload: tuned.payload)
        #expect(header.checksum == 0xFFFF)
        let parsed = try CapturedPacket(parsing: try CapturedPacket.synthesize(tuned))
        #expect(parsed.isUDPChecksumValid)
    }

    @Test("a corrupted byte fails the checksums")
    func corruption() throws {
        var packet = try CapturedPacket.synthesize(v4Datagram)
        packet[packet.count - 1] ^= 0xFF
        #expect(!(try CapturedPacket(parsing: packet)).isUDPChecksumValid)
        var header = try CapturedPacket.synthesize(v4Datagram)
        header[8] = 1 // TTL
        #expect(!(try CapturedPacket(parsing: header)).isIPChecksumValid)
    }

    @Test("datagrams that cannot be one IP packet are refused with a typed error")
    func refusals() {
        let mixed = Datagram(from: TransportAddress(.loopbackV4, 1), to: TransportAddress(.loopbackV6, 2), payload: [])
        #expect { try CapturedPacket.synthesize(mixed) } throws: {
            ($0 as? PacketCaptureError)?.code == .unsupportedDatagram
        }
        let huge = Datagram(from: TransportAddress(.loopbackV4, 1), to: TransportAddress(.loopbackV4, 2),
                            payload: [UInt8](repeating: 0, count: 65_508))
        #expect { try CapturedPacket.synthesize(huge) } throws: {
            ($0 as? PacketCaptureError)?.code == .unsupportedDatagram
        }
        var largest = huge
        largest.payload.removeLast()
        #expect((try? CapturedPacket.synthesize(largest))?.count == 65_535)
    }

    @Test("every prefix of a packet parses or fails with a typed error, never traps")
    func prefixes() throws {
        for packet in [try CapturedPacket.synthesize(v4Datagram), try CapturedPacket.synthesize(v6Datagram)] {
            for length in 0..<packet.count {
                #expect(throws: PacketCaptureError.self) { try CapturedPacket(parsing: Array(packet.prefix(length))) }
            }
        }
        #expect(throws: PacketCaptureError.self) { try CapturedPacket(parsing: [0x45] + [UInt8](repeating: 0xFF, count: 40)) }
        #expect(throws: PacketCaptureError.self) { try CapturedPacket(parsing: [0x70, 0, 0, 0]) }
    }
}

private extension String {
    /// The textbook header with its known checksum b861 filled in.
    func replacingB861() -> String {
        String(prefix(20)) + "b861" + String(dropFirst(24))
    }
}
