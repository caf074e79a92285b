import Wire

/// One handshake message, or one fragment of it, as carried in a handshake record
/// (RFC 6347 §4.2.2 header followed by `fragment_length` body bytes).
///
/// ```
///   +----------------------------+-------------------------------------+
///   | DTLSHandshakeHeader (12)   | body bytes [fragment_offset ..      |
///   |                            |   fragment_offset + fragment_length)|
///   +----------------------------+-------------------------------------+
/// ```
///
/// A record may hold several messages back to back (RFC 6347 §4.2.3 lets an
/// implementation pack them); OpenSSL puts one per record. Fragments are not
/// reassembled here: a fragment's body is shown as bytes, a whole message is decoded.
public struct DTLSHandshakeMessage: Hashable, Sendable {
    /// The header.
    public var header: DTLSHandshakeHeader
    /// The `fragment_length` body bytes this record carries.
    public var fragment: [UInt8]

    /// Creates a message; `encode` writes `fragment` as given.
    public init(header: DTLSHandshakeHeader, fragment: [UInt8]) {
        self.header = header
        self.fragment = fragment
    }

    /// Wraps a whole (unfragmented) body: lengths are filled in from `body`.
    public init(type: DTLSHandshakeType, messageSequence: UInt16, body: [UInt8]) {
        let length = UInt32(truncatingIfNeeded: body.count)
        self.init(header: DTLSHandshakeHeader(messageType: type, length: length, messageSequence: messageSequence),
                  fragment: body)
    }

    /// Parses one message; fragment bounds that overrun the record or the message throw.
    public init(parsing reader: inout ByteReader) throws(DTLSError) {
        var cursor = DissectionCursor(reader: reader)
        try self.init(cursor: &cursor)
        try? reader.skip(cursor.offset - reader.offset)
    }

    init(cursor: inout DissectionCursor) throws(DTLSError) {
        header = try DTLSHandshakeHeader(cursor: &cursor)
        try Self.checkBounds(header, available: cursor.remaining)
        let start = cursor.offset
        let count = Int(header.fragmentLength)
        cursor.seek(to: start + count)
        fragment = Array(cursor.bytes[start..<start + count])
    }

    /// Every message in a plaintext handshake record's fragment.
    public static func parseAll(recordFragment: [UInt8]) throws(DTLSError) -> [DTLSHandshakeMessage] {
        var cursor = DissectionCursor(recordFragment, range: 0..<recordFragment.count, recording: false)
        var messages: [DTLSHandshakeMessage] = []
        while !cursor.isAtEnd { messages.append(try DTLSHandshakeMessage(cursor: &cursor)) }
        return messages
    }

    /// The decoded body; `.fragment` when this record holds only part of the message.
    /// Throws `.malformedRecord` when a whole body does not parse or has bytes left over.
    public func decodeBody() throws(DTLSError) -> DTLSHandshakeBody {
        if header.isFragment { return .fragment(offset: Int(header.fragmentOffset), bytes: fragment) }
        var cursor = DissectionCursor(fragment, range: 0..<fragment.count, recording: false)
        return try DTLSHandshakeBody(type: header.messageType, cursor: &cursor)
    }

    /// Writes header and fragment.
    public func encode(into writer: inout ByteWriter) {
        header.encode(into: &writer)
        writer.writeBytes(fragment)
    }

    /// The fragment must lie inside the message and inside the record.
    static func checkBounds(_ header: DTLSHandshakeHeader, available: Int) throws(DTLSError) {
        let end = UInt64(header.fragmentOffset) + UInt64(header.fragmentLength)
        guard end <= UInt64(header.length) else {
            throw DTLSError(.malformedRecord,
                            "fragment \(header.fragmentOffset)+\(header.fragmentLength) ends past the message Length \(header.length)")
        }
        guard Int(header.fragmentLength) <= available else {
            throw DTLSError(.malformedRecord,
                            "Fragment Length \(header.fragmentLength) overruns the record: \(available) byte(s) left")
        }
    }
}

/// A decoded handshake body (RFC 5246 §7.4, RFC 6347 §4.2).
public enum DTLSHandshakeBody: Hashable, Sendable {
    /// hello_request: empty.
    case helloRequest
    /// client_hello.
    case clientHello(DTLSClientHello)
    /// server_hello.
    case serverHello(DTLSServerHello)
    /// hello_verify_request.
    case helloVerifyRequest(DTLSHelloVerifyRequest)
    /// new_session_ticket.
    case newSessionTicket(DTLSNewSessionTicket)
    /// certificate.
    case certificate(DTLSCertificateList)
    /// server_key_exchange.
    case serverKeyExchange(DTLSServerKeyExchange)
    /// certificate_request.
    case certificateRequest(DTLSCertificateRequest)
    /// server_hello_done: empty.
    case serverHelloDone
    /// certificate_verify.
    case certificateVerify(DTLSCertificateVerify)
    /// client_key_exchange.
    case clientKeyExchange(DTLSClientKeyExchange)
    /// finished (only readable if someone sends it in epoch 0).
    case finished(verifyData: [UInt8])
    /// Part of a message (not reassembled): where it starts and its bytes.
    case fragment(offset: Int, bytes: [UInt8])
    /// A type this dissector does not know: the raw body.
    case unknown([UInt8])

    /// Reads a whole body that fills the cursor's innermost structure.
    init(type: DTLSHandshakeType, cursor: inout DissectionCursor) throws(DTLSError) {
        switch type {
        case .helloRequest: self = .helloRequest
        case .clientHello: self = .clientHello(try DTLSClientHello(cursor: &cursor))
        case .serverHello: self = .serverHello(try DTLSServerHello(cursor: &cursor))
        case .helloVerifyRequest: self = .helloVerifyRequest(try DTLSHelloVerifyRequest(cursor: &cursor))
        case .newSessionTicket: self = .newSessionTicket(try DTLSNewSessionTicket(cursor: &cursor))
        case .certificate: self = .certificate(try DTLSCertificateList(cursor: &cursor))
        case .serverKeyExchange: self = .serverKeyExchange(try DTLSServerKeyExchange(cursor: &cursor))
        case .certificateRequest: self = .certificateRequest(try DTLSCertificateRequest(cursor: &cursor))
        case .serverHelloDone: self = .serverHelloDone
        case .certificateVerify: self = .certificateVerify(try DTLSCertificateVerify(cursor: &cursor))
        case .clientKeyExchange: self = .clientKeyExchange(try DTLSClientKeyExchange(cursor: &cursor))
        case .finished: self = .finished(verifyData: try cursor.bytes("Verify Data", count: cursor.remaining))
        default: self = .unknown(try cursor.bytes("Body", count: cursor.remaining))
        }
        guard cursor.isAtEnd else {
            throw DTLSError(.malformedRecord,
                            "\(cursor.remaining) byte(s) after the end of \(type.name ?? "the message") at offset \(cursor.offset)")
        }
    }
}
