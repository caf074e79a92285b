import SocketDriver
import STUN
import Wire

/// `--turn`: one TURN allocation walked through step by step (`TurnStep`), with the
/// library's sans-IO `TURNClient` deciding every request and retransmission and the
/// real UDP event loop carrying them. Every datagram on the client's hop (and, when
/// the echo peer is ours, on the peer's hop) is recorded for the reports and the pcap.
///
/// The run stops at the first failed step; if an allocation exists by then it is
/// deleted (best effort) so a real server does not keep the port for 10 minutes.
final class TurnMode {
    let settings: TurnSettings
    /// Every datagram seen, in order (for the reports, the overhead and the tests).
    private(set) var messages: [TurnWireMessage] = []
    private(set) var timings: [(step: TurnStep, elapsed: Duration)] = []
    private let loop = EventLoop()
    private let report: TurnReport?
    private var step = TurnStep.allocate
    private var client = TransportAddress(.loopbackV4, 0)
    private var peerAddress = TransportAddress(.loopbackV4, 0)
    private var peerIsOurs = false
    private var realm: String?
    private var capture: CaptureWriter?
    // What the client reported.
    private var failure: TURNFailure?
    private var allocation: TURNAllocation?
    private var refreshed: TURNAllocation?
    private var permitted = false
    private var channel: UInt16?
    private var received: [(data: [UInt8], path: TURNDataPath)] = []
    private var deallocated = false
    private var retransmissions = 0
    private var sendError: SocketError?

    init(settings: TurnSettings) {
        self.settings = settings
        report = settings.json ? nil : TurnReport(settings: settings)
    }

    static func bind(_ address: TransportAddress) throws -> UDPSocket {
        do {
            return try UDPSocket(bindingTo: address)
        } catch let error as SocketError {
            throw ProbeFailure(.localFailure, error.reason)
        }
    }

    func run() throws {
        var runFailure: ProbeFailure?
        var context = TurnContext(server: TransportAddress(.loopbackV4, 0), serverArgument: settings.server, embedded: false,
                                  client: client, peer: peerAddress, peerIsOurs: false, username: settings.username)
        do {
            context = try setUp()
            try walk(context)
        } catch let error as ProbeFailure {
            runFailure = error
        }
        if allocation != nil, !deallocated { tearDownAfterFailure() }
        capture?.close()
        runFailure = runFailure ?? capture?.failure
        let result = TurnResult(context: context, messages: messages, timings: timings, allocation: allocation,
                                refreshed: refreshed, channel: channel, retransmissions: retransmissions,
                                pcap: capture.map { ($0.path, $0.count) }, failure: runFailure)
        if let report {
            report.summary(result)
        } else {
            print(TurnJSONReport(result).text)
        }
        if let runFailure { throw runFailure }
    }

    // MARK: - Set-up

    private var handle: EndpointHandle<TURNClient>?

    private func setUp() throws -> TurnContext {
        let server: TransportAddress
        var embedded = false
        if let text = settings.server {
            server = try ServerTarget(parsing: text).resolve()
        } else {
            server = try EmbeddedTURNServer.start(in: loop) { [weak self] event in self?.report?.serverEvent(event) }
            embedded = true
        }
        if let peer = settings.peer {
            peerAddress = peer
        } else {
            // The relay sends from a relayed address of the server's family: IPv4 unless asked otherwise (§7.2).
            let socket = try Self.bind(TransportAddress(.loopbackV4, 0))
            peerAddress = socket.localAddress
            peerIsOurs = true
            loop.attach(EchoPeer(), sockets: [socket]) { _, _ in }
        }
        let localIP: IPAddress
        do {
            localIP = try SourceAddressSelection.localAddress(toward: server)
        } catch let error as SocketError {
            throw ProbeFailure(.localFailure, error.reason)
        }
        let socket = try Self.bind(TransportAddress(localIP, 0))
        client = socket.localAddress
        capture = try settings.pcap.map { try CaptureWriter(path: $0) }
        loop.tap = { [weak self] tapped in self?.tapped(tapped) }
        loop.onSendError = { [weak self] _, error in
            self?.sendError = error
            self?.loop.stop()
        }
        let turnClient = TURNClient(localAddress: client, server: server, username: settings.username,
                                    password: settings.password, software: "webrtc-lab stun-probe", policy: settings.policy)
        handle = loop.attach(turnClient, sockets: [socket]) { [weak self] event, now in self?.clientEvent(event, at: now) }
        let context = TurnContext(server: server, serverArgument: settings.server, embedded: embedded, client: client,
                                  peer: peerAddress, peerIsOurs: peerIsOurs, username: settings.username)
        report?.start(context)
        return context
    }

    // MARK: - The walk-through

