import ArgumentParser
import DTLS
import SDP
import Wire

/// The command line of dtls-handshake: a DTLS 1.2 handshake (RFC 6347) made
/// visible, as WebRTC runs it (self-signed certificates checked by fingerprint).
struct HandshakeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dtls-handshake",
        abstract: "Watch a WebRTC-style DTLS 1.2 handshake, flight by flight.",
        discussion: """
        With no --listen or --connect: a DTLS client and server in this process, over real loopback UDP (both bound \
        to 127.0.0.1, ports chosen by the kernel). Each side has a fresh self-signed ECDSA P-256 certificate and \
        expects the other's SHA-256 fingerprint, exactly as the SDP a=fingerprint line would carry it: that check, not \
        a CA, is what authenticates the peer. The tool prints every datagram as it is sent (ms since start, \
        direction, size, the records and handshake messages inside), then the negotiated version and cipher suite, \
        both fingerprints, each side's verdict and the handshake time; the client then sends --message, the server \
        echoes it, and close_notify goes both ways.

        --listen ADDR / --connect HOST:PORT split the two sides across processes (or talk to openssl s_client/s_server \
        -dtls1_2). The listener prints "listening on ADDR fingerprint sha-256 ..." first, serves ONE client, echoes \
        its messages, and exits when the client closes (or stays silent for --timeout seconds). --expect-fingerprint is optional there: without it the peer's certificate is accepted as \
        presented and the report says the peer was NOT authenticated (anyone could have been on the other end).

        --loss P drops datagrams at random in the driver (both directions, seeded by --seed): watch the timer fire, \
        the flight go out again and the timer double (use --initial-timeout 100 to keep it short). "[resent]" marks a \
        flight repeated without the timer: OpenSSL answers a peer's repeated flight with its own. Application data \
        is not retransmitted by DTLS, so the tool itself resends --message until it is echoed.

        A client without a certificate cannot be shown: the DTLS layer always presents one (each side requires \
        the other's, RFC 8827 §6.5); a peer that sends none (e.g. openssl s_client without -cert) ends in exit 7.

        --use-exercise: your exercise 05 code (exercises/05-dtls-fingerprint) computes both fingerprints that the \
        handshake then really checks; if it is not implemented, throws, or disagrees with the library, the run stops \
        before the handshake (exit 8).

        EXAMPLES:
          dtls-handshake                      loopback run, flight by flight
          dtls-handshake --verbose            ... and every field of every datagram
          dtls-handshake --loss 0.3 --seed 5 --initial-timeout 100
                                              retransmissions, the timer doubling
          dtls-handshake --pcap d.pcap --keylog d.keys
                          then: tshark -o tls.keylog_file:d.keys -r d.pcap
          dtls-handshake --listen 127.0.0.1:0 a server: prints port, fingerprint
          dtls-handshake --connect 127.0.0.1:PORT --expect-fingerprint "sha-256 ..."
          dtls-handshake --use-exercise       your fingerprint code does the check

        EXIT CODES:
        \(HandshakeExit.helpTable)
        """
    )

    @Option(help: ArgumentHelp("Be a DTLS server on this address (e.g. 127.0.0.1:0) for one client.", valueName: "addr"))
    var listen: String?

    @Option(help: ArgumentHelp("Be a DTLS client of the server at host:port.", valueName: "host:port"))
    var connect: String?

    @Option(name: .customLong("expect-fingerprint"),
            help: ArgumentHelp("The peer's fingerprint as SDP writes it (\"sha-256 AB:CD:...\"); a mismatch exits 6. "
                               + "Loopback run: replaces what the client expects of the server.", valueName: "fp"))
    var expectFingerprint: String?

    @Option(help: ArgumentHelp("Our certificate, PEM (RSA or EC); needs --key. Loopback run: the server's.", valueName: "file"))
    var cert: String?

    @Option(help: ArgumentHelp("The private key of --cert, PEM.", valueName: "file"))
    var key: String?

    @Option(help: ArgumentHelp("Text the client sends once connected; the server echoes it.", valueName: "text"))
    var message = "hello over DTLS"

    @Option(help: ArgumentHelp("Probability (0...1) that a datagram is dropped, in both directions.", valueName: "p"))
    var loss: Double = 0

    @Option(help: ArgumentHelp("Seed of --loss's randomness (same seed, same drops).", valueName: "n"))
    var seed: UInt64 = 1

    @Option(name: .customLong("initial-timeout"),
            help: ArgumentHelp("First retransmission timeout in ms (RFC 6347 says 1000); it doubles on each expiry.",
                               valueName: "ms"))
    var initialTimeout: Int = 1000

    @Option(help: ArgumentHelp("Handshake deadline in seconds (the listener waits for its client without limit).",
                               valueName: "s"))
    var timeout: Double = 10

    @Flag(help: "Server sends a HelloVerifyRequest cookie first (RFC 6347 §4.2.1).")
    var cookie = false

    @Option(help: ArgumentHelp("Write the session keys to this file, NSS SSLKEYLOGFILE format (Wireshark/tshark decrypt with it).",
                               valueName: "file"))
    var keylog: String?

    @Option(help: ArgumentHelp("Write every datagram, both directions, to this pcap file.", valueName: "file"))
    var pcap: String?

    @Flag(help: "Print one JSON document (flights, parameters, fingerprints, verdicts, timings) instead of text.")
    var json = false

    @Flag(help: "Also print every datagram's dissected tree, field by field with offsets and hex.")
    var verbose = false

    @Flag(name: .customLong("use-exercise"),
          help: "Compute the fingerprints with your exercises/05-dtls-fingerprint code; they are then really checked.")
    var useExercise = false

    mutating func validate() throws {
        guard (0...1).contains(loss) else { throw ValidationError("--loss must be within 0...1, got \(loss)") }
        guard (1...60_000).contains(initialTimeout) else {
            throw ValidationError("--initial-timeout must be 1...60000 ms, got \(initialTimeout)")
        }
        guard timeout > 0, timeout <= 3600 else { throw ValidationError("--timeout must be within (0, 3600] seconds, got \(timeout)") }
        if listen != nil, connect != nil { throw ValidationError("--listen and --connect exclude each other") }
        if (cert == nil) != (key == nil) { throw ValidationError("--cert and --key go together") }
        guard !message.isEmpty, message.utf8.count <= 1000 else {
            throw ValidationError("--message must be 1 to 1000 bytes, got \(message.utf8.count)")
        }
        _ = try expectedFingerprint()
        if let listen { _ = try Self.listenAddress(listen) }
        if let connect { _ = try HostPort(parsing: connect) }
    }

    /// --expect-fingerprint parsed; a syntax error is a usage error.
    func expectedFingerprint() throws -> Fingerprint? {
        guard let text = expectFingerprint else { return nil }
        let fingerprint: Fingerprint
        do {
            fingerprint = try Fingerprint(parsing: Substring(text.trimmingSpaces))
        } catch {
            throw ValidationError("--expect-fingerprint \"\(text)\": \(error.reason) (expected e.g. \"sha-256 AB:CD:...\")")
        }
        guard fingerprint.hashFunction.digestLength != nil else {
            throw ValidationError("--expect-fingerprint: unknown hash function \(fingerprint.hashFunction) (sha-1, sha-224, sha-256, sha-384, sha-512)")
        }
        return fingerprint
    }

    static func listenAddress(_ text: String) throws -> TransportAddress {
        do {
            return try TransportAddress(parsing: text)
        } catch {
            throw ValidationError("--listen \(text): not an IP address with a port (e.g. 127.0.0.1:0 or [::1]:0)")
        }
    }

    func run() throws {
        let settings = try RunSettings(self)
        let exit: HandshakeExit
        if let listen {
            exit = try PeerRun(settings: settings, role: .server(try Self.listenAddress(listen))).run()
        } else if let connect {
            exit = try PeerRun(settings: settings, role: .client(try HostPort(parsing: connect))).run()
        } else {
            exit = try LoopbackRun(settings: settings).run()
        }
        if exit != .success { throw HandshakeExitRequest(exit: exit) }
    }
}

extension String {
    /// Without leading and trailing spaces, tabs and line ends.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
