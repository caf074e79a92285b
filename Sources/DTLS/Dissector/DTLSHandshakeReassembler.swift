/// Puts fragmented handshake messages back together (RFC 6347 §4.2.3), so that a
/// tool can decode a certificate chain or a session ticket that arrived in pieces
/// (OpenSSL splits its Certificate whenever it guesses a small MTU).
///
/// ```
///   message_seq 2, length 374:
///   [0 ........ 117)[117 ................ 320)[320 ..... 374)
///    fragment 1       fragment 2                fragment 3     -> whole body
/// ```
///
/// Keep one per direction: message sequence numbers are per sender. Fragments may
/// arrive in any order, overlap or repeat (retransmissions); a fragment that
/// disagrees with earlier ones about the type or total length, or announces a
/// message larger than `maximumMessageLength`, throws instead of being trusted.
public struct DTLSHandshakeReassembler: Sendable {
    /// Upper bound on a message this will buffer: far above any WebRTC certificate
    /// chain or ticket, and low enough that a hostile 24-bit length cannot make us
    /// allocate 16 MiB per message_seq.
    public static let maximumMessageLength = 1 << 17
    /// Upper bound on messages buffered at once (a flight has fewer than ten).
    public static let maximumPendingMessages = 32

    private struct Partial: Sendable {
        var type: DTLSHandshakeType
        var body: [UInt8]
        var received: [Bool]
        var missing: Int
    }
    private var pending: [UInt16: Partial] = [:]

    /// Creates an empty reassembler.
    public init() {}

    /// Number of messages waiting for more fragments.
    public var pendingCount: Int { pending.count }

    /// Adds one message or fragment; returns the whole message (unfragmented header,
    /// full body) once every byte has arrived, nil while pieces are missing.
    public mutating func add(_ message: DTLSHandshakeMessage) throws(DTLSError) -> DTLSHandshakeMessage? {
        let header = message.header
        try DTLSHandshakeMessage.checkBounds(header, available: message.fragment.count)
        guard message.fragment.count == Int(header.fragmentLength) else {
            throw DTLSError(.malformedRecord, "fragment carries \(message.fragment.count) byte(s), its header says \(header.fragmentLength)")
        }
        if !header.isFragment {
            pending[header.messageSequence] = nil
            return message
        }
        let length = Int(header.length)
        guard length <= Self.maximumMessageLength else {
            throw DTLSError(.malformedRecord, "fragmented message of \(length) bytes exceeds the \(Self.maximumMessageLength)-byte reassembly limit")
        }
        var partial = pending[header.messageSequence]
            ?? Partial(type: header.messageType, body: [UInt8](repeating: 0, count: length),
                       received: [Bool](repeating: false, count: length), missing: length)
        guard partial.type == header.messageType, partial.body.count == length else {
            throw DTLSError(.malformedRecord,
                            "fragment of message_seq \(header.messageSequence) says \(header.messageType) length \(length), earlier fragments said \(partial.type) length \(partial.body.count)")
        }
        if pending[header.messageSequence] == nil, pending.count >= Self.maximumPendingMessages {
            throw DTLSError(.malformedRecord, "more than \(Self.maximumPendingMessages) handshake messages pending reassembly")
        }
        let start = Int(header.fragmentOffset)
        for (index, byte) in message.fragment.enumerated() where !partial.received[start + index] {
            partial.received[start + index] = true
            partial.body[start + index] = byte
            partial.missing -= 1
        }
        if partial.missing > 0 {
            pending[header.messageSequence] = partial
            return nil
        }
        pending[header.messageSequence] = nil
        return DTLSHandshakeMessage(type: header.messageType, messageSequence: header.messageSequence, body: partial.body)
    }
}