    private func walk(_ context: TurnContext) throws {
        let peer = peerAddress
        let payload = settings.message
        try perform(.allocate, { try $0.allocate(at: $1) }) { [unowned self] in allocation != nil }
        report?.allocated(allocation)
        try perform(.createPermission, { try $0.createPermission(for: [peer.ip], at: $1) }) { [unowned self] in permitted }
        try perform(.sendIndication, { try $0.send(payload, to: peer, at: $1) },
                    cap: settings.echoWait) { [unowned self] in received.contains { $0.path == .dataIndication } }
        try perform(.channelBind, { try $0.bindChannel(to: peer, at: $1) }) { [unowned self] in channel != nil }
        try perform(.channelData, { try $0.send(payload, to: peer, at: $1) }, cap: settings.echoWait) { [unowned self] in
            received.contains { if case .channel = $0.path { return true } else { return false } }
        }
        try perform(.refresh, { try $0.refresh(at: $1) }) { [unowned self] in refreshed != nil }
        report?.refreshed(refreshed)
        try perform(.deallocate, { try $0.deallocate(at: $1) }) { [unowned self] in deallocated }
    }

    /// Runs one step: the call, then the loop until `done`, a failure, or the cap
    /// (a request's own RFC 8489 schedule decides unless --timeout is shorter).
    private func perform(_ step: TurnStep, _ call: (inout TURNClient, Instant) throws -> Void, cap: Duration? = nil,
                         until done: () -> Bool) throws {
        guard let handle else { return }
        self.step = step
        report?.stepStarted(step)
        let start = loop.clock()
        do {
            try loop.withEndpoint(handle) { try call(&$0, start) }
        } catch {
            throw ProbeFailure(.localFailure, "\(step.title): the client refused the call: \(error)")
        }
        let limit = cap ?? settings.timeout ?? (settings.policy.schedule.giveUp + .seconds(1))
        do {
            _ = try loop.run(until: start + limit) { [unowned self] in done() || failure != nil }
        } catch let error as SocketError {
            throw ProbeFailure(.localFailure, error.reason)
        }
        let elapsed = loop.clock() - start
        if let sendError { throw ProbeFailure(.localFailure, sendError.reason) }
        if let failure { throw TurnFailureText.failure(failure, context: settings, step: step) }
        guard done() else { throw TurnFailureText.silence(step, waited: elapsed, settings: settings, peerIsOurs: peerIsOurs) }
        timings.append((step, elapsed))
        report?.stepFinished(step, elapsed: elapsed)
    }

    /// After a failed step: delete the allocation, waiting at most a second for the answer.
    private func tearDownAfterFailure() {
        guard let handle, loop.endpoint(handle).state == .allocated else { return }
        failure = nil
        self.step = .deallocate
        let start = loop.clock()
        guard (try? loop.withEndpoint(handle, { try $0.deallocate(at: start) })) != nil else { return }
        _ = try? loop.run(until: start + .seconds(1)) { [unowned self] in deallocated || failure != nil }
    }

    // MARK: - Loop callbacks

    private func tapped(_ tapped: TappedDatagram) {
        let datagram = tapped.datagram
        let leg: TurnWireMessage.Leg
        switch tapped.direction {
        case .sent where datagram.source == client: leg = .clientToServer
        case .received where datagram.destination == client: leg = .serverToClient
        case .received where peerIsOurs && datagram.destination == peerAddress: leg = .relayToPeer
        case .sent where peerIsOurs && datagram.source == peerAddress: leg = .peerToRelay
        default: return  // The embedded server's side of the same datagrams: each is kept once.
        }
        let message = TurnWireMessage(leg: leg, datagram: datagram, at: tapped.at, step: step)
        if leg == .serverToClient, realm == nil, let found = try? message.stun?.attribute(Realm.self) {
            realm = found.value
        }
        capture?.record(tapped)
        messages.append(message)
        let key = realm.map { STUNKey.longTerm(username: settings.username, realm: $0, password: settings.password) }
        report?.wire(message, key: key, sentAt: sentTime(of: message))
    }

    /// When the request a response answers was first sent (for its round-trip time).
    private func sentTime(of response: TurnWireMessage) -> Instant? {
        guard let answer = response.stun, answer.messageType.messageClass != .request,
              answer.messageType.messageClass != .indication else { return nil }
        return messages.first { $0.leg == .clientToServer && $0.stun?.transactionID == answer.transactionID }?.at
    }

    private func clientEvent(_ event: TURNClientEvent, at now: Instant) {
        switch event {
        case let .allocated(granted): allocation = granted
        case let .challenged(operation, code, realm, _): report?.challenged(operation, code: code, realm: realm)
        case let .refreshed(granted): refreshed = granted
        case .permissionCreated: permitted = true
        case let .channelBound(number, _, _): channel = number
        case let .dataReceived(_, data, path, _):
            received.append((data, path))
            report?.dataReceived(data, path: path, expected: settings.message)
        case .deallocated: deallocated = true
        case let .failed(reported): failure = failure ?? reported
        case let .retransmitted(operation, transmission, _):
            retransmissions += 1
            report?.retransmitted(operation, transmission: transmission)
        case let .dropped(from, reason): report?.dropped(from: from, reason: reason)
        }
    }
}

/// Who talked to whom in a `--turn` run.
struct TurnContext {
    var server: TransportAddress
    var serverArgument: String?
    var embedded: Bool
    var client: TransportAddress
    var peer: TransportAddress
    var peerIsOurs: Bool
    var username: String
}
