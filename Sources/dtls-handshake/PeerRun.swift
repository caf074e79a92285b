import DTLS
import Foundation
import SDP
import SocketDriver
import ToolSupport
import Wire

/// --listen / --connect: one side in this process, the peer elsewhere (another
/// dtls-handshake, openssl s_client/s_server -dtls1_2, a browser's stack...).
struct PeerRun {
    enum Role {
        case server(TransportAddress)
        case client(HostPort)
    }

    let settings: RunSettings
    let role: Role

    func run() throws -> HandshakeExit {
        let command = settings.command
        let isServer: Bool
        if case .server = role { isServer = true } else { isServer = false }
        let name = isServer ? "server" : "client"
        let certificate = try settings.loadedCertificate ?? RunSettings.freshCertificate("dtls-handshake \(name)")
        let published = try settings.published([certificate])[0]
        let state = SideState(name: name, certificate: certificate, publishedFingerprint: published, expected: settings.expected)

        let socket: UDPSocket
        var remote: TransportAddress?
        switch role {
        case let .server(address):
            socket = try Sockets.bind(address)
        case let .client(hostPort):
            let peer = try hostPort.resolve()
            remote = peer
            // Loopback peers are reached from loopback, so nothing leaves the machine.
            let local = peer.ip.isIPv4 ? (peer.ip.isLoopback ? "127.0.0.1:0" : "0.0.0.0:0")
                : (peer.ip.isLoopback ? "[::1]:0" : "[::]:0")
            socket = try Sockets.bind(local)
        }
        defer { socket.close() }
        state.localAddress = socket.localAddress
        if isServer {
            let line = "listening on \(socket.localAddress) fingerprint \(published)"
            if command.json { printError(line) } else { print(line) }
            // The peer (or a test) reads this line to learn the port: it must not wait in a buffer.
            fflush(nil)
        }
        let capture = try Capture(pcapPath: command.pcap, recordReceived: true)
        if !command.json {
            HumanReport.printIntroduction(sides: [state], settings: settings)
        }
        let log = FlightLog(start: SystemClock.now(), live: !command.json, verbose: command.verbose)
        let loss = LossModel(probability: command.loss, seed: command.seed)
        let loop = EventLoop()
        loop.tap = capture.tap

        let role: DTLSRole = isServer ? .server : .client
        let local = socket.localAddress
        let endpoint = TracedEndpoint(
            side: name, peerName: "peer", log: log, loss: loss, dropIncoming: true, peer: remote,
            trustOnFirstUse: settings.expected == nil) { peer throws(DTLSError) in
                try DTLSEndpoint(configuration: settings.configuration(
                    role: role, certificate: certificate, expected: state.expected, local: local, remote: peer))
            }
        do throws(DTLSError) { try endpoint.open() } catch {
            throw HandshakeFailure(HandshakeExit.forFailure(error), error.reason)
        }
        let conversation = Conversation(state: state, endpoint: endpoint, log: log, message: command.message,
                                        exercise: settings.activeExercise)
        conversation.loop = loop
        conversation.handle = loop.attach(endpoint, sockets: [socket], onEvent: conversation.onEvent)
        loop.addTicker(every: .milliseconds(20)) { _ in conversation.tick() }
        if !isServer {
            loop.withEndpoint(conversation.handle!) { $0.dtls?.start(at: SystemClock.now()) }
        }

        let timeout = Duration.milliseconds(Int64(command.timeout * 1000))
        let finish = Finish(conversations: [conversation], log: log)
        var silent = false
        let stop: () -> Bool = {
            if finish.isDone { return true }
            // A connected peer that fell silent for --timeout is gone (its close_notify may have been lost).
            if state.connection != nil, let heard = endpoint.lastHeard, SystemClock.now() - heard >= timeout {
                silent = true
                return true
            }
            return false
        }
        // A client gives up after the handshake deadline (plus the echo); a listener waits for its client.
        let deadline: Instant? = isServer ? nil : log.start + timeout + .seconds(4)
        _ = try loop.run(until: deadline, stopWhen: stop)
        if silent { log.note("\(name): the peer was silent for \(FlightLog.millis(timeout)); done") }

        try capture.finish()
        if let path = command.keylog { try Capture.writeKeyLog(state.keyLogLines, to: path) }
        let outcome = Outcome.judge([conversation], log: log)
        let report = RunReport(mode: isServer ? "listen" : "connect", conversations: [conversation], log: log,
                               message: command.message, exit: outcome.exit, error: outcome.error,
                               lossProbability: command.loss, lostCount: loss.dropped, seed: command.seed)
        report.emit(json: command.json)
        return outcome.exit
    }
}
