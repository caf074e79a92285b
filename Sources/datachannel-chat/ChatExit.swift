import ToolSupport

/// The exit codes of datachannel-chat. 1 is a failed step, as the webrtc-echoes
/// convention expects of an echo client; the JSON line names the step.
enum ChatExit: Int32, ToolExitCode {
    /// Every step passed (client), or the server stopped cleanly.
    case success = 0
    /// A step failed: connecting, opening a channel, or an echo that was wrong or missing.
    case stepFailed = 1
    /// Bad arguments.
    case usage = 2
    /// Something failed locally: a socket, the HTTP listener, --pcap or --keylog.
    case localFailure = 3
    /// --use-exercise: neither exercise 07 nor 11 is written, or one throws or disagrees with the library.
    case exerciseFailure = 4

    /// One line for --help.
    var meaning: String {
        switch self {
        case .success: return "every step passed (client), or the server stopped cleanly"
        case .stepFailed: return "a step failed: connect, open, or an echo (the output names it)"
        case .usage: return "bad arguments"
        case .localFailure: return "local failure: socket, HTTP listener, --pcap/--keylog file"
        case .exerciseFailure: return "--use-exercise: exercise 07 not implemented, or wrong (nothing was sent)"
        }
    }
}

extension ChatExit {
    /// The table for one subcommand's --help: the codes it can end with, in what it means
    /// by each (the mesh commands have no echo steps and no exercise to run).
    static func helpTable(_ meanings: KeyValuePairs<ChatExit, String>) -> String {
        meanings.map { code, meaning in
            let number = String(code.rawValue)
            return "  " + number + String(repeating: " ", count: max(1, 4 - number.count)) + meaning
        }.joined(separator: "\n")
    }
}

/// A failure of this tool.
typealias ChatFailure = ToolFailure<ChatExit>
