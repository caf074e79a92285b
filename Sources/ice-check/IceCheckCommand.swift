import ArgumentParser
import ICE
import SDP
import Simulation
import Wire

/// The command line of ice-check: ICE (RFC 8445) made visible. With no
/// subcommand it runs two agents (loopback UDP, or `--simulate` NATs); `sdp`
/// explains a description.
struct IceCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ice-check",
        abstract: "See how ICE finds a path between two WebRTC peers.",
        discussion: """
        With no subcommand: two ICE agents in this process, over real loopback UDP (127.0.0.1 and ::1, ports \
        chosen by the kernel, nothing sent off this machine). The tool plays the signaling server. It prints every \
        gathered candidate with its priority formula worked out, each agent's checklist (pairs, pair priorities, \
        states), every event as it happens (ms since start), the selected pair and the time taken.

        --simulate LEFT,RIGHT tells the same story on a simulated network in virtual time: each agent behind the \
        named edge, a simulated STUN and TURN server on the public side, a ladder diagram of every datagram, and the \
        outcome (the selected pair's types, or why ICE failed). Edges: \(NetworkEdge.allCases.map(\.rawValue).joined(separator: ", ")). \
        Relayed candidates rank last, so a relay is selected only where hole punching cannot work (symmetric on \
        both sides, symmetric facing port-restricted). With --no-turn those cases end in "ICE failed" (exit 6). \
        An agent behind udp-blocked is also given TURN over TCP (turn:192.0.2.2:443?transport=tcp, RFC 8656 §3.1): \
        its firewall drops UDP only, so it allocates over TCP and connects through the relay; --no-turn-tcp leaves \
        that out and udp-blocked fails again (exit 6), as it does with --no-turn.

        --break turn-password|consent (with --simulate) breaks one thing on purpose, for the debugging lesson: the \
        agents' TURN password is wrong (the server's 401 challenge is answered and refused again: no relayed \
        candidate), or every link goes down at 5 s, after ICE completed (the agents' consent checks, RFC 7675, go \
        unanswered: disconnected after 10 s, failed after 30 s, exit 6).

        --stun HOST:PORT and --turn turn:HOST:PORT --turn-user U --turn-pass P add real servers to the loopback \
        run. The agents bind loopback addresses only, so the servers must be on loopback too (e.g. a local coturn); \
        a STUN answer there equals the base, so no srflx candidate survives (§5.1.3), while TURN adds relay ones. \
        A server that never answers (2.75 s) exits 10; a TURN server that allocates nothing exits 11.

        --use-exercise swaps in every exercise of yours this tool can use (one still throwing notImplemented is \
        left out and named; with none written the run stops with exit 8). Exercise 10 (exercises/10-ice-checklist): \
        your checklist is formed from each agent's final candidates and chooses every ordinary check the agents send \
        (the initial states, the next pair, what a success unfreezes), through the simulated NATs or on loopback; \
        triggered checks, peer-reflexive candidates and nomination stay the library's. Its formation is compared \
        with RFC 8445 §6.1.2's, and every check it chose is listed. Exercise 03 (exercises/03-candidate-priority): \
        the agent has no hook for a priority function, so your code recomputes the priority of every gathered \
        candidate and every checklist pair, and the report says value by value whether you agree.

        Subcommands:
          run (default)  the two-agent run described above; `ice-check run --help` lists its options
          sdp FILE|-     explain an SDP offer or answer: candidates, priorities, fingerprint, roles

        EXAMPLES:
          ice-check                                       loopback run
          ice-check --pcap ice.pcap                       ... and capture the checks for Wireshark/tshark
          ice-check --simulate full-cone,symmetric        simulated NATs, ladder diagram
          ice-check --simulate symmetric,symmetric --no-turn    ... and without a relay
          ice-check --simulate symmetric,open --loss 0.2 --delay 40 --seed 7
          ice-check --simulate symmetric,symmetric --break turn-password    a wrong TURN password: 401, no relay
          ice-check --simulate open,open --break consent    the network dies mid-call: consent freshness fails it
          ice-check --use-exercise                        check your priority code on real candidates
          ice-check --simulate full-cone,symmetric --use-exercise    your checklist drives both agents
          ice-check --turn turn:127.0.0.1:3478 --turn-user lab --turn-pass secret    relay via a local coturn

        EXIT CODES:
        \(IceCheckExit.helpTable)
        """,
        subcommands: [RunCommand.self, SDPCommand.self],
        defaultSubcommand: RunCommand.self
    )
}

