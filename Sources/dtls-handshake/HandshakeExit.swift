import DTLS
import ToolSupport

/// The exit codes of dtls-handshake: one per way a run can end, so scripts and
/// lessons can tell "the fingerprint did not match" from "nobody answered".
enum HandshakeExit: Int32, ToolExitCode {
    /// The handshake finished, the message was echoed, close_notify went both ways.
    case success = 0
    /// Something failed locally: cannot bind a socket, write the pcap or key log, encode JSON.
    case localFailure = 1
    /// Bad arguments: unknown option, bad address, port, fingerprint syntax, missing or bad PEM file.
    case usage = 2
    /// --connect: the host name does not resolve.
    case unresolvableHost = 3
    /// No answer from the peer, or the handshake missed its deadline (--timeout).
    case noAnswer = 4
    /// The handshake or the connection failed on a DTLS protocol error or an alert from the peer.
    case protocolFailure = 5
    /// The peer's certificate does not match the expected fingerprint (this side refused it).
    case fingerprintMismatch = 6
    /// The peer presented no certificate, so there was nothing to check against the fingerprint.
    case missingPeerCertificate = 7
    /// --use-exercise: the exercise 05 code is not implemented, throws, or disagrees with the library.
    case exerciseFailure = 8

    /// One line for --help.
    var meaning: String {
        switch self {
        case .success: return "handshake done, peer verified, message echoed, close_notify sent"
        case .localFailure: return "local failure: cannot bind a socket, write --pcap or --keylog"
        case .usage: return "bad arguments: option, address, port, fingerprint, PEM file"
        case .unresolvableHost: return "--connect: the host name does not resolve"
        case .noAnswer: return "no answer from the peer, or no handshake before --timeout"
        case .protocolFailure: return "DTLS failure or fatal alert from the peer (it refused OUR certificate?)"
        case .fingerprintMismatch: return "the peer's certificate does not match --expect-fingerprint: refused"
        case .missingPeerCertificate: return "the peer sent no certificate"
        case .exerciseFailure: return "--use-exercise: exercise 05 not implemented, or wrong"
        }
    }

    /// The exit code for a DTLS failure reported by the endpoint.
    static func forFailure(_ error: DTLSError) -> HandshakeExit {
        switch error.code {
        case .fingerprintMismatch: return .fingerprintMismatch
        case .missingPeerCertificate: return .missingPeerCertificate
        case .handshakeTimeout: return .noAnswer
        case .alertReceived, .protocolViolation, .malformedRecord: return .protocolFailure
        case .invalidCertificate, .invalidArgument: return .usage
        case .invalidState, .openSSLFailure: return .localFailure
        }
    }

    /// When both sides failed (the loopback run), the one that explains the run:
    /// the side that refused a certificate beats the side that got the alert.
    var precedence: Int {
        switch self {
        case .exerciseFailure: return 9
        case .fingerprintMismatch: return 8
        case .missingPeerCertificate: return 7
        case .noAnswer: return 6
        case .protocolFailure: return 5
        case .usage: return 4
        case .unresolvableHost: return 3
        case .localFailure: return 2
        case .success: return 0
        }
    }
}

/// A failure that ends the program with a one-line message and a distinct exit code.
typealias HandshakeFailure = ToolFailure<HandshakeExit>

/// The run ended with a failure already reported (text or JSON): exit with this code, print nothing more.
typealias HandshakeExitRequest = ToolExitRequest<HandshakeExit>
