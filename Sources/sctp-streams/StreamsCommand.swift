import ArgumentParser
import SCTP

/// The command line of sctp-streams: SCTP (RFC 9260) over DTLS over loopback
/// UDP, one stream per WebRTC delivery mode (RFC 8831 §6.1), measured under loss.
struct StreamsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sctp-streams",
        abstract: "Measure SCTP's four delivery modes over DTLS under induced loss.",
        discussion: """
        Two endpoints in this process, each a DTLS endpoint carrying an SCTP association (usrsctp), talk over real \
        loopback UDP (127.0.0.1, ports chosen by the kernel). The driver drops --loss of the datagrams at random \
        (both directions, seeded) and holds each one back --delay ms (default 10: a 20 ms round trip, as to a nearby \
        peer; loopback alone answers in microseconds, too fast for a loss to hold anything up). SCTP never knows. \
        Once DTLS and SCTP are up, the client opens --streams streams per delivery mode and sends a train of \
        --messages messages of --size bytes on each mode, one every --interval ms per stream, the streams taking \
        turns. Each message carries \
        its send time, so the server measures when it arrives, and in which order.

        After the last message the run waits until every message is delivered or reported abandoned by PR-SCTP \
        (and the sender's SCTP has nothing left outstanding), at most 3 x the RTO maximum after the last progress, \
        and within --timeout; what is still unaccounted for then is reported as in flight, not as lost.

        The table shows, per mode: sent, delivered, lost (sent - delivered, final), abandoned (PR-SCTP gave up on \
        it), out of order (arrived after a later message of its stream), p50/p90/p99 one-way latency and throughput. An ordered \
        stream holds every message behind a lost one until the retransmission (or, unreliable, the FORWARD-TSN) \
        arrives: that is head-of-line blocking, visible in the "late" column (more than 5 ms slower than the \
        median) and in p90, well above the unordered modes'.

        The receiver's a=max-message-size (--max-message-size, default 262144) reaches the sender as it would in \
        WebRTC: each side builds its SDP (offer, answer) and applies the other's; the sender's SCTP then refuses any \
        larger message before sending anything, and the run ends with exit 7.

        The UDP sockets ask for --udp-buffer bytes (4 MiB): with Linux's default 208 KiB receive buffer the kernel \
        drops datagrams whenever SCTP sends a large window at once; the table reports what the kernel granted and \
        what it dropped.

        The unreliable modes use PR-SCTP (RFC 3758, RFC 7496): --max-retransmits N (default 0: sent once) or \
        --lifetime MS, never both (RFC 8831 §6.6 forbids it on one channel).

        --use-exercise: your exercise 12 code (exercises/12-stream-receive, StreamReceive) delivers the messages. \
        The sender cuts each message into fragments of --fragment-size bytes (default \(RunSettings.defaultFragmentSize)) \
        with the fields of an SCTP DATA chunk (TSN from 4294967232, so the TSNs wrap; stream; SSN; B, E and U flags) \
        and sends each as its own SCTP message, unordered and with the mode's PR-SCTP policy, so SCTP no longer keeps \
        order or message boundaries. Every fragment that arrives goes to your receive(_:), and only what it returns is \
        counted, timed and checked (a reliable mode that loses a message or an ordered one that reorders is exit 6). \
        When PR-SCTP abandons a fragment the sender abandons its message and says so on stream 1; your receiver gets \
        the FORWARD-TSN an SCTP sender would build from that (RFC 3758 §3.5). Exercise 12 is the only student piece \
        this tool can use. Not written yet: exit 8 before anything is sent.

        --pcap FILE --keylog FILE record every datagram and the DTLS keys, and write FILE.lua, a small tshark \
        plugin (Wireshark has no way of its own to know that DTLS application data is SCTP); the tool then prints \
        the tshark command that decrypts DTLS and shows the SCTP chunks inside (INIT, DATA, SACK, FORWARD-TSN...).

        EXAMPLES:
          sctp-streams                         4 modes, 3 % loss, 20 ms round trip
          sctp-streams --loss 0.2 --modes unreliable-ordered,unreliable-unordered
                                               PR-SCTP abandoning under heavy loss
          sctp-streams --loss 5% --delay 40    5 % loss, 80 ms round trip
          sctp-streams --lifetime 50           unreliable = give up after 50 ms
          sctp-streams --loss 0 --delay 0 --interval 0 --modes reliable-ordered \\
                       --messages 2000 --size 65536
                                               throughput without loss, MB/s
          (the same with --udp-buffer 0)       the kernel's default buffers drop
          sctp-streams --json                  one JSON document instead
          sctp-streams --use-exercise --loss 0.1
                                               your exercise 12 receiver reassembles and orders
          sctp-streams --size 262145 --messages 1
                                               SCTP refuses a message above 256 KiB (exit 7)
          sctp-streams --max-message-size 65536 --size 65537
                                               the receiver advertises 64 KiB: refused
          sctp-streams --pcap s.pcap --keylog s.keys --messages 20
                                               then run the tshark command it prints

        EXIT CODES:
        \(StreamsExit.helpTable)
        """
    )

    @Option(help: ArgumentHelp("Probability that the driver drops a datagram, each direction: 0...0.9, or a percentage like 3%.",
                               valueName: "p"))
    var loss: String = "0.03"

    @Option(help: ArgumentHelp("One-way delay added to every datagram, in ms (0...2000); the default gives a 20 ms round trip.",
                               valueName: "ms"))
    var delay: Double = 10

    @Option(help: ArgumentHelp("Messages per mode (1...1000000).", valueName: "n"))
    var messages: Int = 200

    @Option(help: ArgumentHelp("Bytes per message, at least \(MessageStamp.headerSize) (the stamp). Above the max message size "
                               + "(\(RunLimits.defaultMaxMessageSize), or less with --max-message-size) SCTP refuses the first "
                               + "send: exit 7.", valueName: "bytes"))
    var size: Int = 100

    @Option(name: .customLong("max-message-size"),
            help: ArgumentHelp("The receiver's a=max-message-size (RFC 8841 §6), 1...\(RunLimits.largestMaxMessageSize): its "
                               + "SCTP accepts no more, its SDP says so, and the sender refuses larger messages "
                               + "(default \(RunLimits.defaultMaxMessageSize)).", valueName: "bytes"))
    var maxMessageSize: Int?

    @Option(help: ArgumentHelp("Streams per mode; a mode's messages go round-robin over its streams (1...\(RunLimits.maximumStreamsPerMode), "
                               + "at most \(RunLimits.maximumStreams) streams for all modes).",
                               valueName: "n"))
    var streams: Int = 1

    @Option(help: ArgumentHelp("Comma-separated modes, or all: reliable-ordered, reliable-unordered, unreliable-ordered, unreliable-unordered.",
                               valueName: "list"))
    var modes: String = "all"

    @Option(name: .customLong("max-retransmits"),
            help: ArgumentHelp("Unreliable modes: abandon a message after this many retransmissions (0...65535; default 0).",
                               valueName: "n"))
    var maxRetransmits: Int?

    @Option(help: ArgumentHelp("Unreliable modes: abandon a message once it is this many ms old (1...65535), instead of --max-retransmits.",
                               valueName: "ms"))
    var lifetime: Int?

    @Option(help: ArgumentHelp("Pause between two messages of one stream in ms; 0 sends as fast as SCTP accepts.",
                               valueName: "ms"))
    var interval: Double = 5

    @Option(name: .customLong("udp-buffer"),
            help: ArgumentHelp("SO_RCVBUF and SO_SNDBUF asked for each UDP socket, bytes (0: the system default, "
                               + "which drops datagrams at speed).", valueName: "bytes"))
    var udpBuffer: Int = 4 << 20

    @Option(help: ArgumentHelp("Seed of --loss's randomness (same seed, same drops).", valueName: "n"))
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Give up after this many seconds (0.1...3600).", valueName: "s"))
    var timeout: Double = 30

    @Option(help: ArgumentHelp("Write every datagram to this pcap file (decrypt it with --keylog).", valueName: "file"))
    var pcap: String?

    @Option(help: ArgumentHelp("Write the DTLS session keys here, NSS SSLKEYLOGFILE format (SECRET: decrypts the capture).",
                               valueName: "file"))
    var keylog: String?

    @Flag(help: "Print one JSON document instead of the table (and no progress).")
    var json = false

    @Flag(name: .customLong("use-exercise"),
          help: "Deliver through your exercise 12 receiver (exercises/12-stream-receive): fragments in, messages out.")
    var useExercise = false

    @Option(name: .customLong("fragment-size"),
            help: ArgumentHelp("--use-exercise: payload bytes per fragment (1...1024, default \(RunSettings.defaultFragmentSize)).",
                               valueName: "bytes"))
    var fragmentSize: Int?

    /// --loss as a probability.
    var lossProbability: Double {
        get throws(ValidationError) {
            let text = loss.trimmingCharacters(in: " ")
            let percent = text.hasSuffix("%")
            guard let value = Double(percent ? String(text.dropLast()) : text), value.isFinite else {
                throw ValidationError("--loss \(loss): not a number (e.g. 0.03 or 3%)")
            }
            let probability = percent ? value / 100 : value
            guard (0...0.9).contains(probability) else {
                throw ValidationError("--loss must be within 0...0.9 (0 %...90 %), got \(loss)")
            }
            return probability
        }
    }

    /// --modes parsed.
    var modeList: [DeliveryMode] { get throws(ValidationError) { try DeliveryMode.parseList(modes) } }

    /// The PR-SCTP rule of the unreliable modes.
    var partialReliability: PartialReliability {
        if let lifetime { return .lifetime(milliseconds: lifetime) }
        return .maxRetransmits(maxRetransmits ?? 0)
    }

    mutating func validate() throws {
        _ = try lossProbability
        let modes = try modeList
        guard delay.isFinite, (0...2000).contains(delay) else { throw ValidationError("--delay must be within 0...2000 ms, got \(delay)") }
        guard (1...1_000_000).contains(messages) else { throw ValidationError("--messages must be within 1...1000000, got \(messages)") }
        // No upper limit from SCTP here: a message above the max message size is SCTP's
        // to refuse (exit 7). The bound only keeps one message's buffer sane.
        guard (MessageStamp.headerSize...RunLimits.largestSize).contains(size) else {
            throw ValidationError("--size must be within \(MessageStamp.headerSize)...\(RunLimits.largestSize) bytes, got \(size)")
        }
        if let maxMessageSize, !(1...RunLimits.largestMaxMessageSize).contains(maxMessageSize) {
            throw ValidationError("--max-message-size must be within 1...\(RunLimits.largestMaxMessageSize) bytes, got \(maxMessageSize)")
        }
        guard (1...RunLimits.maximumStreamsPerMode).contains(streams) else {
            throw ValidationError("--streams must be within 1...\(RunLimits.maximumStreamsPerMode), got \(streams)")
        }
        guard modes.count * streams <= RunLimits.maximumStreams else {
            throw ValidationError("--streams \(streams) x \(modes.count) mode(s) = \(modes.count * streams) streams, at most \(RunLimits.maximumStreams)")
        }
        if maxRetransmits != nil, lifetime != nil {
            throw ValidationError("--max-retransmits and --lifetime exclude each other (RFC 8831 §6.6: one PR-SCTP policy per channel)")
        }
        if let maxRetransmits, !(0...65535).contains(maxRetransmits) {
            throw ValidationError("--max-retransmits must be within 0...65535, got \(maxRetransmits)")
        }
        if let lifetime, !(1...65535).contains(lifetime) {
            throw ValidationError("--lifetime must be within 1...65535 ms, got \(lifetime)")
        }
        guard interval.isFinite, (0...10_000).contains(interval) else {
            throw ValidationError("--interval must be within 0...10000 ms, got \(interval)")
        }
        guard timeout.isFinite, (0.1...3600).contains(timeout) else {
            throw ValidationError("--timeout must be within 0.1...3600 s, got \(timeout)")
        }
        guard udpBuffer == 0 || (4096...(256 << 20)).contains(udpBuffer) else {
            throw ValidationError("--udp-buffer must be 0 (system default) or 4096...268435456 bytes, got \(udpBuffer)")
        }
        if let fragmentSize {
            guard useExercise else { throw ValidationError("--fragment-size applies to --use-exercise only") }
            guard (1...1024).contains(fragmentSize) else {
                throw ValidationError("--fragment-size must be within 1...1024 bytes (one fragment per SCTP packet), got \(fragmentSize)")
            }
        }
        if let pcap, pcap.isEmpty { throw ValidationError("--pcap needs a file name") }
        if let keylog, keylog.isEmpty { throw ValidationError("--keylog needs a file name") }
    }

    func run() throws {
        let exit = try LoopbackRun(command: self).run()
        if exit != .success { throw StreamsExitRequest(exit: exit) }
    }
}

/// Bounds of the run that do not come from the command line.
enum RunLimits {
    /// What each side's SCTP accepts and advertises without --max-message-size:
    /// SCTPConfiguration's default, WebRTC's usual a=max-message-size (256 KiB).
    static let defaultMaxMessageSize = SCTPConfiguration().maxMessageSize
    /// The largest --max-message-size: the receiver's SCTP must hold one such message
    /// in its send buffer (SCTPConfiguration.validate), 1 MiB by default.
    static let largestMaxMessageSize = SCTPConfiguration().sendBufferSize
    /// The largest --size: one message is built in memory (64 MiB), far above any
    /// max message size, so SCTP's own refusal is what a large --size shows.
    static let largestSize = 64 << 20
    /// Streams per mode.
    static let maximumStreamsPerMode = 256
    /// Streams in all: the client's stream ids are even (RunSettings.streamID), so the
    /// association's outbound streams (1024 by default) carry half as many of ours.
    static let maximumStreams = Int(SCTPConfiguration().outboundStreams) / 2
}
