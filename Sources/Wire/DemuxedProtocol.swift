/// Which protocol a datagram on a shared WebRTC 5-tuple carries, by RFC 7983.
///
/// STUN, DTLS, TURN ChannelData and SRTP all share one UDP port in WebRTC; the
/// first byte's ranges were allotted so that they never overlap:
///
/// ```
///            +----------------+
///            |        [0..3] -+--> STUN
///            |      [16..19] -+--> ZRTP
///  packet -> |      [20..63] -+--> DTLS
///            |      [64..79] -+--> TURN ChannelData
///            |    [128..191] -+--> RTP/RTCP
///            +----------------+     (anything else: drop)
/// ```
public enum DemuxedProtocol: String, Hashable, Sendable, CaseIterable {
    case stun, zrtp, dtls, turnChannel, rtp, unknown

    /// Classifies a datagram by its first byte (RFC 7983 §7). Empty input is `.unknown`.
    public static func classify(_ payload: [UInt8]) -> DemuxedProtocol {
        guard let first = payload.first else { return .unknown }
        return classify(firstByte: first)
    }

    /// Classifies by a first byte (RFC 7983 §7).
    public static func classify(firstByte byte: UInt8) -> DemuxedProtocol {
        switch byte {
        case 0...3: return .stun
        case 16...19: return .zrtp
        case 20...63: return .dtls
        case 64...79: return .turnChannel
        case 128...191: return .rtp
        default: return .unknown
        }
    }
}
