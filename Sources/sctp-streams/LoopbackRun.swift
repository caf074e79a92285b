import DataTransport
import DTLS
import ExerciseInterfaces
import Exercises
import SCTP
import SocketDriver
import ToolSupport
import Wire

/// The run: a DTLS client and server in this process, each carrying an SCTP
/// association, over two loopback UDP sockets and one event loop; the client
/// sends the trains, the server measures them.
final class LoopbackRun {
    /// How many RTO maxima the run waits, after the last send, delivery or abandonment,
    /// for the fate of unreliable messages still unaccounted for: a lost packet or
    /// FORWARD-TSN is resent at the latest one RTO max later (RFC 9260 §6.3.3 backs the
    /// timer off up to it), so three cover a loss of the retransmission too.
    static let settleRTOs = 3

    let settings: RunSettings
    let trains: Trains
    var report: RunReport
    let recorder: Recorder
    let link: LinkImpairment
    let loop = EventLoop()
    var client: SCTPTransport!
    var server: SCTPTransport!
    var clientHandle: EndpointHandle<ImpairedEndpoint<SCTPTransport>>!
    var serverHandle: EndpointHandle<ImpairedEndpoint<SCTPTransport>>!
    let started = SystemClock.now()
    var dtlsUpAt: Instant?
    var sending: Bool { sendingSince != nil }
    /// When the association came up and the trains started.
    var sendingSince: Instant?
    var closing = false
    var closedSides = 0
    var failure: StreamsFailure?
    /// --use-exercise: the sending side's fragmenter and the student's receiver.
    var exerciseSink: FragmentingSink?
    var exerciseDelivery: ExerciseDelivery?

    /// A run of `command`; under --use-exercise, `exercise` delivers (the student's by default).
    init(command: StreamsCommand, exercise: any StreamReceiveExercise.Type = Exercises.StreamReceive.self) throws {
        settings = try RunSettings(command, exercise: exercise)
        trains = Trains(settings: settings)
        report = RunReport(settings: settings)
        recorder = try Recorder(pcapPath: settings.pcap, keylogPath: settings.keylog)
        link = LinkImpairment(loss: settings.loss, delay: .microseconds(Int64(settings.delayMs * 1000)), seed: settings.seed)
    }

    func run() throws -> StreamsExit {
        // A receiver that is not written yet is said before any packet, not as a run that loses everything.
        if settings.useExercise, let problem = ExerciseDelivery.preflight(settings.exercise) {
            throw StreamsFailure(.exerciseFailure, problem)
        }
        let sockets = try Self.bindSockets(bufferSize: settings.udpBuffer)
        defer { sockets.forEach { $0.close() } }
        report.localAddresses = sockets.map { $0.localAddress.description }
        report.buffers = RunReport.SocketBuffers(
            requestedReceive: settings.udpBuffer, requestedSend: settings.udpBuffer,
            grantedReceive: (try? sockets[0].receiveBufferSize) ?? 0, grantedSend: (try? sockets[0].sendBufferSize) ?? 0)

        // Each side expects the other's fingerprint, as signaling would deliver it in a=fingerprint.
        let identities = try [DTLSRole.client, .server].map { role in
            do throws(DTLSError) {
                return try DTLSCertificate.generateSelfSigned(commonName: "sctp-streams \(role.rawValue)")
            } catch {
                throw StreamsFailure(.localFailure, "cannot generate a certificate: \(error.reason)")
            }
        }
        client = try makeTransport(.client, identity: identities[0], peer: identities[1],
                                   local: sockets[0].localAddress, remote: sockets[1].localAddress)
        server = try makeTransport(.server, identity: identities[1], peer: identities[0],
                                   local: sockets[1].localAddress, remote: sockets[0].localAddress)
        try exchangeDescriptions(identities: identities)
        if settings.useExercise {
            exerciseSink = FragmentingSink(transport: client, fragmentSize: settings.fragmentSize)
            exerciseDelivery = ExerciseDelivery(exercise: settings.exercise)
        }
        let wake = try WakePipe()
        client.onOutputReady = { wake.signal() }
        server.onOutputReady = { wake.signal() }

        loop.tap = recorder.tap
        clientHandle = loop.attach(ImpairedEndpoint(client, link: link, clock: SystemClock.now), sockets: [sockets[0]]) { [unowned self] event, now in
            clientEvent(event, at: now)
        }
        serverHandle = loop.attach(ImpairedEndpoint(server, link: link, clock: SystemClock.now), sockets: [sockets[1]]) { [unowned self] event, now in
            serverEvent(event, at: now)
        }
        loop.watchReadable(fileDescriptor: wake.readEnd) { [unowned self] in
            wake.drain()
            drainBoth()
        }
        addSenderTicker()
        loop.addTicker(every: .seconds(1)) { [unowned self] now in printProgress(at: now) }

        server.start(at: SystemClock.now())
        client.start(at: SystemClock.now())
        drainBoth()
        let deadline = started + .milliseconds(Int64(settings.timeoutSeconds * 1000))
        let stop = try loop.run(until: deadline) { [unowned self] in failure != nil || trainsFinished }
        // A refused message leaves the association intact: close it as cleanly as a finished run.
        if failure == nil || failure?.exit == .messageTooLarge { closeGracefully() }
        return try finish(timedOut: stop == .deadline, ports: sockets.map { $0.localAddress.port })
    }

    // MARK: - Setting up

