// Exercise 13 — debugging by layer.
//
// The lab's tools break a connection on purpose in seven ways (lessons/10-debugging-by-layer.md
// shows the command of each). For every case the student names the layer that failed and
// quotes one line of the tool's output that proves it. The checks grade both: the layer
// against the case's cause, and the quote against the case's stored transcript (it must
// appear there, and it must be a line that shows the failure itself, not any line).

/// The layers a broken WebRTC DataChannel connection can fail at, in the order the
/// connection needs them (signaling first, the channel's own protocol last).
public enum DebugLayer: String, CaseIterable, Equatable, Sendable {
    /// Reaching the peer through the signaling server: tokens, WebSocket, relayed messages.
    case signaling
    /// What the offer and answer say: ICE credentials, fingerprint, `a=sctp-port`, `a=max-message-size`.
    case sdp
    /// ICE (RFC 8445, RFC 7675): candidates, connectivity checks, the selected pair and its consent.
    case ice
    /// STUN and TURN servers (RFC 8489, RFC 8656): reflexive addresses, relay allocations, their authentication.
    case turn
    /// DTLS (RFC 6347, RFC 8827): the handshake and the certificate checked against the SDP fingerprint.
    case dtls
    /// SCTP over DTLS (RFC 8261, RFC 8841): the association and the sizes it carries.
    case sctp
    /// DCEP and the channels themselves (RFC 8832): OPEN, ACK, messages.
    case dataChannel
}

/// The broken connections of exercise 13, one per way the tools break one.
public enum DebugCase: String, CaseIterable, Equatable, Sendable {
    /// `dtls-handshake --expect-fingerprint` with a fingerprint that is not the server's.
    case wrongFingerprint = "wrong-fingerprint"
    /// `ice-check --simulate udp-blocked,open --no-turn`: a firewall drops all UDP, no relay.
    case udpBlocked = "udp-blocked"
    /// `ice-check --simulate symmetric,symmetric --no-turn`: both sides behind symmetric NATs, no relay.
    case symmetricNATs = "symmetric-nats"
    /// `ice-check --simulate symmetric,symmetric --break turn-password`: the relay refuses the password.
    case wrongTURNPassword = "wrong-turn-password"
    /// `datachannel-chat echo ... --ignore-max-message-size`: a message over the peer's `a=max-message-size`.
    case maxMessageSize = "max-message-size"
    /// `datachannel-chat join --token` with a token whose `exp` has passed.
    case expiredToken = "expired-token"
    /// `ice-check --simulate open,open --break consent`: the path dies after ICE completed.
    case consentLost = "consent-lost"
}

/// A student's diagnosis of one case: the layer that failed and the evidence for it.
public struct Diagnosis: Equatable, Sendable {
    /// The layer whose step failed first.
    public var layer: DebugLayer
    /// One line (or part of one line) copied from the case's output that shows the failure.
    public var evidence: String

    /// Creates a diagnosis.
    public init(layer: DebugLayer, evidence: String) {
        self.layer = layer
        self.evidence = evidence
    }
}

/// Exercise 13: name the failed layer of each broken connection, with a quoted line of evidence.
///
/// Implemented by `Exercises.DebugByLayer` (exercises/13-debug-by-layer/DebugByLayer.swift)
/// and `Solutions.DebugByLayer`.
public protocol DebugByLayerExercise {
    /// The diagnosis of `debugCase`: its layer and a line of its output, copied as printed
    /// (ports, times and certificate fingerprints may differ from run to run; the checks
    /// ignore those differences, and runs of spaces count as one).
    ///
    /// Throws `ExerciseError.notImplemented` until written.
    static func diagnose(_ debugCase: DebugCase) throws -> Diagnosis
}
