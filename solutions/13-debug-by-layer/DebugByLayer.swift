// Exercise 13 — debugging by layer. Reference answer.
//
// Why each layer, and why each line is evidence: solutions/13-debug-by-layer/README.md.
import ExerciseInterfaces

/// The diagnosis of each broken connection.
public enum DebugByLayer: DebugByLayerExercise {
    /// The layer that failed in `debugCase`, and a quoted line of its output that proves it.
    public static func diagnose(_ debugCase: DebugCase) throws -> Diagnosis {
        switch debugCase {
        case .wrongFingerprint:
            // ICE was not even involved (loopback); the handshake reached the Certificate and stopped there.
            return Diagnosis(layer: .dtls,
                             evidence: "client: FAILED: the peer's certificate (sha-256 F0:3D:46:0D:7D:07:BC:DC:88:69:DD:A7:1D:77:AE:22:C6:D6:51:2F:89:84:F2:20:67:11:7D:9C:E5:F0:9C:53) matches none of the 1 remote fingerprint(s) under sha-256")
        case .udpBlocked:
            return Diagnosis(layer: .ice, evidence: "dropped: left-nat: UDP port 6000 blocked")
        case .symmetricNATs:
            return Diagnosis(layer: .ice,
                             evidence: "dropped: left-nat: filtered by symmetric NAT: 203.0.113.1:5000 (10.0.1.2:5000) has not sent to 198.51.100.1:49153")
        case .wrongTURNPassword:
            // The first 401 is the normal challenge; the second answers the authenticated Allocate.
            return Diagnosis(layer: .turn, evidence: "#15 Allocate error 401")
        case .maxMessageSize:
            return Diagnosis(layer: .sctp, evidence: "large message: 300000 bytes (the peer's a=max-message-size is 262144)")
        case .expiredToken:
            return Diagnosis(layer: .signaling,
                             evidence: "reason=token expired: get a fresh one from POST /api/token [MeshRegistry] WebSocket upgrade refused (401)")
        case .consentLost:
            return Diagnosis(layer: .ice, evidence: "right  agent state disconnected")
        }
    }
}
