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

        Retransmissions (RFC 8489 §6.2.1): the request is sent at 0, RTO, 3 RTO, 7 RTO... (the interval doubles) until 7 have gone out, then the probe waits 16 RTO more. With the default RTO of 500 ms a silent server is given up on after 39.5 s. --rto scales the whole schedule (--rto 10 gives up after 790 ms); --timeout caps the wait for each transaction whatever the schedule says. Transactions run one after another; the run stops at the first failure. --drop-requests N drops the first N sends of every transaction before they reach the socket, as a lossy path would.

        --turn walks through a TURN relay (RFC 8656) instead of a Binding probe, printing every message field by field: Allocate, the 401 with REALM and NONCE, the Allocate signed with MESSAGE-INTEGRITY (long-term credentials, key MD5(username:realm:password)), the success with XOR-RELAYED-ADDRESS, XOR-MAPPED-ADDRESS and LIFETIME; CreatePermission for the peer's IP; a Send indication to the peer and the Data indication back; ChannelBind and ChannelData both ways; Refresh; and Refresh with LIFETIME 0, which deletes the allocation. It ends with the bytes each datagram spent on TURN's framing (Send/Data indication: 36 bytes or more; ChannelData: 4), measured on the datagrams sent. With no SERVER it starts a TURN server (user lab, password secret, realm webrtc-lab) and a UDP echo peer inside this process on 127.0.0.1; give a SERVER (such as coturn) to use that one. --username and --password default to lab and secret; --peer names a peer that echoes what it receives (default: the embedded echo peer). --rto sets the requests' retransmission schedule as for the probe; --timeout caps every step, including the wait for the peer's echo (default 2 s: indications are never retransmitted). A wrong password ends with the server's 401 (or 441) explained and exit status 6; a silent server or peer, exit status 4.

        --use-exercise swaps in every piece of the lab you wrote that stun-probe can use: your exercise 09 StunTransaction decides when each request is sent again and when to give up (the tool still builds, sends and verifies the datagrams), and your exercise 02 decodeXORMappedAddress reads the answer. A piece you have not written yet is replaced by the library's, and the run exits with status 8.

        EXAMPLES:
          stun-probe                           probe an embedded server on loopback
          stun-probe --json                    the same, as one JSON object
          stun-probe 127.0.0.1:3478 --count 5  five transactions, min/avg/max RTT
          stun-probe [::1]:3478 --rto 100      IPv6, with a 100 ms initial RTO
          stun-probe --pcap probe.pcap         also write every datagram to a pcap
          stun-probe --use-exercise            run your exercise 09 transaction and exercise 02 decoder
          stun-probe --drop-requests 3 --rto 50  lose the first 3 sends: watch the retransmissions
          stun-probe --serve                   run a server on 127.0.0.1:3478
          stun-probe --serve --listen 127.0.0.1:0 --username alice --password pw
          stun-probe 127.0.0.1:3478 --username alice --password pw
          stun-probe --turn                    a TURN allocation, relay and teardown on an embedded server
          stun-probe --turn --json             the same, as one JSON object (with the overhead figures)
          stun-probe --turn 127.0.0.1:3478 --username lab --password secret --pcap turn.pcap
                                               the same against coturn, every datagram in a pcap
          stun-probe --turn --password wrong   watch the server refuse a wrong password (exit 6)

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

    @Option(help: "Short-term credential user name: adds USERNAME and MESSAGE-INTEGRITY to requests (with --serve: required from clients; with --turn: the long-term user name, default lab).")
    var username: String?

    @Option(help: "Short-term credential password, the MESSAGE-INTEGRITY key; responses must carry a valid MESSAGE-INTEGRITY (with --turn: the long-term password, default secret).")
    var password: String?

    @Flag(help: "TURN mode (RFC 8656): allocate a relay, relay to a peer by Send indication and ChannelData, refresh and deallocate, showing every message.")
    var turn = false

    @Option(help: ArgumentHelp("With --turn: the peer to relay to, an IP:PORT that echoes what it receives (default: an echo peer on 127.0.0.1 inside this process).",
                               valueName: "address"))
    var peer: String?

    @Option(help: ArgumentHelp("With --turn: the payload relayed to the peer (default \"\(TurnSettings.defaultMessage)\").",
                               valueName: "text"))
    var message: String?

    @Flag(help: "Print one JSON object instead of the human-readable report.")
    var json = false

    @Option(help: ArgumentHelp("Write every datagram sent and received to this pcap file (open it with Wireshark or tshark -r).",
                               valueName: "file"))
    var pcap: String?

    @Flag(name: .customLong("use-exercise"),
          help: "Run your lab code: the transaction of exercises/09-stun-transaction decides retransmissions and give-up, the decoder of exercises/02-stun-coding reads XOR-MAPPED-ADDRESS.")
    var useExercise = false

    @Option(name: .customLong("drop-requests"),
            help: ArgumentHelp("Drop the first N sends of every transaction before they reach the socket (simulated loss, to watch retransmissions).",
                               valueName: "N"))
    var dropRequests = 0

    func validate() throws {
        if turn { try TurnSettings.validate(self) } else if peer != nil || message != nil {
            throw ValidationError("--peer and --message only apply to --turn")
        }
        if serve, server != nil {
            throw ValidationError("--serve runs a server; do not also give a server to probe (use --listen)")
        }
        if !serve {
            if duration != nil { throw ValidationError("--duration only applies to --serve") }
            if listen != "127.0.0.1:3478" { throw ValidationError("--listen only applies to --serve") }
        } else {
            if json { throw ValidationError("--json applies to probing, not to --serve") }
            if useExercise { throw ValidationError("--use-exercise applies to probing, not to --serve") }
            if dropRequests != 0 { throw ValidationError("--drop-requests applies to probing, not to --serve") }
            if count != 1 || timeout != nil || rto != 500 {
                throw ValidationError("--count, --timeout and --rto apply to probing, not to --serve")
            }
        }
        guard count >= 1, count <= 1000 else { throw ValidationError("--count must be between 1 and 1000") }
        guard dropRequests >= 0, dropRequests <= 32 else { throw ValidationError("--drop-requests must be between 0 and 32") }
        guard rto >= 1, rto <= 60_000 else {
            throw ValidationError("--rto must be between 1 and 60000 milliseconds")
        }
        if let timeout, !(timeout.isFinite && timeout > 0 && timeout <= 3600) {
            throw ValidationError("--timeout must be between 0 and 3600 seconds")
        }
        if let duration, !(duration.isFinite && duration > 0) {
            throw ValidationError("--duration must be a positive number of seconds")
        }
        if !turn, (username == nil) != (password == nil) {
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
        if turn {
            try TurnMode(settings: TurnSettings(command: self)).run()
        } else if serve {
            try ServeMode(command: self).run()
        } else {
            try ProbeMode(command: self).run()
        }
    }
}
