import ArgumentParser
import STUN
import Wire

/// The command line of stun-probe: a STUN Binding client that shows its work,
/// and a small STUN server to point it (or any other client) at.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stun-probe",
        abstract: "Ask a STUN server \"what address do you see me as?\" and show every byte of the exchange.",
        discussion: """
        With no SERVER, stun-probe starts a STUN server on 127.0.0.1 (a free port) inside this process and probes it, so it works offline. Give a SERVER to probe a real one: that is the only case in which anything leaves this machine.

        Each request and response is decoded field by field (hexadecimal byte offset, decoded value, raw bytes), followed by the mapped address (your address as the server saw it), the round-trip time and the number of retransmissions.

        Retransmissions (RFC 8489 §6.2.1): the request is sent at 0, RTO, 3 RTO, 7 RTO... (the interval doubles) until 7 have gone out, then the probe waits 16 RTO more. With the default RTO of 500 ms a silent server is given up on after 39.5 s. --rto scales the whole schedule (--rto 10 gives up after 790 ms); --timeout caps the wait for each transaction whatever the schedule says. Transactions run one after another; the run stops at the first failure.

        EXAMPLES:
          stun-probe                           probe an embedded server on loopback
          stun-probe --json                    the same, as one JSON object
          stun-probe 127.0.0.1:3478 --count 5  five transactions, min/avg/max RTT
          stun-probe [::1]:3478 --rto 100      IPv6, with a 100 ms initial RTO
          stun-probe --pcap probe.pcap         also write every datagram to a pcap
          stun-probe --use-exercise            decode with your exercise 02 code
          stun-probe --serve                   run a server on 127.0.0.1:3478
          stun-probe --serve --listen 127.0.0.1:0 --username alice --password pw
          stun-probe 127.0.0.1:3478 --username alice --password pw

        EXIT CODES:
        \(ProbeExit.helpTable)
        """
    )

    @Argument(help: ArgumentHelp("The server to probe: HOST, HOST:PORT, IPv4:PORT or [IPv6]:PORT (default port 3478).",
                                 valueName: "server"))
    var server: String?

    @Flag(help: "Run a STUN server instead of probing one (prints each request it answers).")
    var serve = false

    @Option(help: ArgumentHelp("With --serve: the address to listen on (port 0 picks a free port; the first line of output names it).",
                               valueName: "address"))
    var listen = "127.0.0.1:3478"

    @Option(help: ArgumentHelp("With --serve: stop after this many seconds (default: run until killed or until a piped stdin closes).",
                               valueName: "seconds"))
    var duration: Double?

    @Option(help: "How many Binding transactions to run, one after another.")
    var count = 1

    @Option(help: ArgumentHelp("Give up on a transaction after this many seconds even if retransmissions remain (default: no cap, the RFC schedule decides).",
                               valueName: "seconds"))
    var timeout: Double?

    @Option(help: ArgumentHelp("Initial retransmission timeout in milliseconds (RFC 8489 default 500); every later interval scales with it.",
                               valueName: "ms"))
    var rto = 500

    @Option(help: "Short-term credential user name: adds USERNAME and MESSAGE-INTEGRITY to requests (with --serve: required from clients).")
    var username: String?

    @Option(help: "Short-term credential password, the MESSAGE-INTEGRITY key; responses must carry a valid MESSAGE-INTEGRITY.")
    var password: String?

    @Flag(help: "Print one JSON object instead of the human-readable report.")
    var json = false

    @Option(help: ArgumentHelp("Write every datagram sent and received to this pcap file (open it with Wireshark or tshark -r).",
                               valueName: "file"))
    var pcap: String?

    @Flag(name: .customLong("use-exercise"),
          help: "Decode XOR-MAPPED-ADDRESS with your own code from exercises/02-stun-coding (lab exercise 02).")
    var useExercise = false

    func validate() throws {
        if serve, server != nil {
            throw ValidationError("--serve runs a server; do not also give a server to probe (use --listen)")
        }
        if !serve {
            if duration != nil { throw ValidationError("--duration only applies to --serve") }
            if listen != "127.0.0.1:3478" { throw ValidationError("--listen only applies to --serve") }
        } else {
            if json { throw ValidationError("--json applies to probing, not to --serve") }
            if useExercise { throw ValidationError("--use-exercise applies to probing, not to --serve") }
            if count != 1 || timeout != nil || rto != 500 {
                throw ValidationError("--count, --timeout and --rto apply to probing, not to --serve")
            }
        }
        guard count >= 1, count <= 1000 else { throw ValidationError("--count must be between 1 and 1000") }
        guard rto >= 1, rto <= 60_000 else {
            throw ValidationError("--rto must be between 1 and 60000 milliseconds")
        }
        if let timeout, !(timeout.isFinite && timeout > 0 && timeout <= 3600) {
            throw ValidationError("--timeout must be between 0 and 3600 seconds")
        }
        if let duration, !(duration.isFinite && duration > 0) {
            throw ValidationError("--duration must be a positive number of seconds")
        }
        if (username == nil) != (password == nil) {
            throw ValidationError("--username and --password go together (short-term credentials need both)")
        }
        if let username, username.utf8.count > 509 {
            throw ValidationError("--username is longer than STUN's 509-byte limit")
        }
        if let server { _ = try Self.usage { try ServerTarget(parsing: server) } }
        if serve { _ = try Self.usage { try ServerTarget(parsing: listen, allowPortZero: true) } }
    }

    /// Turns a usage `ProbeFailure` into ArgumentParser's validation error (exit 2 either way).
    private static func usage<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let failure as ProbeFailure { throw ValidationError(failure.message) }
    }

    /// The retransmission policy from --rto (Rc and Rm stay at the RFC's 7 and 16).
    var policy: STUNRetransmissionPolicy {
        STUNRetransmissionPolicy(initialRTO: .milliseconds(rto))
    }

    /// Short-term credentials from --username/--password.
    var credentials: (username: String, password: String)? {
        guard let username, let password else { return nil }
        return (username, password)
    }

    mutating func run() throws {
        if serve {
            try ServeMode(command: self).run()
        } else {
            try ProbeMode(command: self).run()
        }
    }
}
