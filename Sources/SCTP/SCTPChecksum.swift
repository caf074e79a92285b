import CUsrsctp

/// The CRC32c checksum of an SCTP packet (RFC 9260 §6.8, Appendix B), computed by
/// usrsctp's own routine and placed exactly as usrsctp places it.
///
/// ```
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Source Port Number        |     Destination Port Number   |
/// |                      Verification Tag                         |
/// |            Checksum (CRC32c, computed over zeros here)        |  bytes 8..<12
/// \                            Chunks                             /
/// ```
/// The protocol code never needs it (usrsctp computes and checks checksums); test
/// and fuzz code use it to build packets that get past usrsctp's checksum check and
/// so reach its chunk parsers.
package enum SCTPChecksum {
    /// Where the checksum sits in the common header.
    package static let range = 8..<12

    /// The checksum field's bytes for `packet`, computed with the field as zeros;
    /// nil for a packet shorter than the common header.
    package static func field(for packet: [UInt8]) -> [UInt8]? {
        guard packet.count >= SCTPChunkScan.commonHeaderLength else { return nil }
        var zeroed = packet
        zeroed.replaceSubrange(range, with: [0, 0, 0, 0])
        // usrsctp_crc32c returns the value already in wire order for a native store.
        let crc = zeroed.withUnsafeMutableBytes { usrsctp_crc32c($0.baseAddress, $0.count) }
        return withUnsafeBytes(of: crc) { Array($0) }
    }

    /// `packet` with its checksum field recomputed; unchanged when shorter than the common header.
    package static func sealed(_ packet: [UInt8]) -> [UInt8] {
        guard let field = field(for: packet) else { return packet }
        var sealed = packet
        sealed.replaceSubrange(range, with: field)
        return sealed
    }

    /// True when `packet` carries the checksum usrsctp would accept.
    package static func isValid(_ packet: [UInt8]) -> Bool {
        field(for: packet).map { $0[...] == packet[range] } ?? false
    }
}
