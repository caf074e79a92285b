import DTLS
import SDP
import SocketDriver
import Wire

/// The default run: a DTLS client and server in this process over loopback UDP,
/// one event loop driving both, each checking the other's fingerprint.
struct LoopbackRun {
    let settings: RunSettings

    func run() throws -> HandshakeExit {
        let command = settings.command
        let serverCertificate = try settings.loadedCertificate ?? RunSettings.freshCertificate("dtls-handshake server")
        let clientCertificate = try RunSettings.freshCertificate("dtls-handshake client")
        let published = try settings.published([clientCertificate, serverCertificate])
        let client = SideState(name: "client", certificate: clientCertificate, publishedFingerprint: published[0],
                               expected: settings.expected ?? published[1])
        let server = SideState(name: "server", certificate: serverCertificate, publishedFingerprint: published[1],
                               expected: published[0])

        let clientSocket = try Sockets.bind("127.0.0.1:0")
        let serverSocket = try Sockets.bind("127.0.0.1:0")
        defer { clientSocket.close(); serverSocket.close() }
        client.localAddress = clientSocket.localAddress
        server.localAddress = serverSocket.localAddress
        let capture = try Capture(pcapPath: command.pcap, recordReceived: false)

        if !command.json {
            HumanReport.printIntroduction(sides: [client, server], settings: settings)
        }
        let log = FlightLog(start: SystemClock.now(), live: !command.json, verbose: command.verbose)
        let loss = LossModel(probability: command.loss, seed: command.seed)
        let loop = EventLoop()
        loop.tap = capture.tap

        let conversations = try [(client, DTLSRole.client, serverSocket), (server, DTLSRole.server, clientSocket)]
            .map { state, role, peerSocket -> Conversation in
                let peerName = role == .client ? "server" : "client"
                let endpoint = TracedEndpoint(
                    side: state.name, peerName: peerName, log: log, loss: loss, dropIncoming: false,
                    peer: peerSocket.localAddress, trustOnFirstUse: false) { remote throws(DTLSError) in
                        try DTLSEndpoint(configuration: settings.configuration(
                            role: role, certificate: state.certificate, expected: state.expected,
                            local: state.localAddress ?? remote, remote: remote))
                    }
                do throws(DTLSError) { try endpoint.open() } catch {
                    throw HandshakeFailure(HandshakeExit.forFailure(error), error.reason)
                }
                return Conversation(state: state, endpoint: endpoint, log: log, message: command.message,
                                    exercise: settings.activeExercise)
            }
        let sockets = [clientSocket, serverSocket]
        for (conversation, socket) in zip(conversations, sockets) {
            conversation.loop = loop
            conversation.handle = loop.attach(conversation.endpoint, sockets: [socket], onEvent: conversation.onEvent)
        }
        loop.addTicker(every: .milliseconds(20)) { _ in conversations.forEach { $0.tick() } }
        // The server starts first so its deadline is armed; the client's ClientHello opens the handshake.
        for conversation in conversations.reversed() {
            loop.withEndpoint(conversation.handle!) { $0.dtls?.start(at: SystemClock.now()) }
        }

        let deadline = log.start + .milliseconds(Int64(command.timeout * 1000)) + .seconds(3)
        let finish = Finish(conversations: conversations, log: log)
        _ = try loop.run(until: deadline) { finish.isDone }

        try capture.finish()
        if let path = command.keylog {
            try Capture.writeKeyLog(client.keyLogLines + server.keyLogLines, to: path)
        }
        let outcome = Outcome.judge(conversations, log: log)
        let report = RunReport(mode: "loopback", conversations: conversations, log: log, message: command.message,
                               exit: outcome.exit, error: outcome.error, lossProbability: command.loss,
                               lostCount: loss.dropped, seed: command.seed)
        report.emit(json: command.json)
        return outcome.exit
    }
}

/// When a run has nothing left to wait for.
final class Finish {
    let conversations: [Conversation]
    let log: FlightLog
    /// How long to wait for the other side's alert or close_notify once one side ended.
    static let grace: Duration = .milliseconds(400)

    init(conversations: [Conversation], log: FlightLog) {
        self.conversations = conversations
        self.log = log
    }

    var isDone: Bool {
        let now = log.elapsed
        let states = conversations.map(\.state)
        if states.allSatisfy(\.isFinished) {
            // Wait briefly for the close_notify reply a closing client expects.
            guard let client = conversations.first(where: \.isClient), client.state.failure == nil,
                  !client.state.receivedCloseNotify, let closed = client.closedAt else { return true }
            return now - closed >= Self.grace
        }
        if let failedAt = states.compactMap(\.failedAt).min(), now - failedAt >= Self.grace { return true }
        if let closedAt = conversations.compactMap(\.closedAt).min(), now - closedAt >= Self.grace { return true }
        return conversations.contains { $0.echoAbandoned }
    }
}
