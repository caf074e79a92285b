// Exercise 01 — label the protocol stack (reference answer).
import ExerciseInterfaces

/// The WebRTC DataChannel stack, top to bottom, and what each layer is for.
///
/// Same file name, type name and public surface as exercises/01-protocol-stack/ProtocolStack.swift.
public enum ProtocolStack: ProtocolStackExercise {
    /// Each layer rides inside the one listed after it (RFC 8831 §5, Figure 1). ICE sits above
    /// STUN/TURN because it is the one that decides which path to use: it sends STUN Binding
    /// requests as connectivity checks and asks TURN for relay candidates.
    public static func layersTopDown() throws -> [StackLayer] {
        [.application, .dataChannel, .sctp, .dtls, .ice, .stunTurn, .udp, .ip]
    }

    /// Two responsibilities in the vocabulary belong to no layer here: WebRTC data does not use
    /// TCP's single ordered byte stream (head-of-line blocking), and media codecs are not part of
    /// the data path at all.
    public static func responsibility(of layer: StackLayer) throws -> LayerResponsibility {
        switch layer {
        case .application: .applicationMessages
        case .dataChannel: .channelOpenAndMessageFraming
        case .sctp: .perStreamReliabilityAndOrdering
        case .dtls: .encryptionAndAuthentication
        case .ice: .pathFindingThroughNATs
        case .stunTurn: .addressDiscoveryAndRelay
        case .udp: .datagramTransportBetweenPorts
        case .ip: .hostAddressingAndRouting
        }
    }
}
