import Testing
import Wire
@testable import STUN

@Suite("TURN ChannelData framing (RFC 8656 §12.4)")
struct TURNChannelDataTests {
    @Test("encodes channel, length and data; padding only when asked", arguments: [0, 1, 3, 4, 5])
    func encoding(count: Int) throws {
        let data = (0..<count).map { UInt8($0 + 1) }
        let message = try ChannelData(channelNumber: 0x4001, data: data)
        let plain = message.encoded()
        #expect(plain == [0x40, 0x01, 0, UInt8(count)] + data)
        let padded = message.encoded(padded: true)
        #expect(padded.count % 4 == 0 && padded.count == 4 + (count + 3) / 4 * 4)
        #expect(try ChannelData(parsing: plain) == message)
        #expect(try ChannelData(parsing: padded) == message)
        var reader = ByteReader(padded + [0x40, 0x02, 0, 0])
        #expect(try ChannelData(parsing: &reader) == message)
        #expect(try ChannelData(parsing: &reader) == ChannelData(channelNumber: 0x4002, data: []))
        #expect(reader.isAtEnd)
    }

    @Test("every truncation of a message is a typed .truncated error, never a trap")
    func truncation() throws {
        let bytes = try ChannelData(channelNumber: 0x4FFF, data: Array(1...9)).encoded(padded: true)
        for cut in 0..<(4 + 9) {
            #expect(throws: STUNError.self) { try ChannelData(parsing: Array(bytes.prefix(cut))) }
            do { _ = try ChannelData(parsing: Array(bytes.prefix(cut))) } catch let error as STUNError {
                #expect(error.code == .truncated && error.isPeerViolation, "cut \(cut): \(error)")
            }
            var reader = ByteReader(Array(bytes.prefix(cut)))
            #expect(throws: STUNError.self) { try ChannelData(parsing: &reader) }
        }
        // The stream form insists on the padding that a datagram may leave out.
        var reader = ByteReader(Array(bytes.prefix(14)))
        #expect(throws: STUNError.self) { try ChannelData(parsing: &reader) }
    }

    @Test("more than 3 bytes after the data is badLength; channels outside 0x4000-0x4FFF are not ChannelData")
    func rejects() throws {
        do { _ = try ChannelData(parsing: [0x40, 0x00, 0x00, 0x01, 1, 0, 0, 0, 0]) ; Issue.record("accepted 4 trailing bytes") }
        catch let error as STUNError { #expect(error.code == .badLength) }
        for first: UInt8 in [0x00, 0x3F, 0x50, 0x7F, 0xFF] {
            do { _ = try ChannelData(parsing: [first, 0x00, 0x00, 0x00]); Issue.record("accepted 0x\(first)") }
            catch let error as STUNError { #expect(error.code == .notSTUN && error.isPeerViolation) }
        }
        #expect(throws: STUNError.self) { try ChannelData(channelNumber: 0x5000, data: []) }
        #expect(throws: STUNError.self) { try ChannelData(channelNumber: 0x4000, data: [UInt8](repeating: 0, count: 65_536)) }
    }

    @Test("ChannelData's first byte is RFC 7983's TURN-channel range for every valid channel")
    func demux() throws {
        for channel in stride(from: UInt16(0x4000), through: 0x4FFF, by: 0x100) {
            let bytes = try ChannelData(channelNumber: channel, data: [1]).encoded()
            #expect(DemuxedProtocol.classify(bytes) == .turnChannel)
        }
    }

    @Test("seeded random input never traps the datagram or stream parser")
    func hostile() {
        var random = SplitMix64(seed: 8656)
        for _ in 0..<2000 {
            let count = Int(random.next() % 24)
            var bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            if count > 0 { bytes[0] = 0x40 | (bytes[0] & 0x0F) }
            if let parsed = try? ChannelData(parsing: bytes) {
                #expect(parsed.data.count <= bytes.count - 4)
            }
            var reader = ByteReader(bytes)
            while let parsed = try? ChannelData(parsing: &reader), !reader.isAtEnd { _ = parsed }
        }
    }
}
