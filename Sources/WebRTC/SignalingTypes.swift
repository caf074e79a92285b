import SDP

/// W3C RTCSdpType: what a description is.
public typealias RTCSdpType = PeerConnectionCore.DescriptionKind

/// W3C RTCSessionDescriptionInit: `{"type":"offer","sdp":"v=0..."}` — the JSON
/// every signaling channel (and the webrtc-echoes `POST /offer`) carries.
public struct RTCSessionDescription: Codable, Hashable, Sendable {
    /// Offer or answer.
    public var type: RTCSdpType
    /// The SDP text (RFC 8866).
    public var sdp: String

    /// Creates a description.
    public init(type: RTCSdpType, sdp: String) {
        self.type = type
        self.sdp = sdp
    }

    /// The parsed SDP.
    /// - Throws: `.invalidDescription` when the text is not SDP.
    public func parsed() throws(PeerConnectionError) -> SessionDescription {
        do {
            return try SessionDescription(parsing: sdp)
        } catch {
            throw PeerConnectionError(.invalidDescription, "not a session description: \(error)", origin: .peer)
        }
    }
}

/// W3C RTCIceCandidateInit: one trickled candidate (RFC 8838 §4). An empty
/// `candidate` string means end-of-candidates.
public struct RTCIceCandidateInit: Codable, Hashable, Sendable {
    /// `candidate:...` (the attribute without `a=`), or "" for end-of-candidates.
    public var candidate: String
    /// The media section's mid ("0" for our single DataChannel section).
    public var sdpMid: String?
    /// The media section's index.
    public var sdpMLineIndex: Int?

    /// Creates a candidate.
    public init(candidate: String, sdpMid: String? = "0", sdpMLineIndex: Int? = 0) {
        self.candidate = candidate
        self.sdpMid = sdpMid
        self.sdpMLineIndex = sdpMLineIndex
    }
}

/// W3C RTCDataChannelInit: how a channel delivers.
public struct RTCDataChannelInit: Hashable, Sendable {
    /// In order (default) or as they arrive.
    public var ordered: Bool
    /// Give up after this many retransmissions (exclusive with `maxPacketLifeTime`).
    public var maxRetransmits: UInt32?
    /// Give up after this many milliseconds (exclusive with `maxRetransmits`).
    public var maxPacketLifeTime: UInt32?
    /// The subprotocol name.
    public var `protocol`: String
    /// True: no DCEP; both sides create the channel with the same `id`.
    public var negotiated: Bool
    /// The stream id (required when `negotiated`).
    public var id: UInt16?

    /// Creates options; the default is reliable and ordered, opened in-band.
    public init(ordered: Bool = true, maxRetransmits: UInt32? = nil, maxPacketLifeTime: UInt32? = nil,
                protocol: String = "", negotiated: Bool = false, id: UInt16? = nil) {
        self.ordered = ordered
        self.maxRetransmits = maxRetransmits
        self.maxPacketLifeTime = maxPacketLifeTime
        self.protocol = `protocol`
        self.negotiated = negotiated
        self.id = id
    }
}
