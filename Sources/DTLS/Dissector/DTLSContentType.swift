/// The record layer's content type (RFC 6347 §4.1, RFC 5246 §6.2.1, RFC 6520 for heartbeat).
///
/// ```
///   enum {
///       change_cipher_spec(20), alert(21), handshake(22),
///       application_data(23), heartbeat(24), (255)
///   } ContentType;
/// ```
///
/// An open struct: a value outside the list (a DTLS 1.3 unified header, garbage)
/// survives and prints as "Unknown (n)".
public struct DTLSContentType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The byte on the wire.
    public var rawValue: UInt8
    /// Wraps any byte.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// ChangeCipherSpec (20): "from the next record on, my epoch's keys apply".
    public static let changeCipherSpec = DTLSContentType(rawValue: 20)
    /// Alert (21).
    public static let alert = DTLSContentType(rawValue: 21)
    /// Handshake (22).
    public static let handshake = DTLSContentType(rawValue: 22)
    /// Application data (23): always encrypted.
    public static let applicationData = DTLSContentType(rawValue: 23)
    /// Heartbeat (24, RFC 6520).
    public static let heartbeat = DTLSContentType(rawValue: 24)

    /// Wireshark's protocol title ("Handshake", "Change Cipher Spec"...), nil when unknown.
    public var name: String? {
        switch rawValue {
        case 20: return "Change Cipher Spec"
        case 21: return "Alert"
        case 22: return "Handshake"
        case 23: return "Application Data"
        case 24: return "Heartbeat"
        default: return nil
        }
    }

    /// "Handshake (22)" or "Unknown (99)".
    public var description: String { "\(name ?? "Unknown") (\(rawValue))" }
}
