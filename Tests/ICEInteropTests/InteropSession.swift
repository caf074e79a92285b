import Foundation
import ICE
import SocketDriver
import Testing
import Wire

/// One run of our `ICEAgent` (real UDP on a loopback IP, port 0) against an aioice
/// peer: candidates and credentials cross through the peer's stdin/stdout,
/// then both sides check, select a pair and exchange data:
/// aioice sends "hello from aioice" and echoes what it gets; we send
/// "hello from swift" once our agent selects a pair.
final class InteropSession {
    static let ourGreeting = "hello from swift"
    static let peerGreeting = "hello from aioice"

    let loop = EventLoop()
    let socket: UDPSocket
    let peer: AioicePeer
    let startedAt: Instant
    private(set) var handle: EndpointHandle<ICEAgent>!

    /// Everything our agent reported, with the loop time.
    private(set) var events: [(event: ICEAgentEvent, at: Instant)] = []
    /// Our selected pair and when it was selected.
    private(set) var selected: ICECandidatePair?
    private(set) var selectedAt: Instant?
    /// Application data our agent received, as text.
    private(set) var received: [String] = []
    /// Every JSON message aioice printed.
    private(set) var peerMessages: [[String: Any]] = []
    private var sentGreeting = false
    private let signaling: (ICECandidate) -> Bool

    /// Starts the peer with `peerArguments` and attaches our agent in `role`, bound
    /// to `hostIP` (a loopback address). Once our gathering completes, the
    /// candidates `signaling` keeps are sent to the peer with our credentials.
    init(role: ICERole, peerArguments: [String], hostIP: IPAddress = .loopbackV4,
         turnServers: [ICETURNServer] = [], signaling: @escaping (ICECandidate) -> Bool = { _ in true },
         tap: ((TappedDatagram) -> Void)? = nil) throws {
        precondition(hostIP.isLoopback, "interop tests stay on loopback")
        self.signaling = signaling
        peer = try AioicePeer(["--role", role.opposite.rawValue, "--timeout", "15"] + peerArguments)
        socket = try UDPSocket(bindingTo: TransportAddress(hostIP, 0))
        var generator = SystemRandomNumberGenerator()
        let configuration = ICEAgentConfiguration(role: role, credentials: ICECredentials.random(using: &generator),
                                                  hostAddresses: [socket.localAddress],
                                                  nominationDelay: .milliseconds(300), turnServers: turnServers)
        let agent = try ICEAgent(configuration: configuration)
        loop.tap = { tapped in
            // Network rule: this test only ever talks to loopback.
            #expect(tapped.datagram.destination.ip.isLoopback && tapped.datagram.source.ip.isLoopback,
                    "non-loopback datagram \(tapped.datagram.source) -> \(tapped.datagram.destination)")
            tap?(tapped)
        }
        startedAt = loop.clock()
        handle = loop.attach(agent, sockets: [socket]) { [unowned self] event, at in self.record(event, at) }
        loop.watchReadable(fileDescriptor: peer.outputDescriptor) { [unowned self] in
            for message in peer.readMessages() { self.receive(message) }
        }
        loop.withEndpoint(handle) { $0.start(at: loop.clock()) }
    }

    deinit { socket.close() }

    /// Runs until both greetings and the echo crossed, the peer died, or `timeout`
    /// passed; then closes the peer and collects the rest of what it printed.
    /// Returns the peer's stderr.
    @discardableResult
    func run(timeout: Duration = .seconds(10)) throws -> String {
        let reason = try loop.run(until: loop.clock() + timeout) { [unowned self] in
            peer.outputEnded || peerError != nil || isDone
        }
        try? peer.send(["type": "close"])
        let log = peer.stop()
        peerMessages += peer.remainingMessages()
        if !isDone {
            let why = reason == .deadline ? "timed out after \(timeout)" : "the peer stopped"
            Issue.record("the exchange did not finish (\(why)); aioice printed \(peerMessages); its stderr: \(log.suffix(2000))")
        }
        #expect(peerError == nil, "aioice failed: \(peerError ?? "")")
        return log
    }

    /// Both directions carried data, including aioice's echo of ours.
    var isDone: Bool {
        selected != nil && received.contains(Self.peerGreeting) && received.contains("echo:" + Self.ourGreeting)
            && peerReceived.contains(Self.ourGreeting)
    }

    /// What aioice received over its connection.
    var peerReceived: [String] { peerMessages.filter { $0["type"] as? String == "received" }.compactMap { $0["data"] as? String } }
    /// aioice's report of its selected pair and time to connect.
    var peerConnected: [String: Any]? { peerMessages.first { $0["type"] as? String == "connected" } }
    /// aioice's local description (ufrag, pwd, candidates).
    var peerLocal: [String: Any]? { peerMessages.first { $0["type"] as? String == "local" } }
    /// The failure aioice reported, if any.
    var peerError: String? { peerMessages.first { $0["type"] as? String == "error" }?["reason"] as? String }
    /// Our agent as it is now.
    var agent: ICEAgent { loop.endpoint(handle) }

    private func record(_ event: ICEAgentEvent, _ at: Instant) {
        events.append((event, at))
        switch event {
        case let .selectedPairChanged(pair):
            selected = pair
            selectedAt = at
            if !sentGreeting {
                sentGreeting = true
                do { try loop.withEndpoint(handle) { try $0.send(Array(Self.ourGreeting.utf8)) } } catch {
                    Issue.record("our agent could not send: \(error)")
                }
            }
        case .gatheringComplete:
            let ours = agent
            let candidates = ours.gatheredCandidates.filter(signaling)
            do {
                try peer.send(["type": "remote", "ufrag": ours.localCredentials.ufrag, "pwd": ours.localCredentials.password,
                               "candidates": candidates.map(AioicePeer.json)])
            } catch {
                Issue.record("cannot signal to aioice: \(error)")
            }
        case let .dataReceived(payload, _, _):
            received.append(String(decoding: payload, as: UTF8.self))
        default:
            break
        }
    }

    private func receive(_ message: [String: Any]) {
        peerMessages.append(message)
        guard message["type"] as? String == "local" else { return }
        do {
            let credentials = try ICECredentials(ufrag: message["ufrag"] as? String ?? "", password: message["pwd"] as? String ?? "")
            let candidates = try (message["candidates"] as? [[String: Any]] ?? []).map(AioicePeer.candidate)
            let now = loop.clock()
            loop.withEndpoint(handle) { agent in
                agent.setRemoteCredentials(credentials, at: now)
                for candidate in candidates { agent.addRemoteCandidate(candidate, at: now) }
                agent.endOfRemoteCandidates(at: now)
            }
        } catch {
            Issue.record("cannot use aioice's description \(message): \(error)")
            loop.stop()
        }
    }

    /// A one-line account of the run for the test log.
    var summary: String {
        let ours = selected.map { "\($0.local.address) (\($0.local.type)) <-> \($0.remote.address) (\($0.remote.type))" } ?? "none"
        let ms = selectedAt.map { String(format: "%.1f", ($0 - startedAt).milliseconds) } ?? "-"
        let theirs = peerConnected.map { "\($0["local"] ?? "?") (\($0["local_type"] ?? "?")) <-> \($0["remote"] ?? "?") (\($0["remote_type"] ?? "?")) in \($0["elapsed_ms"] ?? "?") ms" } ?? "none"
        return "ours: \(agent.role) selected \(ours) after \(ms) ms, received \(received); "
            + "aioice: selected \(theirs), received \(peerReceived)"
    }
}
