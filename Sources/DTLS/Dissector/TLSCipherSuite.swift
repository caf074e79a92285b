/// A cipher suite code point (IANA "TLS Cipher Suites"; RFC 5246 App. A.5, RFC 5289,
/// RFC 7905, RFC 8446 §B.4 for the TLS 1.3 names, RFC 5746 for the SCSV).
///
/// ```
///   uint8 CipherSuite[2];    /* Cryptographic suite selector */
///
///    0                   1
///    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
///   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///   |   CipherSuite[0] (first byte) |   CipherSuite[1]
///   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
///
/// The names cover what OpenSSL 3.0, Chromium and Firefox offer over DTLS 1.2 (every
/// ECDHE-ECDSA/ECDHE-RSA AES-GCM, ChaCha20-Poly1305, CBC and CCM suite, the DHE and
/// plain-RSA fallbacks) plus the TLS 1.3 suites; anything else stays a number.
public struct TLSCipherSuite: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The two bytes on the wire.
    public var rawValue: UInt16
    /// Wraps any value.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 (0xc02b): what WebRTC usually negotiates.
    public static let ecdheECDSAWithAES128GCMSHA256 = TLSCipherSuite(rawValue: 0xC02B)
    /// TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 (0xc02c): OpenSSL 3.0's first choice.
    public static let ecdheECDSAWithAES256GCMSHA384 = TLSCipherSuite(rawValue: 0xC02C)
    /// TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 (0xcca9).
    public static let ecdheECDSAWithChaCha20Poly1305SHA256 = TLSCipherSuite(rawValue: 0xCCA9)
    /// TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xc02f).
    public static let ecdheRSAWithAES128GCMSHA256 = TLSCipherSuite(rawValue: 0xC02F)
    /// TLS_EMPTY_RENEGOTIATION_INFO_SCSV (0x00ff): a signal, not a suite (RFC 5746 §3.3).
    public static let emptyRenegotiationInfoSCSV = TLSCipherSuite(rawValue: 0x00FF)

    /// The IANA name ("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"), "GREASE" for RFC 8701
    /// values, nil when unknown.
    public var name: String? {
        if let name = Self.names[rawValue] { return name }
        return TLSGrease.isGrease(rawValue) ? "GREASE (RFC 8701)" : nil
    }

    /// True for suites whose key exchange is ephemeral elliptic-curve Diffie-Hellman.
    public var isECDHE: Bool { name?.hasPrefix("TLS_ECDHE_") == true }

    /// "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 (0xc02c)".
    public var description: String { "\(name ?? "Unknown") (\(DissectionCursor.hex(rawValue, digits: 4)))" }

    private static let names: [UInt16: String] = [
        0x0000: "TLS_NULL_WITH_NULL_NULL",
        0x000A: "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
        0x002F: "TLS_RSA_WITH_AES_128_CBC_SHA",
        0x0033: "TLS_DHE_RSA_WITH_AES_128_CBC_SHA",
        0x0035: "TLS_RSA_WITH_AES_256_CBC_SHA",
        0x0039: "TLS_DHE_RSA_WITH_AES_256_CBC_SHA",
        0x003C: "TLS_RSA_WITH_AES_128_CBC_SHA256",
        0x003D: "TLS_RSA_WITH_AES_256_CBC_SHA256",
        0x0067: "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256",
        0x006B: "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256",
        0x008C: "TLS_PSK_WITH_AES_128_CBC_SHA",
        0x008D: "TLS_PSK_WITH_AES_256_CBC_SHA",
        0x009C: "TLS_RSA_WITH_AES_128_GCM_SHA256",
        0x009D: "TLS_RSA_WITH_AES_256_GCM_SHA384",
        0x009E: "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
        0x009F: "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
        0x00A8: "TLS_PSK_WITH_AES_128_GCM_SHA256",
        0x00A9: "TLS_PSK_WITH_AES_256_GCM_SHA384",
        0x00FF: "TLS_EMPTY_RENEGOTIATION_INFO_SCSV",
        0x1301: "TLS_AES_128_GCM_SHA256",
        0x1302: "TLS_AES_256_GCM_SHA384",
        0x1303: "TLS_CHACHA20_POLY1305_SHA256",
        0x1304: "TLS_AES_128_CCM_SHA256",
        0x1305: "TLS_AES_128_CCM_8_SHA256",
        0x5600: "TLS_FALLBACK_SCSV",
        0xC008: "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA",
        0xC009: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
        0xC00A: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
        0xC012: "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA",
        0xC013: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
        0xC014: "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
        0xC023: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
        0xC024: "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
        0xC027: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
        0xC028: "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
        0xC02B: "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        0xC02C: "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        0xC02F: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        0xC030: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        0xC035: "TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA",
        0xC036: "TLS_ECDHE_PSK_WITH_AES_256_CBC_SHA",
        0xC09C: "TLS_RSA_WITH_AES_128_CCM",
        0xC09D: "TLS_RSA_WITH_AES_256_CCM",
        0xC0A0: "TLS_RSA_WITH_AES_128_CCM_8",
        0xC0A1: "TLS_RSA_WITH_AES_256_CCM_8",
        0xC0AC: "TLS_ECDHE_ECDSA_WITH_AES_128_CCM",
        0xC0AD: "TLS_ECDHE_ECDSA_WITH_AES_256_CCM",
        0xC0AE: "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8",
        0xC0AF: "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8",
        0xCCA8: "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        0xCCA9: "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        0xCCAA: "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        0xCCAB: "TLS_PSK_WITH_CHACHA20_POLY1305_SHA256",
        0xCCAC: "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256",
    ]
}

/// RFC 8701 GREASE values: 0x?a?a with both bytes equal. Browsers send them so that
/// servers which choke on unknown values get found; a dissector must name, not reject, them.
enum TLSGrease {
    static func isGrease(_ value: UInt16) -> Bool {
        value & 0x0F0F == 0x0A0A && value >> 8 == value & 0xFF
    }
}
