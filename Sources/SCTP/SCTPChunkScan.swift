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
package struct SCTPChunkScan {
    /// One chunk's type and where its value sits in the packet.
    package struct Chunk: Equatable {
        package var type: UInt8
        package var flags: UInt8
        /// Offset of the chunk header.
        package var offset: Int
        /// The chunk length field (header included, padding excluded).
        package var length: Int
    }

    /// A DATA chunk's accounting facts.
    package struct DataChunk: Equatable {
        package var tsn: UInt32
        package var stream: UInt16
        package var userDataLength: Int
    }

    /// Chunk type DATA (RFC 9260 §3.3.1).
    package static let data: UInt8 = 0
    /// Chunk type INIT (RFC 9260 §3.3.2).
    package static let initiation: UInt8 = 1
    /// Chunk type INIT ACK (RFC 9260 §3.3.3).
    package static let initiationAck: UInt8 = 2
    /// Chunk type ABORT (RFC 9260 §3.3.7).
    package static let abort: UInt8 = 6
    /// Size of the common header.
    package static let commonHeaderLength = 12

    /// The packet's chunks, stopping quietly at the first malformed one (hostile input
    /// yields fewer chunks, never a trap).
    package static func chunks(in packet: [UInt8]) -> [Chunk] {
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
    package static func dataChunks(in packet: [UInt8]) -> [DataChunk] {
        chunks(in: packet).compactMap { chunk in
            guard chunk.type == data, chunk.length >= 16 else { return nil }
            var reader = ByteReader(packet, range: (chunk.offset + 4)..<(chunk.offset + chunk.length))
            guard let tsn = try? reader.readUInt32(), let stream = try? reader.readUInt16() else { return nil }
            return DataChunk(tsn: tsn, stream: stream, userDataLength: chunk.length - 16)
        }
    }

    /// True when the packet carries a chunk of this type.
    package static func contains(_ type: UInt8, in packet: [UInt8]) -> Bool {
        chunks(in: packet).contains { $0.type == type }
    }

    /// True when an INIT or INIT ACK (RFC 9260 §3.3.2-3, 16 bytes of fixed fields after
    /// the chunk header, then parameters) holds a parameter whose length is below its
    /// own 4-byte header: malformed (§3.2.1), and usrsctp 0.9.5.0 spins forever on a
    /// zero-length one while building its INIT ACK (sctplab/usrsctp#570, fixed upstream
    /// after that release), inside the runtime's serial section. Parameters are walked to
    /// the end of the packet, as usrsctp walks them (INIT and INIT ACK travel alone, §6.10).
    package static func hasMalformedInitParameter(in packet: [UInt8]) -> Bool {
        for chunk in chunks(in: packet) where chunk.type == initiation || chunk.type == initiationAck {
            var reader = ByteReader(packet, range: min(chunk.offset + 20, packet.count)..<packet.count)
            while reader.remaining >= 4 {
                guard (try? reader.skip(2)) != nil, let length = try? reader.readUInt16() else { break }
                if length < 4 { return true }
                let padded = (Int(length) + 3) & ~3
                guard (try? reader.skip(min(padded - 4, reader.remaining))) != nil else { break }
            }
        }
        return false
    }

    /// Serial-number comparison for TSNs (RFC 9260 §1.6, RFC 1982): is `a` after `b`?
    package static func isNewer(_ a: UInt32, than b: UInt32) -> Bool {
        a != b && (a &- b) < (1 << 31)
    }
}
