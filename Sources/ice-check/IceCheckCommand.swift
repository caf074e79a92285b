import ArgumentParser
import SDP

/// The command line of ice-check: ICE (RFC 8445) made visible, one subcommand per job.
struct IceCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ice-check",
        abstract: "See how ICE finds a path between two WebRTC peers.",
        discussion: """
        Subcommands available today:
          sdp FILE|-     explain an SDP offer or answer: candidates, priorities, fingerprint, roles

        EXIT CODES:
        \(IceCheckExit.helpTable)
        """,
        subcommands: [SDPCommand.self]
    )
}

/// `ice-check sdp FILE|-`: explains a description for a learner.
struct SDPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sdp",
        abstract: "Explain an SDP offer or answer, line by line.",
        discussion: """
        Reads an SDP (RFC 8866) from FILE, or from standard input when FILE is -, and explains what a WebRTC \
        DataChannel peer learns from it: every candidate (type, address, port, transport, the priority taken apart \
        with the RFC 8445 §5.1.2.1 formula, raddr/rport, foundation and extensions), the ICE credentials and options, \
        the certificate fingerprint and its hash algorithm, the DTLS setup role, each m-line, and which candidates \
        would remain if UDP were blocked (and what ICE falls back to). The left column of the report is the input \
        line each field was read from.

        The ice-pwd is the key of every connectivity check's MESSAGE-INTEGRITY, so it is hidden unless \
        --show-password is given (its length is always shown).

        EXAMPLES:
          ice-check sdp offer.sdp               explain a file
          pbpaste | ice-check sdp -             explain what is on the clipboard
          ice-check sdp offer.sdp --json        the same facts as one JSON object

        EXIT CODES:
        \(IceCheckExit.helpTable)
        """
    )

    @Argument(help: ArgumentHelp("The SDP file, or - to read standard input.", valueName: "file"))
    var file: String

    @Flag(help: "Print one JSON object instead of the human-readable report.")
    var json = false

    @Flag(name: .customLong("show-password"), help: "Print the ice-pwd instead of only its length.")
    var showPassword = false

    mutating func run() throws {
        let input = try SDPInput.read(file)
        let description: SessionDescription
        do throws(SDPError) {
            description = try SessionDescription(parsing: input.text)
        } catch {
            let place = error.line.map { "line \($0): " } ?? ""
            throw IceCheckFailure(.unparsableSDP, "\(input.name) is not valid SDP: \(place)\(Self.oneLine(error.reason)) (\(error.code.rawValue))")
        }
        let facts = SDPExplanation(source: input.name, text: input.text, description: description)
        print(json ? try JSONSDPReport.render(facts, showPassword: showPassword)
                   : HumanSDPReport.render(facts, showPassword: showPassword))
        if let problem = facts.dataChannelProblem {
            throw IceCheckFailure(.unusableForDataChannel,
                                  "\(input.name) cannot set up a DataChannel: \(Self.oneLine(problem.reason)) (\(problem.code.rawValue))")
        }
    }

    /// Keeps an error message on one line whatever the input put in it.
    static func oneLine(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
    }
}
