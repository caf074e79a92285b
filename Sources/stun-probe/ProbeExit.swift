import ToolSupport

/// The exit codes of stun-probe: one per way a probe can fail, so scripts and
/// lessons can tell "the server is down" from "the server is broken".
enum ProbeExit: Int32, ToolExitCode {
    /// Every transaction got a valid success response (or the server ran and stopped).
    case success = 0
    /// Something local failed: a socket could not be bound, the pcap file could not be written.
    case localFailure = 1
    /// Bad arguments: unknown option, bad port, contradictory flags.
    case usage = 2
    /// The host name did not resolve.
    case unresolvableHost = 3
    /// No answer after all retransmissions (RFC 8489 §6.2.1) or within --timeout.
    case noResponse = 4
    /// Something answered, but never with a valid STUN response for our transaction.
    case malformedResponse = 5
    /// The server answered with an error response (401 Unauthenticated, 420, ...).
    case errorResponse = 6
    /// Responses arrived but failed MESSAGE-INTEGRITY or FINGERPRINT.
    case verificationFailed = 7
    /// --use-exercise: a piece of the student's code (exercise 09's transaction, exercise 02's
    /// decoder) is not implemented, threw, broke a rule, or disagrees with the library.
    case exerciseFailed = 8

    /// One line for --help.
    var meaning: String {
        switch self {
        case .success: return "success: every transaction got a valid answer"
        case .localFailure: return "local failure (cannot bind a socket or write the pcap file, no route)"
        case .usage: return "bad arguments (unknown option, bad port, contradictory flags)"
        case .unresolvableHost: return "the host name does not resolve"
        case .noResponse: return "no answer after all retransmissions (39.5 s by default) or --timeout"
        case .malformedResponse: return "something answered, but not with a valid STUN response"
        case .errorResponse: return "the server sent an error response (e.g. 401 Unauthenticated)"
        case .verificationFailed: return "the response failed MESSAGE-INTEGRITY or FINGERPRINT"
        case .exerciseFailed: return "--use-exercise: your transaction or decoder is not implemented, threw, or disagrees"
        }
    }
}

/// A failure that ends the program with a one-line message and a distinct exit code.
typealias ProbeFailure = ToolFailure<ProbeExit>
