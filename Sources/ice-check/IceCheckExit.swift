import ToolSupport

/// The exit codes of ice-check: one per way a run can fail, so scripts and
/// lessons can tell "no such file" from "not SDP" from "ICE found no path".
enum IceCheckExit: Int32, ToolExitCode {
    /// The description was explained, or the two agents selected a pair.
    case success = 0
    /// Something unexpected failed locally (e.g. the JSON report could not be encoded).
    case localFailure = 1
    /// Bad arguments: unknown option or subcommand, missing FILE.
    case usage = 2
    /// The input could not be read: no such file, a directory, no permission, a read error.
    case unreadableInput = 3
    /// The input is not valid SDP: the SDP parser's error names the line.
    case unparsableSDP = 4
    /// Valid SDP, but not usable to open a DataChannel (no webrtc-datachannel
    /// section, no ice-ufrag/ice-pwd/fingerprint/setup...); the explanation is still printed.
    case unusableForDataChannel = 5
    /// The agents ran, but ICE failed: every pair failed (or no pair selected in time).
    case iceFailed = 6
    /// --simulate named a NAT preset that does not exist (or not two of them).
    case unknownPreset = 7
    /// --use-exercise: the student's exercise 03 and 10 code is not implemented yet (or 10 only partly).
    case exerciseNotImplemented = 8
    /// --use-exercise: the student's priorities or checklist threw or disagree with the library.
    case exerciseMismatch = 9
    /// --stun/--turn: the server never answered.
    case serverUnreachable = 10
    /// --turn: the server answered but allocated nothing (wrong credentials...).
    case turnRefused = 11

    /// One line for --help.
    var meaning: String {
        switch self {
        case .success: return "success: the SDP was explained / the agents selected a pair"
        case .localFailure: return "local failure (cannot bind a loopback socket, write the pcap, encode the report)"
        case .usage: return "bad arguments (unknown option or subcommand, missing FILE, --loss outside 0...1)"
        case .unreadableInput: return "the input cannot be read (no such file, a directory, no permission)"
        case .unparsableSDP: return "the input is not valid SDP (the message names the line number)"
        case .unusableForDataChannel: return "valid SDP, but a DataChannel cannot use it (explained anyway)"
        case .iceFailed: return "ICE failed: no candidate pair worked (the report says why)"
        case .unknownPreset: return "--simulate: unknown NAT preset (the message lists the valid names)"
        case .exerciseNotImplemented: return "--use-exercise: exercises 03 and 10 are not implemented yet (or 10 only partly)"
        case .exerciseMismatch: return "--use-exercise: your priority code or checklist threw or disagrees with the library"
        case .serverUnreachable: return "--stun/--turn: the server never answered"
        case .turnRefused: return "--turn: the server answered but allocated nothing (wrong --turn-user/--turn-pass?)"
        }
    }
}

/// A failure that ends the program with a one-line message and a distinct exit code.
typealias IceCheckFailure = ToolFailure<IceCheckExit>
