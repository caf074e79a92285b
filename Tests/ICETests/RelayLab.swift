import ICE
import Simulation
import STUN
import Wire

/// The NAT-matrix world with a TURN server: two agents, each on the open
/// internet, behind one of the four NAT presets, or behind a firewall that
/// drops all UDP; a STUN server and a TURN server on the internet, 10 ms one
/// way between public nodes (LANs are instant).
enum RelayLab {
    /// Where an agent sits: "open", a NAT preset name, or "udp-blocked".
    static let edges = ["open"] + NATConfiguration.presetNames + ["udp-blocked"]

    static let stunServer = "198.51.100.1:3478"
    static let turnServer = try! TransportAddress(parsing: "198.51.100.2:3478")
    static let turnConfiguration = TURNServer.Configuration(realm: "lab", users: ["left": "left-pw", "right": "right-pw"],
                                                            relayIP: turnServer.ip, relayPorts: 49_152...49_159)

    /// What one run showed.
    struct Outcome: Equatable, CustomStringConvertible {
        var leftState: ICEAgentState
        var rightState: ICEAgentState
        /// "local/remote" candidate types of the selected pairs, "-" when none.
        var left: String
        var right: String
        /// (ms) when left first had a valid pair (`connected`), when each agent
        /// reached `completed`, or when it `failed`; nil when it never did.
        var leftConnectedAt: Double?
        var leftCompletedAt: Double?
        var rightCompletedAt: Double?
        var leftFailedAt: Double?
        var rightFailedAt: Double?

        var description: String {
            func ms(_ value: Double?) -> String { value.map { "\(Int($0))" } ?? "nil" }
            return "(\"\(left)\", \"\(right)\", \(ms(leftConnectedAt)), \(ms(leftCompletedAt)), \(ms(rightCompletedAt)), "
                + "\(ms(leftFailedAt)), \(ms(rightFailedAt)))"
        }
    }

    /// Adds the TURN server with its whole relay pool bound (as in TURNThroughNATTests).
    static func addTURNServer(to lab: AgentLab) throws -> EndpointHandle<TURNServer> {
        let host = try lab.network.addHost("turn", addresses: [turnServer.ip])
        return try lab.network.attach(TURNServer(configuration: turnConfiguration, random: SplitMix64(seed: 5)),
                                      on: host, at: [turnServer] + turnConfiguration.relayAddresses)
    }

    /// Puts an agent named `name` at edge `edge` (its gateway named `gateway`) and returns its base.
    static func place(_ lab: AgentLab, _ name: String, edge: String, gateway: String, publicIP: String,
                      privateBase: String, openBase: String) throws -> (base: String, realm: String?) {
        switch edge {
        case "open":
            return (openBase, nil)
        case "udp-blocked":
            lab.realms[gateway] = try lab.network.addRealm(behind: gateway, middlebox: UDPFirewall.blockingAllUDP)
            return (openBase, gateway)
        default:
            try lab.addNAT(gateway, NATConfiguration.preset(named: edge)!, publicIP: publicIP)
            return (privateBase, gateway)
        }
    }

    /// Builds the world, starts both agents at 0 (gathering host, srflx and
    /// relay), signals everything gathered by 100 ms, and runs until `until`.
    static func run(_ leftEdge: String, _ rightEdge: String, seed: UInt64 = 1, loss: Double = 0,
                    until: Instant = .seconds(60)) throws -> AgentLab {
        try runWithTURN(leftEdge, rightEdge, seed: seed, loss: loss, until: until).lab
    }

