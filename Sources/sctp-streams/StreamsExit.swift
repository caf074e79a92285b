import ToolSupport

/// The exit codes of sctp-streams: one per way a run can end, so scripts and
/// lessons can tell a bad option from a broken delivery promise.
enum StreamsExit: Int32, ToolExitCode {
    /// Every train finished and every mode kept its promise.
    case success = 0
    /// Something failed locally: cannot bind a socket, write --pcap or --keylog, start SCTP.
    case localFailure = 1
    /// Bad arguments: unknown option or mode, a value out of range, --lifetime with --max-retransmits.
    case usage = 2
    /// The DTLS handshake did not finish.
    case handshakeFailure = 3
    /// The SCTP association did not come up, or was aborted or lost during the run.
    case associationFailure = 4
    /// The trains did not finish before --timeout (reliable messages still missing).
    case timedOut = 5
    /// A delivery promise was broken: a reliable mode lost a message, an ordered
    /// mode reordered, or a message arrived twice or corrupted.
    case promiseBroken = 6
    /// SCTP refused the first message before sending anything: --size is above the
    /// sender's maximum message size, the smaller of its own limit and the receiver's
    /// a=max-message-size (RFC 8841 §6, --max-message-size).
    case messageTooLarge = 7
    /// --use-exercise: the student's exercise 12 receiver is not implemented, answered a
    /// first message wrongly before the run, or threw (other than a refusal) during it.
    case exerciseFailure = 8

    /// One line for --help.
    var meaning: String {
        switch self {
        case .success: return "all trains done, every mode kept its promise"
        case .localFailure: return "local failure: socket, --pcap/--keylog file, SCTP runtime"
        case .usage: return "bad arguments"
        case .handshakeFailure: return "the DTLS handshake failed"
        case .associationFailure: return "the SCTP association failed to come up or died"
        case .timedOut: return "not finished before --timeout (reliable messages missing)"
        case .promiseBroken: return "a promise broken: reliable lost, ordered reordered, duplicate or corrupt"
        case .messageTooLarge: return "SCTP refused --size above the max message size; nothing sent"
        case .exerciseFailure: return "--use-exercise: exercise 12 not implemented, or it threw"
        }
    }
}

/// A failure that ends the program with a one-line message and a distinct exit code.
typealias StreamsFailure = ToolFailure<StreamsExit>

/// The run ended with its outcome already reported (table or JSON): exit with this code.
typealias StreamsExitRequest = ToolExitRequest<StreamsExit>
