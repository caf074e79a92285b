// Exercise 01 — label the protocol stack.
//
// The vocabulary is closed (enums) so grading is exact, but it deliberately holds more
// responsibilities than layers: the two extras belong to protocols WebRTC does NOT use
// for data (TCP's single ordered byte stream, media codecs), so matching cannot be done
// by elimination alone.

/// One layer of the WebRTC DataChannel stack (RFC 8831 §5, Figure 1, plus what sits under UDP).
public enum StackLayer: String, CaseIterable, Codable, Sendable {
    /// The application's own messages (chat lines, RPC calls, file chunks).
    case application
    /// DataChannels and their establishment protocol, DCEP (RFC 8831, RFC 8832).
    case dataChannel
    /// Stream Control Transmission Protocol, carried inside DTLS (RFC 9260, RFC 8261).
    case sctp
    /// Datagram TLS 1.2 (RFC 6347), keyed by certificates whose fingerprints travel in SDP.
    case dtls
    /// Interactive Connectivity Establishment (RFC 8445).
    case ice
    /// Session Traversal Utilities for NAT and its relay extension TURN (RFC 8489, RFC 8656).
    case stunTurn
    /// User Datagram Protocol (RFC 768).
    case udp
    /// Internet Protocol, version 4 or 6 (RFC 791, RFC 8200).
    case ip
}

/// A job some layer of a network stack does.
public enum LayerResponsibility: String, CaseIterable, Codable, Sendable {
    /// Produce and consume the messages the program actually cares about.
    case applicationMessages
    /// Open named channels on demand and mark each message as text or binary.
    case channelOpenAndMessageFraming
    /// Many independent streams in one association, each reliable or not, ordered or not.
    case perStreamReliabilityAndOrdering
    /// Encrypt and authenticate every packet; prove the peer holds the key behind the fingerprint.
    case encryptionAndAuthentication
    /// Gather candidate addresses, test pairs of them, and pick the path that works through NATs.
    case pathFindingThroughNATs
    /// Tell a host the public address a NAT mapped it to, or relay traffic when no direct path exists.
    case addressDiscoveryAndRelay
    /// Carry independent datagrams between ports, with no delivery or ordering guarantee.
    case datagramTransportBetweenPorts
    /// Address hosts and route packets hop by hop across networks.
    case hostAddressingAndRouting
    /// One ordered, reliable byte stream per connection (a lost segment stalls everything after it).
    case singleOrderedByteStream
    /// Compress audio and video frames.
    case mediaCompression
}

/// Exercise 01: put the WebRTC DataChannel layers in order and say what each one does.
///
/// Implemented by `Exercises.ProtocolStack` (the student's file,
/// exercises/01-protocol-stack/ProtocolStack.swift) and `Solutions.ProtocolStack`.
public protocol ProtocolStackExercise {
    /// Every layer exactly once, from the top (the application) down to the bottom.
    static func layersTopDown() throws -> [StackLayer]
    /// The main job of `layer` in a WebRTC DataChannel connection.
    static func responsibility(of layer: StackLayer) throws -> LayerResponsibility
}
