/// The exit codes of ice-check: one per way an explanation can fail, so scripts
/// and lessons can tell "no such file" from "not SDP" from "SDP, but unusable".
enum IceCheckExit: Int32, CaseIterable {
    /// The description was read, parsed and explained.
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

    /// One line for --help.
    var meaning: String {
        switch self {
        case .success: return "success: the description was parsed and explained"
        case .localFailure: return "local failure (the report could not be produced)"
        case .usage: return "bad arguments (unknown option or subcommand, missing FILE)"
        case .unreadableInput: return "the input cannot be read (no such file, a directory, no permission)"
        case .unparsableSDP: return "the input is not valid SDP (the message names the line number)"
        case .unusableForDataChannel: return "valid SDP, but a DataChannel cannot use it (explained anyway)"
        }
    }

    /// The table printed at the end of --help.
    static var helpTable: String {
        allCases.map { code in
            let number = String(code.rawValue)
            return "  " + number + String(repeating: " ", count: 4 - number.count) + code.meaning
        }.joined(separator: "\n")
    }
}

/// A failure that ends the program with a one-line message and a distinct exit code.
struct IceCheckFailure: Error, CustomStringConvertible {
    /// The exit code.
    let exit: IceCheckExit
    /// One line, no stack trace.
    let message: String

    init(_ exit: IceCheckExit, _ message: String) {
        self.exit = exit
        self.message = message
    }

    var description: String { message }
}
