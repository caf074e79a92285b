import Wire

/// What the sender writes at the front of every test message, so the receiver
/// can tell which train it belongs to, where it stood in it, and how long it
/// travelled (both endpoints live in this process and share one monotonic clock).
///
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |    magic 'S'  |  mode index   |          stream index         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |              sequence number on this stream (from 0)          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// +       send time, monotonic nanoseconds (64 bits)              +
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  filler up to --size bytes (a counting pattern) ...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
struct MessageStamp: Equatable {
    /// Bytes before the filler: the smallest allowed --size.
    static let headerSize = 16
    static let magic: UInt8 = 0x53

    /// Index of the mode in the run's mode list.
    var modeIndex: Int
    /// Index of the stream among the mode's streams.
    var streamIndex: Int
    /// Position in the train of this stream.
    var sequence: UInt32
    /// When the sender handed the message to SCTP.
    var sentAt: Instant

    /// The whole message: the stamp, then filler to `size` bytes.
    func message(size: Int) -> [UInt8] {
        var writer = ByteWriter(capacity: max(size, Self.headerSize))
        writer.writeUInt8(Self.magic)
        writer.writeUInt8(UInt8(truncatingIfNeeded: modeIndex))
        writer.writeUInt16(UInt16(truncatingIfNeeded: streamIndex))
        writer.writeUInt32(sequence)
        writer.writeUInt64(UInt64(bitPattern: sentAt.nanoseconds))
        var bytes = writer.bytes
        if size > bytes.count {
            bytes.reserveCapacity(size)
            for index in bytes.count..<size { bytes.append(UInt8(truncatingIfNeeded: index)) }
        }
        return bytes
    }

    /// Reads the stamp of a received message; a message that is not ours gives nil.
    init?(parsing message: [UInt8]) {
        var reader = ByteReader(message)
        guard let magic = try? reader.readUInt8(), magic == Self.magic,
              let mode = try? reader.readUInt8(), let stream = try? reader.readUInt16(),
              let sequence = try? reader.readUInt32(), let sent = try? reader.readUInt64() else { return nil }
        self.init(modeIndex: Int(mode), streamIndex: Int(stream), sequence: sequence,
                  sentAt: Instant(nanoseconds: Int64(bitPattern: sent)))
    }

    init(modeIndex: Int, streamIndex: Int, sequence: UInt32, sentAt: Instant) {
        self.modeIndex = modeIndex
        self.streamIndex = streamIndex
        self.sequence = sequence
        self.sentAt = sentAt
    }

    /// True when the filler after the stamp is the expected pattern (a message that
    /// was cut, merged or corrupted on the way fails this).
    static func fillerIsIntact(_ message: [UInt8]) -> Bool {
        guard message.count > headerSize else { return true }
        for index in headerSize..<message.count where message[index] != UInt8(truncatingIfNeeded: index) { return false }
        return true
    }
}
