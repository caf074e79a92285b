/// A local handle on one channel, assigned by the registry when the channel is
/// created (by `open`, or when the peer's OPEN arrives).
///
/// Not the stream id: a channel may exist before its stream id is known (created
/// before the DTLS role and the association, W3C createDataChannel before
/// connecting), and a stream id is reused once its channel has closed. Handles are
/// never reused within one registry.
public struct DataChannelID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The handle's number: 0, 1, 2... in creation order.
    public let rawValue: Int

    /// Wraps a number (tests, or a facade that stores handles as numbers).
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static func < (lhs: DataChannelID, rhs: DataChannelID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// "channel#3".
    public var description: String { "channel#\(rawValue)" }
}

/// This side's DTLS role, which decides the parity of the stream ids it opens
/// (RFC 8832 §6): so the two peers never pick the same id at the same time.
public enum DataChannelDTLSRole: String, Hashable, Sendable {
    /// The DTLS client opens even stream ids.
    case client
    /// The DTLS server opens odd stream ids.
    case server

    /// True when this side may open `stream` (even for the client, odd for the server).
    public func opens(stream: UInt16) -> Bool { stream % 2 == (self == .client ? 0 : 1) }

    /// The peer's role.
    public var peer: DataChannelDTLSRole { self == .client ? .server : .client }
}

/// W3C RTCDataChannelState: what the application sees of a channel.
public enum DataChannelState: String, Hashable, Sendable {
    /// Created; its OPEN has not been sent yet (or, negotiated, the association is not up).
    case connecting
    /// Messages may be sent.
    case open
    /// A stream reset is under way in one direction or both (RFC 8831 §6.7).
    case closing
    /// Both directions are reset, or the association is gone; the handle is dead.
    case closed
}
