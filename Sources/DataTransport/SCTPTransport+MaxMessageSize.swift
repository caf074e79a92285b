import SCTP
import SDP

/// `a=max-message-size` (RFC 8841 §6) on both sides of the offer/answer.
///
/// Why here: the SCTP layer knows the largest message it can take (its send buffer
/// bounds it, see `SCTPConfiguration.maxMessageSize`) and SDP only carries a number.
/// Deriving the advertised value from the association, and the send limit from the
/// remote description, in one place keeps what we promise and what we enforce equal.
extension SCTPTransport {
    /// The value to advertise in our `a=max-message-size`: exactly the largest message
    /// this transport's association accepts from the peer.
    public var advertisedMaxMessageSize: UInt64 {
        UInt64(association.configuration.maxMessageSize)
    }

    /// Applies the remote description's limit to what `send` accepts.
    ///
    /// RFC 8841 §6: an absent attribute means 65,536 bytes (already resolved by
    /// `RemoteDataChannelDescription`), and 0 means the peer sets no limit, so only our
    /// own `maxMessageSize` applies.
    public func applyRemoteMaxMessageSize(of remote: RemoteDataChannelDescription) {
        let limit = remote.maxMessageSize
        association.peerMaxMessageSize = limit == 0 ? nil : Int(clamping: limit)
    }
}