/// `ice-check [run] [options]`: the two-agent run. It is the default
/// subcommand (so `ice-check --simulate ...` works) rather than options of the
/// root, whose options ArgumentParser would also accept after `sdp` and so take
/// `sdp`'s own `--json` away from it.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Two ICE agents over loopback UDP, or behind simulated NATs (--simulate); the default.",
        discussion: IceCheckCommand.configuration.discussion
    )

    @Flag(help: "Print one JSON object instead of the human-readable report.")
    var json = false

    @Option(help: ArgumentHelp("Write every datagram the agents send to a pcap file (tshark/Wireshark decode the STUN checks).",
                               valueName: "file"))
    var pcap: String?

    @Option(help: ArgumentHelp("Run on the simulated network, LEFT and RIGHT behind these edges (NAT presets).",
                               valueName: "left,right"))
    var simulate: String?

    @Option(help: ArgumentHelp("--simulate: probability (0...1) that a datagram is lost on the public links.", valueName: "p"))
    var loss: Double = 0

    @Option(help: ArgumentHelp("--simulate: one-way delay of each public link, in milliseconds.", valueName: "ms"))
    var delay: Int = 20

    @Option(help: ArgumentHelp("--simulate: the seed of the network's randomness (same seed, same run).", valueName: "n"))
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Loopback run: also gather a server-reflexive candidate from this STUN server (a loopback address).",
                               valueName: "host:port"))
    var stun: String?

    @Option(help: ArgumentHelp("Loopback run: also allocate a relayed candidate on this TURN server (UDP, a loopback address).",
                               valueName: "turn:host:port"))
    var turn: String?

    @Option(name: .customLong("turn-user"), help: "--turn: the long-term username.")
    var turnUser: String?

    @Option(name: .customLong("turn-pass"), help: "--turn: the long-term password.")
    var turnPass: String?

    @Flag(name: .customLong("no-turn"), help: "--simulate: give the agents no TURN server (see which NATs then fail).")
    var noTURN = false

    @Flag(name: .customLong("no-turn-tcp"),
          help: "--simulate: no TURN over TCP for an agent behind udp-blocked (TURN over UDP only: it then fails).")
    var noTURNOverTCP = false

    @Option(name: .customLong("break"),
            help: ArgumentHelp("--simulate: break one thing on purpose (lesson 10): \(SimulatedBreakage.helpText).",
                               valueName: "what"))
    var breakage: SimulatedBreakage?

    @Flag(name: .customLong("use-exercise"),
          help: "Swap in your exercises: 03's priorities (compared with the library's) and 10's checklist (it chooses the checks).")
    var useExercise = false

    mutating func validate() throws {
        guard (0...1).contains(loss) else { throw ValidationError("--loss must be within 0...1, got \(loss)") }
        guard delay >= 0, delay <= 60_000 else { throw ValidationError("--delay must be within 0...60000 ms, got \(delay)") }
        if simulate == nil, loss != 0 || delay != 20 || seed != 1 || noTURN || noTURNOverTCP {
            throw ValidationError("--loss, --delay, --seed, --no-turn and --no-turn-tcp apply to --simulate only")
        }
        if let breakage, simulate == nil { throw ValidationError("--break \(breakage.rawValue) applies to --simulate only") }
        if breakage == .turnPassword, noTURN { throw ValidationError("--break turn-password needs the TURN server: drop --no-turn") }
        if simulate != nil, stun != nil || turn != nil {
            throw ValidationError("--stun and --turn apply to the loopback run (--simulate has its own servers)")
        }
        if turn == nil, turnUser != nil || turnPass != nil { throw ValidationError("--turn-user and --turn-pass need --turn") }
        if turn != nil, turnUser == nil || turnPass == nil { throw ValidationError("--turn needs --turn-user and --turn-pass") }
        _ = try servers()
    }

    /// The --stun/--turn servers; the agents bind loopback only, so the servers must be on loopback too.
    func servers() throws -> LoopbackSession.Servers {
        func address(_ text: String, option: String) throws -> TransportAddress {
            var spec = Substring(text)
            if option == "--turn", spec.hasPrefix("turn:") { spec = spec.dropFirst(5) }
            guard let parsed = try? TransportAddress(parsing: String(spec), defaultPort: 3478) else {
                throw ValidationError("\(option) \(SDPCommand.oneLine(text)) is not an IP address with an optional port")
            }
            guard parsed.ip.isLoopback else {
                throw ValidationError("\(option) \(parsed) is not on loopback: the agents gather on loopback addresses only")
            }
            return parsed
        }
        var servers = LoopbackSession.Servers()
        if let stun { servers.stun = try address(stun, option: "--stun") }
        if let turn, let turnUser, let turnPass {
            servers.turn = ICETURNServer(address: try address(turn, option: "--turn"), username: turnUser, password: turnPass)
        }
        return servers
    }

    mutating func run() throws {
        let pieces = useExercise ? try ExercisePieces.resolve() : nil
        var record: SessionRecord
        if let simulate {
            let (left, right) = try SimulatedSession.edges(simulate)
            record = try SimulatedSession.run(left: left, right: right, loss: loss, delay: .milliseconds(delay),
                                              seed: seed, useTURN: !noTURN, pcapPath: pcap, pieces: pieces,
                                              breakage: breakage, turnOverTCP: !noTURNOverTCP)
        } else {
            record = try LoopbackSession.run(pcapPath: pcap, servers: try servers(), pieces: pieces)
        }
        if let priority = pieces?.priority { record.exercise = PriorityExerciseReport(sides: record.sides, using: priority) }
        print(json ? try SessionReport.json(record) : SessionReport.human(record))
        try Self.judge(record)
    }

    /// The run's exit: the student's pieces first (not written, then wrong), then the servers, then ICE.
    static func judge(_ record: SessionRecord) throws {
        if let missing = record.checklistExercise?.notImplemented {
            throw IceCheckFailure(.exerciseNotImplemented, "--use-exercise: \(ExercisePieces.checklistFolder) is not finished: \(missing)")
        }
        if let exercise = record.exercise, !exercise.allMatch {
            throw IceCheckFailure(.exerciseMismatch, "--use-exercise: \(exercise.comparisons.count - exercise.matchCount) of "
                                  + "\(exercise.comparisons.count) priorities from your code differ from the library's (see the report)")
        }
        if let problem = record.checklistExercise?.problems.first {
            throw IceCheckFailure(.exerciseMismatch, "--use-exercise: your checklist (exercise 10) disagrees with RFC 8445: "
                                  + "\(problem) (see the report)")
        }
        if let finding = record.serverFindings.first(where: { $0.problem != nil }), let problem = finding.problem {
            throw IceCheckFailure(problem, "\(finding.server) \(finding.text)")
        }
        if !record.connected { throw IceCheckFailure(.iceFailed, "ICE \(record.outcome)") }
    }
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
