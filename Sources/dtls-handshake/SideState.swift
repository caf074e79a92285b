import DTLS
import SDP
import Wire

/// What one side of the association went through, filled in from its events.
final class SideState {
    /// "client" or "server".
    let name: String
    let certificate: DTLSCertificate
    /// Our fingerprint as the SDP a=fingerprint line would carry it (computed by the
    /// student's code under --use-exercise, after it was checked against the library).
    let publishedFingerprint: Fingerprint
    /// What the peer's certificate is checked against; nil: trust on first use (NOT authenticated).
    let expected: Fingerprint?
    /// The local address the socket is bound to.
    var localAddress: TransportAddress?

    private(set) var connection: DTLSConnectionInfo?
    private(set) var connectedAt: Duration?
    private(set) var failure: DTLSError?
    private(set) var failedAt: Duration?
    /// Application data received, in order.
    private(set) var received: [[UInt8]] = []
    private(set) var closed = false
    private(set) var sentCloseNotify = false
    private(set) var receivedCloseNotify = false
    private(set) var retransmissions: [DTLSRetransmission] = []
    private(set) var keyLogLines: [String] = []
    /// --use-exercise: what the student's fingerprintsMatch said about the real peer certificate.
    var studentVerdict: String?

    init(name: String, certificate: DTLSCertificate, publishedFingerprint: Fingerprint, expected: Fingerprint?) {
        self.name = name
        self.certificate = certificate
        self.publishedFingerprint = publishedFingerprint
        self.expected = expected
    }

    /// Records one event; `elapsed` is the time since the run started.
    func record(_ event: DTLSEvent, elapsed: Duration) {
        switch event {
        case let .connected(info):
            connection = info
            connectedAt = elapsed
        case let .applicationData(bytes):
            received.append(bytes)
        case let .alert(alert):
            guard alert.alertDescription == .closeNotify else { break }
            if alert.direction == .sent { sentCloseNotify = true } else { receivedCloseNotify = true }
        case .closed:
            closed = true
        case let .failed(error):
            if failure == nil {
                failure = error
                failedAt = elapsed
            }
        case let .keyLog(line):
            keyLogLines.append(line)
        case let .retransmitted(info):
            retransmissions.append(info)
        }
    }

    /// Records a failure found by the tool rather than the endpoint.
    func fail(_ error: DTLSError, elapsed: Duration) {
        if failure == nil {
            failure = error
            failedAt = elapsed
        }
    }

    /// Nothing more will happen on this side.
    var isFinished: Bool { failure != nil || closed }

    /// The verification verdict in one line.
    var verdict: String {
        if let connection {
            if let expected {
                return "verified: the peer's certificate matches the expected fingerprint \(expected)"
                    + (connection.peerFingerprint == expected ? "" : " (matched \(connection.peerFingerprint))")
            }
            return "NOT authenticated: no --expect-fingerprint, so the certificate presented "
                + "(\(connection.peerFingerprint)) was accepted as is; anyone could have sent it"
        }
        if let failure {
            switch failure.code {
            case .fingerprintMismatch: return "REFUSED: \(failure.reason)"
            case .missingPeerCertificate: return "REFUSED: the peer sent no certificate"
            default: return "not verified: \(failure.reason)"
            }
        }
        return "not verified: the handshake did not finish"
    }

    /// The peer's certificate fingerprint (SHA-256), once known.
    var peerFingerprint: Fingerprint? {
        guard let der = connection?.peerCertificateDER else { return nil }
        return try? Fingerprint(certificateDER: der, hashFunction: .sha256)
    }
}