    /// `run`, also returning the TURN server's handle.
    static func runWithTURN(_ leftEdge: String, _ rightEdge: String, seed: UInt64 = 1, loss: Double = 0,
                            until: Instant = .seconds(60)) throws -> (lab: AgentLab, turn: EndpointHandle<TURNServer>) {
        let lab = AgentLab(seed: seed, delay: .milliseconds(10))
        if loss > 0 { try lab.network.setDefaultConditions(LinkConditions(delay: .milliseconds(10), loss: loss)) }
        try lab.addSTUNServer(at: stunServer)
        let turn = try addTURNServer(to: lab)
        let l = try place(lab, "left", edge: leftEdge, gateway: "gwL", publicIP: "203.0.113.5",
                          privateBase: "192.168.1.2:5000", openBase: "198.51.100.10:5000")
        let r = try place(lab, "right", edge: rightEdge, gateway: "gwR", publicIP: "203.0.113.6",
                          privateBase: "192.168.2.2:6000", openBase: "198.51.100.20:6000")
        try lab.addAgent("left", role: .controlling, bases: [l.base], stun: [stunServer], behind: l.realm, seed: 1) {
            $0.turnServers = [ICETURNServer(address: turnServer, username: "left", password: "left-pw")]
        }
        try lab.addAgent("right", role: .controlled, bases: [r.base], stun: [stunServer], behind: r.realm, seed: 2) {
            $0.turnServers = [ICETURNServer(address: turnServer, username: "right", password: "right-pw")]
        }
        lab.start("left", "right")
        lab.network.run(until: .milliseconds(100))
        lab.exchange("left", "right")
        lab.network.run(until: until)
        return (lab, turn)
    }

    /// The TURN server's TCP listener (`turn:198.51.100.2:443?transport=tcp`), carried as a stream.
    static let turnServerTCP = try! TransportAddress(parsing: "198.51.100.2:443")

    /// `runWithTURN`, with the TURN server also listening on TCP (RFC 8656 §3.1): an
    /// agent behind "udp-blocked" gets the TCP listener as a second TURN server,
    /// unless `tcpForBlocked` is false. The firewall drops UDP only.
    static func runWithTURNOverTCP(_ leftEdge: String, _ rightEdge: String, tcpForBlocked: Bool = true, seed: UInt64 = 1,
                                   until: Instant = .seconds(60)) throws -> (lab: AgentLab, turn: EndpointHandle<TURNStreamServer>) {
        let lab = AgentLab(seed: seed, delay: .milliseconds(10))
        try lab.addSTUNServer(at: stunServer)
        let host = try lab.network.addHost("turn", addresses: [turnServer.ip])
        lab.network.carryAsStream(turnServerTCP)
        let server = TURNStreamServer(TURNServer(configuration: turnConfiguration, random: SplitMix64(seed: 5)),
                                      streamListeners: [turnServerTCP])
        let turn = try lab.network.attach(server, on: host, at: [turnServer, turnServerTCP] + turnConfiguration.relayAddresses)
        let l = try place(lab, "left", edge: leftEdge, gateway: "gwL", publicIP: "203.0.113.5",
                          privateBase: "192.168.1.2:5000", openBase: "198.51.100.10:5000")
        let r = try place(lab, "right", edge: rightEdge, gateway: "gwR", publicIP: "203.0.113.6",
                          privateBase: "192.168.2.2:6000", openBase: "198.51.100.20:6000")
        func servers(_ user: String, _ edge: String) -> [ICETURNServer] {
            let udp = ICETURNServer(address: turnServer, username: user, password: "\(user)-pw")
            guard tcpForBlocked, edge == "udp-blocked" else { return [udp] }
            return [udp, ICETURNServer(address: turnServerTCP, username: user, password: "\(user)-pw", transport: .tcp)]
        }
        try lab.addAgent("left", role: .controlling, bases: [l.base], stun: [stunServer], behind: l.realm, seed: 1) {
            $0.turnServers = servers("left", leftEdge)
        }
        try lab.addAgent("right", role: .controlled, bases: [r.base], stun: [stunServer], behind: r.realm, seed: 2) {
            $0.turnServers = servers("right", rightEdge)
        }
        lab.start("left", "right")
        lab.network.run(until: .milliseconds(100))
        lab.exchange("left", "right")
        lab.network.run(until: until)
        return (lab, turn)
    }

    static func outcome(of lab: AgentLab) -> Outcome {
        func types(_ name: String) -> String {
            guard let pair = lab.agent(name).selectedPair else { return "-" }
            return "\(pair.local.type.rawValue)/\(pair.remote.type.rawValue)"
        }
        func first(_ name: String, _ state: ICEAgentState) -> Double? { lab.states(name).first { $0.1 == state }?.0 }
        return Outcome(leftState: lab.agent("left").state, rightState: lab.agent("right").state,
                       left: types("left"), right: types("right"), leftConnectedAt: first("left", .connected),
                       leftCompletedAt: first("left", .completed), rightCompletedAt: first("right", .completed),
                       leftFailedAt: first("left", .failed), rightFailedAt: first("right", .failed))
    }
}
