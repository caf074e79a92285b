/// CRC-32 as used by STUN's FINGERPRINT (RFC 8489 §14.7, which points to the
/// ISO 3309 / ITU-T V.42 / Ethernet CRC: reflected polynomial 0xEDB88320,
/// initial value and final xor 0xFFFFFFFF).
///
/// Table-driven, one byte at a time: the 256-entry table holds the CRC of
/// each possible byte value, so each input byte costs one lookup and a shift.
/// Written here rather than taken from zlib to keep the module free of
/// dependencies beyond OpenSSL's HMAC and MD5.
public enum CRC32 {
    /// The 256-entry lookup table, computed once.
    static let table: [UInt32] = (0..<256).map { index -> UInt32 in
        var crc = UInt32(index)
        for _ in 0..<8 {
            crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1
        }
        return crc
    }

    /// The CRC-32 of `bytes` (`checksum("123456789".utf8)` is 0xCBF43926).
    public static func checksum<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }
}
