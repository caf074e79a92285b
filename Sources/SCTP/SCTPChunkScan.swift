import Wire

/// A read-only walk over an SCTP packet's chunks: just enough to account for what
/// usrsctp transmits (first transmissions of DATA, for `bufferedAmount`) and to
/// notice an inbound ABORT. usrsctp itself parses and validates every packet; this
/// never decides anything about the protocol.
///
/// Common header (RFC 9260 §3.1) and chunk layout (§3.2):
/// ```
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Source Port Number        |     Destination Port Number   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      Verification Tag                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                           Checksum                            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |   Chunk Type  | Chunk  Flags  |        Chunk Length           |  (repeated,
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+   padded to 4)
/// \                         Chunk Value                           /
/// ```
/// DATA chunk value (§3.3.1), after the 4-byte chunk header:
/// ```
/// |                              TSN                              |
/// |      Stream Identifier S      |   Stream Sequence Number n    |
/// |                  Payload Protocol Identifier                  |
/// \                 User Data (seq n of Stream S)                 /
/// ```
struct SCTPChunkScan {
    /// One chunk's type and where its value sits in the packet.
    struct Chunk: Equatable {
        var type: UInt8
        var flags: UInt8
        /// Offset of the chunk header.
        var offset: Int
        /// The chunk length field (header included, padding excluded).
        var length: Int
    }

    /// A DATA chunk's accounting facts.
    struct DataChunk: Equatable {
        var tsn: UInt32
        var stream: UInt16
        var userDataLength: Int
    }

    /// Chunk type DATA (RFC 9260 §3.3.1).
    static let data: UInt8 = 0
    /// Chunk type ABORT (RFC 9260 §3.3.7).
    static let abort: UInt8 = 6
    /// Size of the common header.
    static let commonHeaderLength = 12

    /// The packet's chunks, stopping quietly at the first malformed one (hostile input
    /// yields fewer chunks, never a trap).
    static func chunks(in packet: [UInt8]) -> [Chunk] {
        var reader = ByteReader(packet)
        guard (try? reader.skip(commonHeaderLength)) != nil else { return [] }
        var found: [Chunk] = []
        while reader.remaining >= 4 {
            let offset = reader.offset
            guard let type = try? reader.readUInt8(), let flags = try? reader.readUInt8(),
                  let length = try? reader.readUInt16(), length >= 4 else { break }
            let padded = (Int(length) + 3) & ~3
            guard offset + Int(length) <= packet.count else { break }
            found.append(Chunk(type: type, flags: flags, offset: offset, length: Int(length)))
            guard (try? reader.skip(min(padded - 4, reader.remaining))) != nil else { break }
        }
        return found
    }

    /// The DATA chunks of a packet.
    static func dataChunks(in packet: [UInt8]) -> [DataChunk] {
        chunks(in: packet).compactMap { chunk in
            guard chunk.type == data, chunk.length >= 16 else { return nil }
            var reader = ByteReader(packet, range: (chunk.offset + 4)..<(chunk.offset + chunk.length))
            guard let tsn = try? reader.readUInt32(), let stream = try? reader.readUInt16() else { return nil }
            return DataChunk(tsn: tsn, stream: stream, userDataLength: chunk.length - 16)
        }
    }

    /// True when the packet carries a chunk of this type.
    static func contains(_ type: UInt8, in packet: [UInt8]) -> Bool {
        chunks(in: packet).contains { $0.type == type }
    }

    /// Serial-number comparison for TSNs (RFC 9260 §1.6, RFC 1982): is `a` after `b`?
    static func isNewer(_ a: UInt32, than b: UInt32) -> Bool {
        a != b && (a &- b) < (1 << 31)
    }
}
