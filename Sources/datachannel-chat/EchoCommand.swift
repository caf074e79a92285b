import ArgumentParser
import DataChannels
import ExerciseHooks
import ICE
import ExerciseInterfaces
import Exercises
import Foundation
import ToolSupport
import WebRTC
import Wire

/// `datachannel-chat echo`: the webrtc-echoes interop convention, both roles.
struct EchoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "echo",
        abstract: "Echo server or client in the webrtc-echoes convention (HTTP POST /offer).",
        discussion: """
        SERVER (--serve): answers `POST /offer` with a JSON body {"type":"offer","sdp":...} by {"type":"answer",\
        "sdp":...}. No trickle: the answer waits until every candidate is gathered and carries them all. Each POST \
        gets a new peer connection (several may run at once); every message that arrives on any of its channels is \
        sent back on that channel, text as text and binary as binary. Connections that close, fail, or stay idle \
        for --idle-timeout seconds are cleaned up. With --listen 127.0.0.1:0 the kernel picks the port; the server \
        prints {"listening":"127.0.0.1:PORT"} once it accepts connections.

        CLIENT (URL): offers six channels, one per channel type (reliable, reliable unordered, maxRetransmits 0 \
        ordered and unordered, maxPacketLifeTime 1000 ms ordered and unordered), POSTs the offer to URL, applies \
        the answer and waits for the channels to open. On each channel it then sends a short text, a binary message, \
        an empty text and an empty binary message, and a burst of 100 messages; on the reliable channels one large \
        message of --size bytes (default 262144, lowered to the peer's a=max-message-size; 65536 when the answer \
        says nothing, RFC 8841 §6; --ignore-max-message-size keeps --size, so a message over the peer's limit is \
        refused by send, as a browser's would be). Every echo is checked byte for byte and by type. It prints one JSON line with \
        --json (the steps, the sizes, the elapsed time), a table otherwise, and exits 0, or 1 naming the failed step.

        Both roles bind 127.0.0.1 only and use no STUN server: everything stays on loopback.

        --drop-check-answers N (client): the answer to each of the client's first N ICE transactions is lost once, \
        as if on the wire, so each of those checks completes only through a retransmission (the library's \
        transaction, or your exercise 09 under --use-exercise, whose "transactions" step counts them).

        --pcap FILE --keylog FILE record every datagram and the DTLS keys and write FILE.lua; the tool prints the \
        tshark command that decrypts the capture and shows the DCEP OPEN and ACK (with our labels) inside SCTP.

        --use-exercise: every student piece this tool can use runs on the real traffic. Your exercise 07 code \
        (exercises/07-dcep-open) writes and reads the DATA_CHANNEL_OPENs: the client encodes the OPENs it sends with \
        your encodeOpen, the server decodes the OPENs it receives with your decodeOpen. Your exercise 11 code \
        (exercises/11-dcep-channel) is the DCEP state machine of every channel, on both sides: it decides when the \
        OPEN and the ACK go, whether each message goes ordered, what is delivered, and the close by stream reset. \
        Your exercise 10 checklist (exercises/10-ice-checklist) decides the client's ordinary ICE checks: which pairs \
        start Waiting, which pair is checked next, what a result unfreezes; after the run a "checklist" step says \
        what it did and fails if it disagreed with RFC 8445 §6.1.2. Your exercise 09 transaction \
        (exercises/09-stun-transaction) times every STUN transaction of the client's ICE agent (checks, the \
        nomination, consent checks): when each goes out again and when it gives up; a "transactions" step says what \
        it did and fails where it disagreed with RFC 8489 §6.2.1. Your exercise 12 receiver \
        (exercises/12-stream-receive) sits beside usrsctp on the client: it gets every DATA and FORWARD-TSN chunk \
        Chromium or the server sends, and a message reaches its channel only once your receiver delivered it too, \
        in your order; a "stream receive" step says what it put together and fails on any message the two \
        receivers disagree on. A piece that still \
        throws notImplemented is left out, the library's runs instead, and stderr and the client's JSON line \
        ("exercises") say which ran; with none written the tool stops with exit status 4. Before any packet, \
        exercise 07 is compared with the library on the client's six channels and a few more, then exercise 11 \
        plays the life of one channel on each side; a difference stops the tool with exit status 4, naming the \
        function and showing what was expected and what it gave. Rebuild (swift build) after changing your code; \
        `lab check capstone` runs this client against Chromium with your pieces.

        EXAMPLES:
          datachannel-chat echo --serve --listen 127.0.0.1:8080
          datachannel-chat echo http://127.0.0.1:8080/offer
          datachannel-chat echo http://127.0.0.1:8080/offer --size 65536 --json
          datachannel-chat echo http://127.0.0.1:8080/offer --size 300000 --ignore-max-message-size
          datachannel-chat echo http://127.0.0.1:8080/offer --pcap dc.pcap --keylog dc.keys
          datachannel-chat echo http://127.0.0.1:8080/offer --use-exercise
          datachannel-chat echo http://127.0.0.1:8080/offer --use-exercise --drop-check-answers 1

        EXIT CODES:
        \(ChatExit.helpTable)
        """
    )

    @Flag(help: "Run the echo server instead of the client.")
    var serve = false

    @Option(help: ArgumentHelp("Server: the address to listen on (port 0: the kernel picks one).", valueName: "ip:port"))
    var listen: String = "127.0.0.1:8080"

    @Argument(help: ArgumentHelp("Client: the server's offer URL, e.g. http://127.0.0.1:8080/offer.", valueName: "url"))
    var url: String?

    @Option(help: ArgumentHelp("Client: bytes in the large message (1...16777216), capped at the peer's a=max-message-size.",
                               valueName: "n"))
    var size: Int = 262_144

    @Flag(help: "Client: print one JSON result line instead of the table.")
    var json = false

    @Flag(name: .customLong("ignore-max-message-size"),
          help: "Client: send the large message at --size even above the peer's a=max-message-size (lesson 10: the send is refused).")
    var ignoreMaxMessageSize = false

    @Option(name: .customLong("drop-check-answers"),
            help: ArgumentHelp("Client: lose the answer to each of our first n ICE transactions once, so each completes "
                               + "only by a retransmission (0...16).", valueName: "n"))
    var dropCheckAnswers: Int = 0

    @Option(help: ArgumentHelp("Client: give up after this many seconds (1...600).", valueName: "s"))
    var timeout: Double = 30

    @Option(help: ArgumentHelp("Server: close a connection after this many seconds without a message (1...86400).",
                               valueName: "s"))
    var idleTimeout: Double = 60

    @Option(help: ArgumentHelp("Server: the most connections at once; more get HTTP 503 (1...10000).", valueName: "n"))
    var maxConnections: Int = 256

    @Option(help: ArgumentHelp("Write every datagram to this pcap file.", valueName: "file"))
    var pcap: String?

    @Option(help: ArgumentHelp("Write the DTLS keys (NSS key log, secret) to this file, for tshark.", valueName: "file"))
    var keylog: String?

    @Flag(name: .customLong("use-exercise"),
          help: "Run your exercises on the traffic: 07 (OPEN codec), 09 (STUN transaction), 10 (ICE checklist), 11 (channel state machine), 12 (stream receive).")
    var useExercise = false

    func validate() throws {
        if serve, url != nil { throw ValidationError("give either --serve or a URL, not both") }
        if serve, ignoreMaxMessageSize { throw ValidationError("--ignore-max-message-size is a client option") }
        if serve, dropCheckAnswers != 0 { throw ValidationError("--drop-check-answers is a client option") }
        guard (0...16).contains(dropCheckAnswers) else {
            throw ValidationError("--drop-check-answers must be 0...16, got \(dropCheckAnswers)")
        }
        if !serve, url == nil { throw ValidationError("give a URL to test, or --serve to answer offers") }
        guard (1...16 << 20).contains(size) else { throw ValidationError("--size must be 1...16777216, got \(size)") }
        guard timeout >= 1, timeout <= 600 else { throw ValidationError("--timeout must be 1...600 seconds") }
        guard idleTimeout >= 1, idleTimeout <= 86_400 else { throw ValidationError("--idle-timeout must be 1...86400 seconds") }
        guard (1...10_000).contains(maxConnections) else { throw ValidationError("--max-connections must be 1...10000") }
        if serve {
            _ = try listenAddress()
        } else if let url {
            _ = try Self.offerURL(url)
        }
    }

    /// --listen as an address.
    func listenAddress() throws -> TransportAddress {
        do {
            return try TransportAddress(parsing: listen)
        } catch {
            throw ValidationError("--listen must be IP:PORT (e.g. 127.0.0.1:8080), got '\(listen)'")
        }
    }

    /// The URL to POST to: http only, a host, and /offer when no path is given.
    static func offerURL(_ text: String) throws -> String {
        guard let components = URLComponents(string: text), components.scheme == "http", components.host?.isEmpty == false else {
            throw ValidationError("the URL must be http://HOST:PORT/PATH, got '\(text)'")
        }
        return components.path.isEmpty ? text + "/offer" : text
    }

    /// The OPEN codec of this run: under --use-exercise, `exercise` (the student's by
    /// default) once it agrees with the library; nil (the library's) otherwise.
    func openCodec(exercise: any DCEPOpenExercise.Type = DCEPOpen.self) throws -> DCEPOpenCodec? {
        useExercise ? try DCEPExercise.codec(using: exercise) : nil
    }

    /// The channels' DCEP state machines of this run: under --use-exercise, `exercise`
    /// (the student's by default) once it plays a channel's life right; nil (the library's) otherwise.
    func channelDrivers(exercise: any DCEPChannelExercise.Type = DCEPChannel.self) throws -> DCEPChannelDrivers? {
        useExercise ? try DCEPChannelExerciseHook.drivers(using: exercise) : nil
    }

    /// The server these options describe.
    func makeServer(recorder: Recorder, openCodec: DCEPOpenCodec?, channelDrivers: DCEPChannelDrivers? = nil) throws -> EchoServer {
        EchoServer(address: try listenAddress(), idleTimeout: .milliseconds(Int64(idleTimeout * 1000)),
                   maxConnections: maxConnections, recorder: recorder, openCodec: openCodec, channelDrivers: channelDrivers)
    }

    /// The client these options describe (needs a URL); `pieces` are the student's under
    /// --use-exercise (`iceChecklistStrategy`, when given, replaces theirs: tests use it).
    func makeClient(recorder: Recorder, openCodec: DCEPOpenCodec?, channelDrivers: DCEPChannelDrivers? = nil,
                    pieces: EchoExercisePieces? = nil,
                    iceChecklistStrategy: (any ICEChecklistStrategy)? = nil) throws -> EchoClient {
        guard let url else { throw ValidationError("give a URL to test") }
        var client = EchoClient(url: try Self.offerURL(url), size: size, timeout: .milliseconds(Int64(timeout * 1000)),
                                recorder: recorder, openCodec: openCodec, channelDrivers: channelDrivers,
                                ignoreMaxMessageSize: ignoreMaxMessageSize,
                                iceChecklistStrategy: iceChecklistStrategy ?? pieces?.checklistStrategy)
        client.checkTransactions = pieces?.checkTransactions
        client.transactionLog = pieces?.transaction == nil ? nil : pieces?.transactionLog
        client.receiveGates = pieces?.receiveGates
        client.streamReceiveLog = pieces?.streamReceive == nil ? nil : pieces?.streamReceiveLog
        if dropCheckAnswers > 0 {
            let loss = CheckAnswerLoss(count: dropCheckAnswers, base: client.checkTransactions)
            client.checkTransactions = loss
            client.answerLoss = loss
        }
        return client
    }

    func run() async throws {
        // Before any socket or file: a wrong exercise must stop the run with nothing sent
        // (exercise 07 first, then 11: the order of the lessons).
        let pieces = useExercise ? try EchoExercisePieces.resolve() : nil
        if let pieces { DCEPExercise.printNote(pieces.summary) }
        let codec = pieces?.codec
        let drivers = pieces?.drivers
        let recorder = try Recorder(pcapPath: pcap, keylogPath: keylog)
        if serve {
            try await makeServer(recorder: recorder, openCodec: codec, channelDrivers: drivers).run()
        } else {
            var result = try await makeClient(recorder: recorder, openCodec: codec, channelDrivers: drivers,
                                              pieces: pieces).run()
            result.exercises = pieces?.report
            try recorder.finish()
            if json {
                print(result.jsonLine)
            } else {
                print(result.table)
                if let hint = recorder.tsharkHint() {
                    print("decode the capture (DCEP inside SCTP inside DTLS):")
                    print("  " + hint)
                }
            }
            if !result.ok { throw ToolExitRequest<ChatExit>(exit: .stepFailed) }
        }
    }
}
