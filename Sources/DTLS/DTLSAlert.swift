import Wire

/// A DTLS alert (RFC 5246 §7.2, unchanged by RFC 6347), as the endpoint saw it
/// go out or come in.
///
/// ```
///  0                   1
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     level     |  description  |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// ```
///
/// The two bytes are the body of a record of content type 21; after the
/// handshake they travel encrypted. `direction` is not on the wire: it says
/// whether this endpoint sent the alert or received it.
public struct DTLSAlert: Hashable, Sendable, CustomStringConvertible {
    /// Whether this endpoint sent or received the alert.
    public enum Direction: String, Hashable, Sendable {
        /// This endpoint sent it to the peer.
        case sent
        /// The peer sent it.
        case received
    }

    /// How serious the alert is (RFC 5246 §7.2): a fatal alert ends the connection.
    public struct Level: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The wire value.
        public var rawValue: UInt8
        /// Wraps a wire value; unknown values are kept as they are.
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// 1: the connection may continue (close_notify is sent at this level).
        public static let warning = Level(rawValue: 1)
        /// 2: the connection ends now.
        public static let fatal = Level(rawValue: 2)

        /// "warning", "fatal" or "level(N)".
        public var description: String {
            switch self {
            case .warning: return "warning"
            case .fatal: return "fatal"
            default: return "level(\(rawValue))"
            }
        }
    }

    /// What the alert reports (RFC 5246 §7.2.1 and §7.2.2; RFC 5746, RFC 7301).
    public struct Description: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        /// The wire value.
        public var rawValue: UInt8
        /// Wraps a wire value; unknown values are kept as they are.
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        /// 0: the sender will send nothing more (RFC 5246 §7.2.1).
        public static let closeNotify = Description(rawValue: 0)
        /// 10: a message arrived that does not fit the state.
        public static let unexpectedMessage = Description(rawValue: 10)
        /// 20: a record failed authentication.
        public static let badRecordMAC = Description(rawValue: 20)
        /// 22: a record was longer than allowed.
        public static let recordOverflow = Description(rawValue: 22)
        /// 40: no acceptable set of security parameters.
        public static let handshakeFailure = Description(rawValue: 40)
        /// 42: the certificate is corrupt or, in WebRTC, matches no fingerprint.
        public static let badCertificate = Description(rawValue: 42)
        /// 43: a certificate of an unsupported type.
        public static let unsupportedCertificate = Description(rawValue: 43)
        /// 44: the certificate was revoked by its signer.
        public static let certificateRevoked = Description(rawValue: 44)
        /// 45: the certificate expired or is not yet valid.
        public static let certificateExpired = Description(rawValue: 45)
        /// 46: some other problem with the certificate.
        public static let certificateUnknown = Description(rawValue: 46)
        /// 47: a handshake field is out of range or inconsistent.
        public static let illegalParameter = Description(rawValue: 47)
        /// 48: the certificate chain leads to no trusted CA.
        public static let unknownCA = Description(rawValue: 48)
        /// 49: valid certificate, but access refused.
        public static let accessDenied = Description(rawValue: 49)
        /// 50: a message could not be decoded.
        public static let decodeError = Description(rawValue: 50)
        /// 51: a handshake cryptographic check failed (e.g. Finished).
        public static let decryptError = Description(rawValue: 51)
        /// 70: the protocol version is not supported.
        public static let protocolVersion = Description(rawValue: 70)
        /// 71: the peer requires stronger ciphers than offered.
        public static let insufficientSecurity = Description(rawValue: 71)
        /// 80: a local failure unrelated to the peer.
        public static let internalError = Description(rawValue: 80)
        /// 90: the handshake was abandoned for a reason unrelated to the protocol.
        public static let userCanceled = Description(rawValue: 90)
        /// 100: renegotiation refused (WebRTC forbids it, RFC 8827 §6.5).
        public static let noRenegotiation = Description(rawValue: 100)
        /// 110: an extension the sender never offered came back.
        public static let unsupportedExtension = Description(rawValue: 110)
        /// 120: no ALPN protocol in common (RFC 7301).
        public static let noApplicationProtocol = Description(rawValue: 120)

        private static let names: [UInt8: String] = [
            0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac",
            21: "decryption_failed", 22: "record_overflow", 30: "decompression_failure",
            40: "handshake_failure", 41: "no_certificate", 42: "bad_certificate",
            43: "unsupported_certificate", 44: "certificate_revoked", 45: "certificate_expired",
            46: "certificate_unknown", 47: "illegal_parameter", 48: "unknown_ca",
            49: "access_denied", 50: "decode_error", 51: "decrypt_error",
            60: "export_restriction", 70: "protocol_version", 71: "insufficient_security",
            80: "internal_error", 86: "inappropriate_fallback", 90: "user_canceled",
            100: "no_renegotiation", 110: "unsupported_extension", 112: "unrecognized_name",
            120: "no_application_protocol",
        ]

        /// The RFC's name ("bad_certificate"), or "unknown(N)".
        public var name: String { Self.names[rawValue] ?? "unknown(\(rawValue))" }

        /// Same as `name`.
        public var description: String { name }
    }

    /// Sent or received.
    public var direction: Direction
    /// Warning or fatal.
    public var level: Level
    /// What happened.
    public var alertDescription: Description

    /// Creates an alert.
    public init(direction: Direction, level: Level, description: Description) {
        self.direction = direction
        self.level = level
        self.alertDescription = description
    }

    /// Parses the two-byte alert body. Throws `WireError.truncated` when short.
    public init(parsing reader: inout ByteReader, direction: Direction) throws {
        let level = Level(rawValue: try reader.readUInt8())
        let description = Description(rawValue: try reader.readUInt8())
        self.init(direction: direction, level: level, description: description)
    }

    /// Writes the two-byte alert body.
    public func encode(into writer: inout ByteWriter) {
        writer.writeUInt8(level.rawValue)
        writer.writeUInt8(alertDescription.rawValue)
    }

    /// True for a fatal alert.
    public var isFatal: Bool { level == .fatal }

    /// "sent fatal bad_certificate(42)".
    public var description: String {
        "\(direction.rawValue) \(level) \(alertDescription.name)(\(alertDescription.rawValue))"
    }
}
