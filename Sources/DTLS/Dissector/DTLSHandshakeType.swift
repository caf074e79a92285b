/// The handshake message type (RFC 6347 §4.2.2, RFC 5246 §7.4, RFC 5077 for tickets).
///
/// ```
///   enum {
///     hello_request(0), client_hello(1), server_hello(2),
///     hello_verify_request(3),                          // New field
///     new_session_ticket(4),                            // RFC 5077
///     certificate(11), server_key_exchange (12),
///     certificate_request(13), server_hello_done(14),
///     certificate_verify(15), client_key_exchange(16),
///     finished(20), (255) } HandshakeType;
/// ```
public struct DTLSHandshakeType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The byte on the wire.
    public var rawValue: UInt8
    /// Wraps any byte.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// hello_request (0).
    public static let helloRequest = DTLSHandshakeType(rawValue: 0)
    /// client_hello (1).
    public static let clientHello = DTLSHandshakeType(rawValue: 1)
    /// server_hello (2).
    public static let serverHello = DTLSHandshakeType(rawValue: 2)
    /// hello_verify_request (3): the server's stateless cookie challenge.
    public static let helloVerifyRequest = DTLSHandshakeType(rawValue: 3)
    /// new_session_ticket (4).
    public static let newSessionTicket = DTLSHandshakeType(rawValue: 4)
    /// certificate (11).
    public static let certificate = DTLSHandshakeType(rawValue: 11)
    /// server_key_exchange (12).
    public static let serverKeyExchange = DTLSHandshakeType(rawValue: 12)
    /// certificate_request (13).
    public static let certificateRequest = DTLSHandshakeType(rawValue: 13)
    /// server_hello_done (14).
    public static let serverHelloDone = DTLSHandshakeType(rawValue: 14)
    /// certificate_verify (15).
    public static let certificateVerify = DTLSHandshakeType(rawValue: 15)
    /// client_key_exchange (16).
    public static let clientKeyExchange = DTLSHandshakeType(rawValue: 16)
    /// finished (20): always encrypted in a normal handshake (it follows ChangeCipherSpec).
    public static let finished = DTLSHandshakeType(rawValue: 20)

    /// The name used in summaries: "ClientHello", "ServerHelloDone"; nil when unknown.
    public var name: String? {
        switch rawValue {
        case 0: return "HelloRequest"
        case 1: return "ClientHello"
        case 2: return "ServerHello"
        case 3: return "HelloVerifyRequest"
        case 4: return "NewSessionTicket"
        case 11: return "Certificate"
        case 12: return "ServerKeyExchange"
        case 13: return "CertificateRequest"
        case 14: return "ServerHelloDone"
        case 15: return "CertificateVerify"
        case 16: return "ClientKeyExchange"
        case 20: return "Finished"
        default: return nil
        }
    }

    /// Wireshark's spelling for trees: "Client Hello", "Server Hello Done".
    public var title: String {
        guard let name else { return "Unknown Handshake Message (\(rawValue))" }
        var words = ""
        for character in name {
            if character.isUppercase, !words.isEmpty { words.append(" ") }
            words.append(character)
        }
        return words
    }

    /// "Client Hello (1)".
    public var description: String { name == nil ? title : "\(title) (\(rawValue))" }
}
