import Wire

/// A ChannelData message: application data to or from a peer bound to a
/// channel, with 4 bytes of framing instead of a 36+ byte Send/Data indication
/// (RFC 8656 §12.4).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Channel Number        |            Length             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// /                       Application Data                        /
/// /                                                               /
/// |                                                               |
/// |                               +-------------------------------+
/// |                               |
/// +-------------------------------+
/// ```
/// Length counts the application data only. Over TCP the message is padded
/// to a multiple of 4; over UDP padding is optional (RFC 8656 §12.5), so a
/// receiver accepts up to 3 trailing bytes after the data, and a sender may
/// leave them out. Channel numbers are 0x4000-0x4FFF, which puts the first
/// byte in RFC 7983's 64-79 slot: that is how ChannelData is told apart from
/// STUN, DTLS and RTP on the one shared port.
public struct ChannelData: Hashable, Sendable {
    /// The channel (0x4000-0x4FFF).
    public var channelNumber: UInt16
    /// The application data.
    public var data: [UInt8]

    /// The framing bytes before the data.
    public static let headerSize = 4

    /// Creates a message; a number outside 0x4000-0x4FFF or more than 65 535
    /// data bytes is API misuse (`.invalidArgument`).
    public init(channelNumber: UInt16, data: [UInt8]) throws {
        guard ChannelNumber.validRange.contains(channelNumber) else {
            throw STUNError(.invalidArgument, "channel number 0x\(STUNFormat.hex(channelNumber, digits: 4)) is outside 0x4000-0x4FFF")
        }
        guard data.count <= Int(UInt16.max) else {
            throw STUNError(.invalidArgument, "ChannelData carries at most 65535 bytes, got \(data.count)")
        }
        self.channelNumber = channelNumber
        self.data = data
    }

    /// Reads one message from a stream, consuming the data and its padding to 4
    /// (RFC 8656 §12.5: over TCP the padding is mandatory).
    /// A channel number outside 0x4000-0x4FFF is `.notSTUN` (these bytes belong to
    /// another protocol); missing bytes are `.truncated`. Both are peer violations.
    public init(parsing reader: inout ByteReader) throws {
        let start = reader.offset
        do {
            let number = try reader.readUInt16()
            try Self.checkNumber(number, offset: start)
            let length = Int(try reader.readUInt16())
            guard length <= reader.remaining else {
                throw STUNError(.truncated, "ChannelData announces \(length) byte(s), only \(reader.remaining) follow", offset: start + 2)
            }
            channelNumber = number
            data = try reader.readBytes(length)
            let padding = (4 - length % 4) % 4
            guard padding <= reader.remaining else {
                throw STUNError(.truncated, "ChannelData is missing \(padding - reader.remaining) padding byte(s)", offset: reader.offset)
            }
            try reader.skip(padding)
        } catch let error as STUNError {
            throw error
        } catch {
            throw STUNError.from(error, context: "ChannelData at offset \(start)")
        }
    }

    /// Parses one whole UDP datagram: the data may be followed by at most 3
    /// padding bytes. Fewer bytes than the length announces is `.truncated`
    /// (RFC 8656 §12.5: discard), more than length plus padding is `.badLength`.
    public init(parsing datagram: [UInt8]) throws {
        guard datagram.count >= Self.headerSize else {
            throw STUNError(.truncated, "\(datagram.count) byte(s) cannot hold the 4-byte ChannelData header")
        }
        let number = UInt16(datagram[0]) << 8 | UInt16(datagram[1])
        try Self.checkNumber(number, offset: 0)
        let length = Int(UInt16(datagram[2]) << 8 | UInt16(datagram[3]))
        let available = datagram.count - Self.headerSize
        guard length <= available else {
            throw STUNError(.truncated, "ChannelData announces \(length) byte(s), the datagram holds \(available)", offset: 2)
        }
        guard available - length <= 3 else {
            throw STUNError(.badLength, "ChannelData announces \(length) byte(s), the datagram holds \(available): more than padding", offset: 2)
        }
        channelNumber = number
        data = Array(datagram[Self.headerSize..<Self.headerSize + length])
    }

    /// Appends header, data and, when `padded`, zero padding to 4 (needed over TCP, optional over UDP).
    public func encode(into writer: inout ByteWriter, padded: Bool = false) {
        writer.writeUInt16(channelNumber)
        writer.writeUInt16(UInt16(truncatingIfNeeded: data.count))
        writer.writeBytes(data)
        if padded { writer.writeBytes([UInt8](repeating: 0, count: (4 - data.count % 4) % 4)) }
    }

    /// The encoded bytes (unpadded unless asked).
    public func encoded(padded: Bool = false) -> [UInt8] {
        var writer = ByteWriter(capacity: Self.headerSize + data.count + 3)
        encode(into: &writer, padded: padded)
        return writer.bytes
    }

    private static func checkNumber(_ number: UInt16, offset: Int) throws {
        guard ChannelNumber.validRange.contains(number) else {
            throw STUNError(.notSTUN, "0x\(STUNFormat.hex(number, digits: 4)) is not a ChannelData channel (0x4000-0x4FFF, RFC 7983 first byte 64-79)", offset: offset)
        }
    }
}
