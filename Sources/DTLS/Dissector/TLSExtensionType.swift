/// A hello extension's type (IANA "TLS ExtensionType Values"; RFC 5246 §7.4.1.4).
///
/// ```
///   enum { server_name(0), ..., supported_groups(10), ec_point_formats(11),
///          signature_algorithms(13), use_srtp(14), ...,
///          application_layer_protocol_negotiation(16), ...,
///          encrypt_then_mac(22), extended_master_secret(23), ...,
///          session_ticket(35), ..., renegotiation_info(65281), (65535)
///   } ExtensionType;
/// ```
public struct TLSExtensionType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The two bytes on the wire.
    public var rawValue: UInt16
    /// Wraps any value.
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// supported_groups (10, called elliptic_curves before RFC 8422).
    public static let supportedGroups = TLSExtensionType(rawValue: 10)
    /// ec_point_formats (11).
    public static let ecPointFormats = TLSExtensionType(rawValue: 11)
    /// signature_algorithms (13).
    public static let signatureAlgorithms = TLSExtensionType(rawValue: 13)
    /// use_srtp (14, RFC 5764): the DTLS-SRTP profiles WebRTC media needs.
    public static let useSRTP = TLSExtensionType(rawValue: 14)
    /// application_layer_protocol_negotiation (16, RFC 7301).
    public static let alpn = TLSExtensionType(rawValue: 16)
    /// encrypt_then_mac (22, RFC 7366).
    public static let encryptThenMAC = TLSExtensionType(rawValue: 22)
    /// extended_master_secret (23, RFC 7627).
    public static let extendedMasterSecret = TLSExtensionType(rawValue: 23)
    /// session_ticket (35, RFC 5077).
    public static let sessionTicket = TLSExtensionType(rawValue: 35)
    /// renegotiation_info (65281, RFC 5746).
    public static let renegotiationInfo = TLSExtensionType(rawValue: 0xFF01)

    /// The registry name (Wireshark uses the same), nil when unknown.
    public var name: String? {
        switch rawValue {
        case 0: return "server_name"
        case 1: return "max_fragment_length"
        case 5: return "status_request"
        case 10: return "supported_groups"
        case 11: return "ec_point_formats"
        case 13: return "signature_algorithms"
        case 14: return "use_srtp"
        case 15: return "heartbeat"
        case 16: return "application_layer_protocol_negotiation"
        case 18: return "signed_certificate_timestamp"
        case 21: return "padding"
        case 22: return "encrypt_then_mac"
        case 23: return "extended_master_secret"
        case 27: return "compress_certificate"
        case 28: return "record_size_limit"
        case 35: return "session_ticket"
        case 41: return "pre_shared_key"
        case 42: return "early_data"
        case 43: return "supported_versions"
        case 44: return "cookie"
        case 45: return "psk_key_exchange_modes"
        case 47: return "certificate_authorities"
        case 49: return "post_handshake_auth"
        case 50: return "signature_algorithms_cert"
        case 51: return "key_share"
        case 54: return "connection_id"
        case 0xFF01: return "renegotiation_info"
        default: return TLSGrease.isGrease(rawValue) ? "GREASE (RFC 8701)" : nil
        }
    }

    /// "use_srtp (14)".
    public var description: String { "\(name ?? "Unknown") (\(rawValue))" }
}