    /// Two sockets on 127.0.0.1. `bufferSize` (--udp-buffer, 4 MiB by default) matters:
    /// Linux's default ~208 KiB receive buffer overflows on loopback when SCTP sends
    /// a window of up to 1 MiB (its receive buffer) in one burst.
    static func bindSockets(bufferSize: Int?) throws -> [UDPSocket] {
        try (0..<2).map { _ in
            do {
                return try UDPSocket(bindingTo: TransportAddress(parsing: "127.0.0.1:0"),
                                     receiveBufferSize: bufferSize, sendBufferSize: bufferSize)
            } catch let error as SocketError {
                throw StreamsFailure(.localFailure, "cannot bind a UDP socket on 127.0.0.1: \(error.reason)")
            }
        }
    }

    func makeTransport(_ role: DTLSRole, identity: DTLSCertificate, peer: DTLSCertificate,
                       local: TransportAddress, remote: TransportAddress) throws -> SCTPTransport {
        do {
            let dtls = try DTLSEndpoint(configuration: DTLSConfiguration(
                role: role, certificate: identity, remoteFingerprints: [peer.fingerprint(.sha256)],
                localAddress: local, remoteAddress: remote, mtu: 1200,
                initialRetransmitTimeout: .milliseconds(100),
                handshakeDeadline: .milliseconds(Int64(settings.timeoutSeconds * 1000)),
                keyLogging: settings.keylog != nil))
            return try SCTPTransport(dtls: dtls, sctp: sctpConfiguration(role))
        } catch let error as DTLSError {
            throw StreamsFailure(.localFailure, "cannot set up DTLS: \(error.reason)")
        } catch let error as DataTransportError {
            throw StreamsFailure(.localFailure, "cannot set up SCTP: \(error.reason)")
        }
    }

    /// Short timers, scaled by the round trip (2 x --delay; loopback itself adds
    /// microseconds): RFC 9260's 1-second RTO.Min would make every loss cost a second.
    /// The receiver (server) accepts, and so advertises, --max-message-size.
    func sctpConfiguration(_ role: DTLSRole) -> SCTPConfiguration {
        var configuration = SCTPConfiguration()
        if role == .server, let limit = settings.maxMessageSize { configuration.maxMessageSize = limit }
        let roundTrip = Duration.microseconds(Int64(settings.delayMs * 2000))
        configuration.rtoInitial = .milliseconds(200) + roundTrip * 2
        configuration.rtoMin = .milliseconds(50) + roundTrip
        configuration.rtoMax = .seconds(1) + roundTrip * 4
        configuration.delayedAck = .milliseconds(20)
        return configuration
    }

    // MARK: - Driving

    func drainBoth() {
        if let clientHandle { loop.withEndpoint(clientHandle) { _ in } }
        if let serverHandle { loop.withEndpoint(serverHandle) { _ in } }
    }

    func addSenderTicker() {
        let flatOut = settings.intervalMs == 0
        if flatOut { client.association.bufferedAmountLowThreshold = highWater / 2 }
        let tick = Self.senderTick(intervalMs: settings.intervalMs, lanes: settings.modes.count * settings.streamsPerMode)
        loop.addTicker(every: tick) { [unowned self] now in
            if let exerciseSink, exerciseSink.hasWaitingNotices {
                exerciseSink.flushNotices()
                if let clientHandle { loop.withEndpoint(clientHandle) { _ in } }
            }
            guard sending, !closing, failure == nil, trains.remainingToSend > 0 else { return }
            sendMore(at: now)
        }
    }

    /// How often the sender looks for due messages. The ticker also wakes the loop to
    /// notice `settleLimit` and --timeout passing, so it never sleeps past 10 ms; a
    /// tenth of the slot spacing keeps the pace even, and 1 ms at most (the default
    /// 5 ms over 4 streams, or flat out, where `bufferedAmountLow` drives sending and
    /// the tick is a backstop): a fixed 1 ms tick cost ~1000 wake-ups a second however
    /// slow the trains (5 % CPU at --interval 2000, doing nothing).
    static func senderTick(intervalMs: Double, lanes: Int) -> Duration {
        let tenthOfSpacing = Duration.microseconds(Int64(intervalMs * 100) / Int64(max(1, lanes)))
        return min(max(tenthOfSpacing, .milliseconds(1)), .milliseconds(10))
    }

    /// Flat out, SCTP's queue is kept this full: enough to never run dry between two
    /// ticks at loopback speed, small enough that latency is not all queueing.
    var highWater: Int { max(1 << 20, 4 * settings.size) }

    func sendMore(at now: Instant) {
        do {
            let sink: any MessageSink = exerciseSink ?? client
            if settings.intervalMs > 0, let start = sendingSince {
                try trains.sendDue(on: sink, start: start, interval: .microseconds(Int64(settings.intervalMs * 1000)), at: now)
            } else {
                try trains.fill(sink, upTo: highWater, at: now)
            }
        } catch let error as StreamsFailure {
            failure = failure ?? error
        } catch {
            failure = failure ?? StreamsFailure(.associationFailure, "\(error)")
        }
        if let clientHandle { loop.withEndpoint(clientHandle) { _ in } }
    }

    /// The longest the run waits without progress for the unreliable messages' fate.
    var settleLimit: Duration { client.association.configuration.rtoMax * Self.settleRTOs + link.delay * 2 }

    /// Every message's fate known (see `Trains.isSettled`), or every reliable message
    /// delivered and no progress for `settleLimit` (the rest is reported as in flight).
    var trainsFinished: Bool {
        if trains.isSettled { return true }
        guard trains.reliableComplete, let last = trains.lastProgress ?? dtlsUpAt else { return false }
        return SystemClock.now() - last >= settleLimit
    }

    func printProgress(at now: Instant) {
        guard !settings.json, !closing, now - started >= .seconds(2) else { return }
        let elapsed = Double((now - started).milliseconds / 1000)
        printError("sctp-streams: \(TableReport.number(elapsed)) s: sent \(trains.sentCount)/\(settings.messages * settings.modes.count), "
                   + "delivered \(trains.deliveredCount)")
    }
}
