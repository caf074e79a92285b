/// A bounds-checked, big-endian (network order) reader over a byte buffer.
///
/// Every read checks the remaining length first and throws
/// `WireError.truncated` rather than trapping, because every byte it sees may
/// come from a hostile peer. `offset` is absolute within the original buffer so
/// that tools can show field positions like a packet dissector does.
public struct ByteReader: Sendable {
    /// The whole buffer being read.
    public let bytes: [UInt8]
    /// Absolute position of the next byte to read.
    public private(set) var offset: Int
    /// One past the last readable byte (a reader may be limited to a sub-range).
    public let endOffset: Int

    /// Creates a reader over all of `bytes`.
    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.offset = 0
        self.endOffset = bytes.count
    }

    /// Creates a reader over `bytes[range]`, keeping absolute offsets.
    public init(_ bytes: [UInt8], range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "range outside buffer")
        self.bytes = bytes
        self.offset = range.lowerBound
        self.endOffset = range.upperBound
    }

    /// Bytes left to read.
    public var remaining: Int { endOffset - offset }

    /// True when nothing is left.
    public var isAtEnd: Bool { offset >= endOffset }

    private func require(_ count: Int) throws {
        guard count >= 0, count <= remaining else {
            throw WireError.truncated(needed: count, available: remaining, offset: offset)
        }
    }

    /// Reads one byte.
    public mutating func readUInt8() throws -> UInt8 {
        try require(1)
        defer { offset += 1 }
        return bytes[offset]
    }

    /// Reads a big-endian 16-bit integer.
    public mutating func readUInt16() throws -> UInt16 {
        try require(2)
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    /// Reads a big-endian 32-bit integer.
    public mutating func readUInt32() throws -> UInt32 {
        try require(4)
        var value: UInt32 = 0
        for index in 0..<4 { value = value << 8 | UInt32(bytes[offset + index]) }
        offset += 4
        return value
    }

    /// Reads a big-endian 64-bit integer.
    public mutating func readUInt64() throws -> UInt64 {
        try require(8)
        var value: UInt64 = 0
        for index in 0..<8 { value = value << 8 | UInt64(bytes[offset + index]) }
        offset += 8
        return value
    }

    /// Reads `count` bytes.
    public mutating func readBytes(_ count: Int) throws -> [UInt8] {
        try require(count)
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// Skips `count` bytes.
    public mutating func skip(_ count: Int) throws {
        try require(count)
        offset += count
    }

    /// Returns the next byte without consuming it.
    public func peekUInt8() throws -> UInt8 {
        try require(1)
        return bytes[offset]
    }

    /// Splits off a reader for the next `count` bytes and advances past them.
    /// Used for TLV values: the sub-reader cannot read past its own value.
    public mutating func subReader(_ count: Int) throws -> ByteReader {
        try require(count)
        defer { offset += count }
        return ByteReader(bytes, range: offset..<offset + count)
    }

    /// All bytes not read yet (consumes them).
    public mutating func readRemaining() -> [UInt8] {
        defer { offset = endOffset }
        return Array(bytes[offset..<endOffset])
    }
}
