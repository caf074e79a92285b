import Foundation
import Testing
import Wire
@testable import PacketCapture

@Suite("pcap files")
struct PcapFileTests {
    static let sample: [Datagram] = [
        Datagram(from: TransportAddress(.loopbackV4, 40000), to: TransportAddress(.loopbackV4, 3478),
                 payload: [0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42] + [UInt8](repeating: 7, count: 12)),
        Datagram(from: TransportAddress(.loopbackV4, 3478), to: TransportAddress(.loopbackV4, 40000), payload: [9, 9, 9]),
        Datagram(from: TransportAddress(.loopbackV6, 5000), to: TransportAddress(.loopbackV6, 6000), payload: [1]),
    ]

    @Test("the file header is classic pcap 2.4, big-endian, LINKTYPE_RAW, snaplen 65535")
    func fileHeader() throws {
        #expect(Hex.encode(try PcapEncoder().fileHeader) == "a1b2c3d4" + "0002" + "0004" + "00000000" + "00000000"
            + "0000ffff" + "00000065")
        #expect(Hex.encode(try PcapEncoder(linkType: .ipv4).fileHeader).hasSuffix("000000e4"))
        #expect(Hex.encode(try PcapEncoder(linkType: .ipv6).fileHeader).hasSuffix("000000e5"))
    }

    @Test("a record header carries seconds, microseconds and both lengths")
    func recordHeader() throws {
        var encoder = try PcapEncoder()
        let record = try encoder.record(for: Self.sample[1], unixNanoseconds: 1_700_000_000_123_456_789)
        #expect(Hex.encode(record.prefix(16)) == "6553f100" + "0001e240" + "0000001f" + "0000001f")
        #expect(record.count == 16 + 20 + 8 + 3)
        #expect(Array(record[16 + 4..<16 + 6]) == [0, 1]) // first IPv4 identification is 1
        let second = try encoder.record(for: Self.sample[1], unixNanoseconds: 0)
        #expect(Array(second[16 + 4..<16 + 6]) == [0, 2])
    }

    @Test("what the writer puts in a file, the reader gives back with valid checksums")
    func roundTrip() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("probe-\(UUID().uuidString).pcap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try PcapFile(path: path, unixNanosecondsAtInstantZero: 1_700_000_000_000_000_000)
        for (index, datagram) in Self.sample.enumerated() {
            try file.write(datagram, at: .milliseconds(Int64(index) * 250))
        }
        #expect(file.recordCount == 3)
        file.close()
        let reader = try PcapReader(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(reader.header.linkType == .raw)
        #expect(!reader.header.littleEndian)
        #expect(reader.records.map(\.fraction) == [0, 250_000, 500_000])
        #expect(reader.records.allSatisfy { $0.seconds == 1_700_000_000 })
        let packets = try reader.packets()
        #expect(packets.map(\.datagram) == Self.sample)
        #expect(packets.allSatisfy { $0.isIPChecksumValid && $0.isUDPChecksumValid })
    }

    @Test("an IPv4-only file refuses an IPv6 datagram")
    func linkTypeLimits() throws {
        var encoder = try PcapEncoder(linkType: .ipv4)
        #expect(throws: PacketCaptureError.self) { try encoder.record(for: Self.sample[2], unixNanoseconds: 0) }
        #expect(throws: PacketCaptureError.self) { try PcapEncoder(linkType: PcapLinkType(rawValue: 1)) }
    }

    @Test("the reader accepts little-endian files as libpcap writes them on x86")
    func littleEndian() throws {
        let packet = try CapturedPacket.synthesize(Self.sample[0])
        var bytes: [UInt8] = [0xD4, 0xC3, 0xB2, 0xA1, 2, 0, 4, 0] + [UInt8](repeating: 0, count: 8)
            + [0xFF, 0xFF, 0, 0, 101, 0, 0, 0]
        bytes += [1, 0, 0, 0, 2, 0, 0, 0] + [UInt8(packet.count), 0, 0, 0, UInt8(packet.count), 0, 0, 0] + packet
        let reader = try PcapReader(bytes: bytes)
        #expect(reader.header.littleEndian)
        #expect(reader.header.linkType == .raw)
        #expect(reader.records.first?.seconds == 1)
        #expect(reader.records.first?.fraction == 2)
        #expect(try reader.packets().map(\.datagram) == [Self.sample[0]])
    }

    @Test("a file cut anywhere is a typed error or fewer records, never a trap")
    func truncation() throws {
        var encoder = try PcapEncoder()
        var bytes = encoder.fileHeader
        for datagram in Self.sample { bytes += try encoder.record(for: datagram, unixNanoseconds: 0) }
        let boundaries: Set<Int> = [24, 24 + 16 + 48, 24 + 16 + 48 + 16 + 31, bytes.count]
        for length in 0...bytes.count {
            if boundaries.contains(length) {
                #expect(throws: Never.self) { try PcapReader(bytes: Array(bytes.prefix(length))) }
            } else {
                #expect(throws: PacketCaptureError.self) { try PcapReader(bytes: Array(bytes.prefix(length))) }
            }
        }
        #expect(throws: PacketCaptureError.self) { try PcapReader(bytes: [0x0A, 0x0D, 0x0D, 0x0A] + bytes.dropFirst(4)) }
    }
}
