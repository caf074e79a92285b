import Testing
@testable import Wire

@Suite("byte reader and writer")
struct ByteCodecTests {
    @Test("writes and reads big-endian integers")
    func roundTrip() throws {
        var writer = ByteWriter()
        writer.writeUInt8(0xAB)
        writer.writeUInt16(0x2112)
        writer.writeUInt32(0x2112_A442)
        writer.writeUInt64(0x0102_0304_0506_0708)
        #expect(writer.bytes == [0xAB, 0x21, 0x12, 0x21, 0x12, 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8])
        var reader = ByteReader(writer.bytes)
        #expect(try reader.readUInt8() == 0xAB)
        #expect(try reader.readUInt16() == 0x2112)
        #expect(try reader.readUInt32() == 0x2112_A442)
        #expect(try reader.readUInt64() == 0x0102_0304_0506_0708)
        #expect(reader.isAtEnd)
    }

    @Test("rejects a read past the end with a typed error naming the offset")
    func truncated() {
        var reader = ByteReader([1, 2, 3])
        _ = try? reader.readUInt16()
        #expect(throws: WireError.truncated(needed: 4, available: 1, offset: 2)) { try reader.readUInt32() }
        #expect(throws: WireError.truncated(needed: 2, available: 1, offset: 2)) { try reader.readBytes(2) }
        // A negative count (e.g. a length field underflow) must not trap either.
        #expect(throws: WireError.self) { try reader.readBytes(-1) }
    }

    @Test("a sub-reader cannot read past its own range")
    func subReader() throws {
        var reader = ByteReader([0, 1, 2, 3, 4, 5])
        try reader.skip(1)
        var sub = try reader.subReader(2)
        #expect(sub.offset == 1)
        #expect(try sub.readUInt16() == 0x0102)
        #expect(throws: WireError.self) { try sub.readUInt8() }
        #expect(try reader.readUInt8() == 3)
    }

    @Test("pads to a multiple of four and patches a length")
    func padAndPatch() {
        var writer = ByteWriter()
        writer.writeUInt16(0)
        writer.writeBytes([1, 2, 3])
        writer.pad(toMultipleOf: 4)
        #expect(writer.count == 8)
        writer.patchUInt16(0xBEEF, at: 0)
        #expect(writer.bytes == [0xBE, 0xEF, 1, 2, 3, 0, 0, 0])
    }

    @Test("hex encodes and decodes with separators")
    func hex() {
        #expect(Hex.encode([0x21, 0x12, 0xA4, 0x42]) == "2112a442")
        #expect(Hex.encode([0xDE, 0xAD], separator: ":") == "de:ad")
        #expect(Hex.decode("21:12 a4-42") == [0x21, 0x12, 0xA4, 0x42])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
    }
}
