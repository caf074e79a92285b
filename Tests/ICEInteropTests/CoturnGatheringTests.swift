import ICE
import SocketDriver
import STUN
import Testing
import ToolTestSupport
import Wire

/// Gathering against coturn on loopback, and a relayed path through it.
@Suite("ICE gathering and relay with coturn")
struct CoturnGatheringTests {
    /// coturn's one user; it relays on loopback and lets loopback peers in (the aioice
    /// peer and our agent are both on 127.0.0.1).
    static let credentials = Coturn.Credentials(username: "ice", password: "interop")

    @Test("srflx from coturn on loopback equals the host base, so the agent discards it as redundant")
    func serverReflexiveIsRedundantOnLoopback() throws {
        let coturn = try Coturn.start(credentials: Self.credentials, attempts: 4)
        defer { coturn.stop() }
        let socket = try UDPSocket(bindingTo: TransportAddress(.loopbackV4, 0))
        defer { socket.close() }
        var generator = SystemRandomNumberGenerator()
        let configuration = ICEAgentConfiguration(role: .controlling, credentials: ICECredentials.random(using: &generator),
                                                  hostAddresses: [socket.localAddress], stunServers: [coturn.address])
        let loop = EventLoop()
        var mapped: [TransportAddress] = []
        loop.tap = { tapped in
            #expect(tapped.datagram.destination.ip.isLoopback, "non-loopback destination \(tapped.datagram.destination)")
            if tapped.direction == .received, tapped.datagram.source == coturn.address,
               let message = try? STUNMessage(parsing: tapped.datagram.payload), let address = message.mappedAddress {
                mapped.append(address)
            }
        }
        var events: [ICEAgentEvent] = []
        let handle = loop.attach(try ICEAgent(configuration: configuration), sockets: [socket]) { event, _ in events.append(event) }
        let started = loop.clock()
        loop.withEndpoint(handle) { $0.start(at: loop.clock()) }
        let reason = try loop.run(until: loop.clock() + .seconds(5)) { events.contains(.gatheringComplete) }
        let elapsed = loop.clock() - started
        print("coturn srflx: server \(coturn.address) mapped \(mapped) for base \(socket.localAddress); "
            + "gathered \(loop.endpoint(handle).gatheredCandidates.map(\.description)) in \(elapsed.milliseconds) ms")

        #expect(reason == .stopped, "gathering did not complete: \(events)")
        #expect(mapped == [socket.localAddress], "coturn answered with the base address (no NAT on loopback)")
        let gathered = loop.endpoint(handle).gatheredCandidates
        #expect(gathered.map(\.type) == [.host], "the srflx equal to its base is redundant (RFC 8445 §5.1.3)")
        #expect(gathered.first?.address == socket.localAddress)
        #expect(!events.contains { if case .dropped = $0 { true } else { false } }, "events: \(events)")
    }

    @Test("aioice relaying through coturn: our agent selects its relay candidate and data crosses both ways")
    func relayPathCarriesData() throws {
        let coturn = try Coturn.start(credentials: Self.credentials, attempts: 4)
        defer { coturn.stop() }
        let session = try InteropSession(role: .controlling, peerArguments: [
            "--turn", coturn.address.description, "--turn-user", Self.credentials.username,
            "--turn-pass", Self.credentials.password, "--relay-only",
        ])
        try session.run()
        print("aioice relay interop: \(session.summary)")

        let local = try #require(session.peerLocal)
        let candidates = local["candidates"] as? [[String: Any]] ?? []
        #expect(candidates.count == 1 && candidates.first?["type"] as? String == "relay", "aioice signaled \(candidates)")
        let selected = try #require(session.selected, "no pair selected; events: \(session.events.map(\.event))")
        #expect(selected.local.type == .host && selected.local.address == session.socket.localAddress)
        #expect(selected.remote.type == .relayed)
        #expect(selected.remote.address.ip == .loopbackV4 && selected.remote.address != coturn.address,
                "the relayed address is a port coturn allocated, not its listening port")
        #expect(session.received.contains(InteropSession.peerGreeting))
        #expect(session.received.contains("echo:" + InteropSession.ourGreeting))
        #expect(session.peerReceived.contains(InteropSession.ourGreeting))
    }

    /// Loopback cannot block the direct path, so two loopback IPs separate it:
    /// our base is 127.0.0.2 and only our relayed candidate (on coturn's relay IP
    /// 127.0.0.1) is signaled; aioice is relay-only, and its allocation lets in
    /// only 127.0.0.1, so our host's checks die at coturn and relay-to-relay is the
    /// one path that works.
    @Test("our agent allocates a relayed candidate on coturn and a relay-to-relay path with aioice carries data")
    func ourRelayCarriesData() throws {
        let coturn = try Coturn.start(credentials: Self.credentials, attempts: 4)
        defer { coturn.stop() }
        let server = ICETURNServer(address: coturn.address, username: Self.credentials.username, password: Self.credentials.password)
        let session = try InteropSession(role: .controlling, peerArguments: [
            "--turn", coturn.address.description, "--turn-user", Self.credentials.username,
            "--turn-pass", Self.credentials.password, "--relay-only",
        ], hostIP: .v4(127, 0, 0, 2), turnServers: [server], signaling: { $0.type == .relayed })
        try session.run()
        print("our relay interop: \(session.summary)")

        let relayed = session.agent.relayedCandidates
        #expect(relayed.count == 1, "one allocation on coturn: \(session.agent.gatheredCandidates)")
        let ourRelay = try #require(relayed.first)
        #expect(ourRelay.address.ip == .loopbackV4 && ourRelay.address != coturn.address)
        #expect(ourRelay.relatedAddress == session.socket.localAddress, "coturn mapped our base (no NAT)")
        let selected = try #require(session.selected, "no pair selected; events: \(session.events.map(\.event))")
        #expect(selected.local == ourRelay)
        #expect(selected.remote.type == .relayed && selected.remote.address.ip == .loopbackV4)
        let peer = try #require(session.peerConnected)
        #expect(peer["local_type"] as? String == "relay" && peer["remote"] as? String == ourRelay.address.description)
        #expect(session.received.contains(InteropSession.peerGreeting))
        #expect(session.received.contains("echo:" + InteropSession.ourGreeting))
        #expect(session.peerReceived.contains(InteropSession.ourGreeting))
    }
}
