/// A DTLS-SRTP protection profile from the use_srtp extension (RFC 5764 §4.1.2, RFC 7714).
///
/// ```
///   uint8 SRTPProtectionProfile[2];
///   struct {
///      SRTPProtectionProfiles SRTPProtectionProfiles;   // <2..2^16-1>
///      opaque srtp_mki<0..255>;
///   } UseSRTPData;
/// ```
public struct SRTPProtectionProfile: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The two bytes on the wire.
    public var rawValue: UInt16
    /// Wraps any value.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// SRTP_AES128_CM_HMAC_SHA1_80 (0x0001): the profile every WebRTC stack supports.
    public static let aes128CMHMACSHA1_80 = SRTPProtectionProfile(rawValue: 0x0001)
    /// SRTP_AEAD_AES_128_GCM (0x0007).
    public static let aeadAES128GCM = SRTPProtectionProfile(rawValue: 0x0007)

    /// The RFC name, nil when unknown.
    public var name: String? {
        switch rawValue {
        case 0x0001: return "SRTP_AES128_CM_HMAC_SHA1_80"
        case 0x0002: return "SRTP_AES128_CM_HMAC_SHA1_32"
        case 0x0005: return "SRTP_NULL_HMAC_SHA1_80"
        case 0x0006: return "SRTP_NULL_HMAC_SHA1_32"
        case 0x0007: return "SRTP_AEAD_AES_128_GCM"
        case 0x0008: return "SRTP_AEAD_AES_256_GCM"
        default: return nil
        }
    }

    /// "SRTP_AES128_CM_HMAC_SHA1_80 (0x0001)".
    public var description: String { "\(name ?? "Unknown") (\(DissectionCursor.hex(rawValue, digits: 4)))" }
}
