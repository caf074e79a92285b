import Wire

/// NewSessionTicket (RFC 5077 §3.3): sent by the server just before its
/// ChangeCipherSpec when the client offered session_ticket.
///
/// ```
///   struct {
///       uint32 ticket_lifetime_hint;
///       opaque ticket<0..2^16-1>;
///   } NewSessionTicket;
///
///    0                   1                   2                   3
///    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///   |                  ticket_lifetime_hint (seconds)               |
///   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///   |        ticket length          |          ticket ...           |
/// ```
public struct DTLSNewSessionTicket: Hashable, Sendable {
    /// How long the client may keep the ticket, in seconds.
    public var lifetimeHint: UInt32
    /// The opaque ticket (encrypted by the server for itself).
    public var ticket: [UInt8]

    /// Creates the message.
    public init(lifetimeHint: UInt32, ticket: [UInt8]) {
        self.lifetimeHint = lifetimeHint
        self.ticket = ticket
    }

    /// Parses the body.
    public init(parsing reader: inout ByteReader) throws(DTLSError) {
        var cursor = DissectionCursor(reader: reader)
        try self.init(cursor: &cursor)
        try? reader.skip(cursor.offset - reader.offset)
    }

    init(cursor: inout DissectionCursor) throws(DTLSError) {
        lifetimeHint = try cursor.uint32("Session Ticket Lifetime Hint") { "\($0) seconds" }
        ticket = try cursor.opaque("Session Ticket", lengthWidth: 2)
    }

    /// Writes the body.
    public func encode(into writer: inout ByteWriter) {
        writer.writeUInt32(lifetimeHint)
        writer.writeUInt16(UInt16(truncatingIfNeeded: ticket.count))
        writer.writeBytes(ticket)
    }
}
