import ICE
import Simulation
import STUN
import Testing
import Wire

/// ICE behind a firewall that drops all UDP, with TURN over TCP (RFC 8656 §3.1):
/// the agent's leg to the TURN server is a stream, the relayed candidate is UDP.
@Suite("ICE agent: relay over TCP when UDP is blocked")
struct AgentRelayOverTCPTests {
    @Test("udp-blocked × full-cone: the UDP Allocate times out, the TCP one succeeds, ICE completes on the relay, data crosses")
    func blockedConnectsOverTCP() throws {
        let (lab, turn) = try RelayLab.runWithTURNOverTCP("udp-blocked", "full-cone", until: .seconds(2))
        let left = lab.agent("left")
        #expect(left.state == .completed && lab.agent("right").state == .completed)
        #expect(left.selectedPair?.local.type == .relayed)
        let clients = left.turnClients
        #expect(clients.map(\.transport) == [.udp, .tcp])
        #expect(clients[1].state == .allocated)
        #expect(clients[0].state == .expectAllocateResponse)  // still waiting on UDP: the firewall ate it
        #expect(left.relayedCandidates.map(\.address) == [clients[1].allocation!.relayedAddress])
        // Application data both ways through the TCP-reached relay.
        lab.network.modify(lab.handles["left"]!) { agent, _ in try? agent.send(Array("over tcp".utf8)) }
        lab.network.schedule(at: .milliseconds(2100), on: lab.handles["right"]!) { agent, _ in try? agent.send(Array("back".utf8)) }
        lab.network.run(until: .seconds(3))
        #expect(lab.received("right") == [Array("over tcp".utf8)])
        #expect(lab.received("left") == [Array("back".utf8)])
        // The server heard left on its TCP listener only; nothing it got was dropped for framing.
        let events = lab.network.events(of: turn).map(\.value)
        #expect(!events.contains { if case let .dropped(_, _, reason) = $0 { return reason.contains("TCP") } else { return false } })
        #expect(lab.network.endpoint(turn).streamConnectionCount == 1)
    }

    @Test("without the TCP listener (TURN over UDP only) udp-blocked still fails: the relay must be reachable")
    func blockedFailsWithoutTCP() throws {
        let (lab, _) = try RelayLab.runWithTURNOverTCP("udp-blocked", "full-cone", tcpForBlocked: false, until: .seconds(45))
        #expect(lab.agent("left").state == .failed)
        #expect(lab.agent("left").relayedCandidates.isEmpty)
    }

    @Test("both sides UDP-blocked: relay/relay, each agent reaching the server over its own TCP connection")
    func bothBlocked() throws {
        let (lab, turn) = try RelayLab.runWithTURNOverTCP("udp-blocked", "udp-blocked", until: .seconds(3))
        #expect(lab.agent("left").state == .completed && lab.agent("right").state == .completed)
        let types = [lab.agent("left").selectedPair?.local.type, lab.agent("left").selectedPair?.remote.type]
        #expect(types == [.relayed, .relayed])
        #expect(lab.network.endpoint(turn).streamConnectionCount == 2)
    }
}

/// RFC 7065 TURN URIs, as `RTCIceServer.urls` gives them.
@Suite("ICETURNServer: turn: and turns: URLs with ?transport=")
struct TURNServerURLTests {
    @Test("scheme, host, port and transport give address and transport; the URL reads back")
    func parses() throws {
        let tcp = try ICETURNServer(url: "turn:192.0.2.2:443?transport=tcp", username: "u", password: "p")
        #expect(tcp.address == TransportAddress(.v4(192, 0, 2, 2), 443) && tcp.transport == .tcp)
        #expect(tcp.url == "turn:192.0.2.2:443?transport=tcp")
        let plain = try ICETURNServer(url: "turn:192.0.2.2", username: "u", password: "p")
        #expect(plain.address.port == 3478 && plain.transport == .udp)
        let tls = try ICETURNServer(url: "turns:[::1]", username: "u", password: "p")
        #expect(tls.address == TransportAddress(.v6(high: 0, low: 1), 5349) && tls.transport == .tls)
        #expect(tls.url == "turns:[::1]:5349?transport=tcp")
        let explicit = try ICETURNServer(url: "TURNS:127.0.0.1:443?transport=tcp", username: "u", password: "p")
        #expect(explicit.transport == .tls && explicit.address.port == 443)
        #expect(try ICETURNServer(url: tcp.url, username: "u", password: "p") == tcp)
        // The old initializer still means UDP.
        #expect(ICETURNServer(address: tcp.address, username: "u", password: "p").transport == .udp)
    }

    @Test("DTLS (turns over UDP), other schemes and queries, and host names are refused with the reason")
    func refuses() {
        for (url, why) in [("turns:192.0.2.2?transport=udp", "DTLS"), ("stun:192.0.2.2", "scheme"),
                           ("turn:192.0.2.2?transport=sctp", "udp or tcp"), ("turn:192.0.2.2?ttl=3", "only query"),
                           ("turn:turn.example.org:3478", "IP address"), ("192.0.2.2", "scheme")] {
            do {
                _ = try ICETURNServer(url: url, username: "u", password: "p")
                Issue.record("\(url) was accepted")
            } catch {
                #expect("\(error)".contains(why), "\(url): \(error)")
            }
        }
    }
}
