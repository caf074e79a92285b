import ICE
import Simulation
import STUN
import Wire

/// Two ICE agents on the simulated network, and the signaling between them
/// done by hand (the test plays the signaling server).
final class AgentLab {
    let network: SimulatedNetwork
    var handles: [String: EndpointHandle<ICEAgent>] = [:]
    var realms: [String: RealmID] = [:]

    init(seed: UInt64 = 1, delay: Duration = .milliseconds(10)) {
        network = SimulatedNetwork(seed: seed, conditions: .delay(delay))
    }

    static func address(_ text: String) -> TransportAddress { try! TransportAddress(parsing: text) }

    static func credentials(_ tag: String) -> ICECredentials {
        try! ICECredentials(ufrag: "uf\(tag)\(tag)", password: String(repeating: tag, count: 24))
    }

    /// Adds a host named `name` owning the IPs of `bases` (behind `realm` if given)
    /// and an agent bound to every base.
    @discardableResult
    func addAgent(_ name: String, role: ICERole, bases: [String], stun: [String] = [], tieBreaker: UInt64? = nil,
                  behind realm: String? = nil, seed: UInt64 = 7,
                  tune: (inout ICEAgentConfiguration) -> Void = { _ in }) throws -> EndpointHandle<ICEAgent> {
        let addresses = bases.map(Self.address)
        var ips: [IPAddress] = []
        for address in addresses where !ips.contains(address.ip) { ips.append(address.ip) }
        let host = try network.addHost(name, addresses: ips, in: realm.flatMap { realms[$0] } ?? .internet)
        var configuration = ICEAgentConfiguration(role: role, credentials: Self.credentials(String(name.prefix(1))),
                                                  hostAddresses: addresses, stunServers: stun.map(Self.address),
                                                  tieBreaker: tieBreaker)
        tune(&configuration)
        let agent = try ICEAgent(configuration: configuration, random: SplitMix64(seed: seed))
        let handle = try network.attach(agent, on: host, at: addresses)
        handles[name] = handle
        return handle
    }

    /// A private realm behind a NAT (or other edge) with public IP `publicIP`.
    func addNAT(_ name: String, _ configuration: NATConfiguration, publicIP: String) throws {
        realms[name] = try network.addRealm(behind: name, middlebox: NATBox(configuration, publicAddress: IPAddress(publicIP)!))
    }

    /// A STUN server on the internet.
    func addSTUNServer(at text: String) throws {
        let address = Self.address(text)
        let host = try network.addHost("stun \(text)", addresses: [address.ip])
        var random = SplitMix64(seed: 99)
        _ = try network.attach(STUNServer(random: &random), on: host, at: [address])
    }

    func agent(_ name: String) -> ICEAgent { network.endpoint(handles[name]!) }

    /// One controlling agent, "left" at 10.0.0.1:5000, checking a remote host candidate
    /// nobody answers (10.0.0.99:9, end-of-candidates signaled), run for 60 s: every check
    /// goes through its whole retransmission schedule and fails.
    static func unanswered(tune: (inout ICEAgentConfiguration) -> Void = { _ in }) throws -> AgentLab {
        let lab = AgentLab()
        try lab.addAgent("left", role: .controlling, bases: ["10.0.0.1:5000"], tune: tune)
        lab.start("left")
        lab.network.modify(lab.handles["left"]!) { agent, now in
            agent.setRemoteCredentials(AgentLab.credentials("r"), at: now)
            agent.addRemoteCandidate(ICECandidate(type: .host, address: AgentLab.address("10.0.0.99:9"), componentID: 1,
                                                  foundation: "1", priority: 2_130_706_431), at: now)
            agent.endOfRemoteCandidates(at: now)
        }
        lab.network.run(until: .seconds(60))
        return lab
    }

    func start(_ names: String...) {
        for name in names { network.modify(handles[name]!) { agent, now in agent.start(at: now) } }
    }

    /// Signals `from`'s credentials and (optionally) its gathered candidates and end-of-candidates to `to`, now.
    func signal(from: String, to: String, candidates: Bool = true, endOfCandidates: Bool = true) {
        let source = agent(from)
        network.modify(handles[to]!) { agent, now in
            agent.setRemoteCredentials(source.localCredentials, at: now)
            if candidates { for candidate in source.gatheredCandidates { agent.addRemoteCandidate(candidate, at: now) } }
            if endOfCandidates { agent.endOfRemoteCandidates(at: now) }
        }
    }

    /// Both directions at once.
    func exchange(_ first: String, _ second: String) {
        signal(from: first, to: second)
        signal(from: second, to: first)
    }

    func events(_ name: String) -> [TimedEvent<ICEAgentEvent>] { network.events(of: handles[name]!) }

    /// (time in ms, state) of every state change.
    func states(_ name: String) -> [(Double, ICEAgentState)] {
        events(name).compactMap { if case let .stateChanged(state) = $0.value { return ($0.time.milliseconds, state) } else { return nil } }
    }

    /// (time in ms, pair id, nominating) of every new check.
    func checks(_ name: String) -> [(Double, Int, Bool)] {
        events(name).compactMap {
            if case let .checkSent(id, _, _, nominating) = $0.value { return ($0.time.milliseconds, id, nominating) } else { return nil }
        }
    }

    /// (time in ms, pair) of every selected-pair change.
    func selections(_ name: String) -> [(Double, ICECandidatePair)] {
        events(name).compactMap { if case let .selectedPairChanged(pair) = $0.value { return ($0.time.milliseconds, pair) } else { return nil } }
    }

    /// Payloads of data received.
    func received(_ name: String) -> [[UInt8]] {
        events(name).compactMap { if case let .dataReceived(bytes, _, _) = $0.value { return bytes } else { return nil } }
    }

    /// Times (ms) at which `name`'s agent sent a STUN message of `type`.
    func sends(_ name: String, _ type: STUNMessageType) -> [Double] {
        let bases = Set(handles[name]!.addresses)
        return network.trace.sends().filter { entry in
            bases.contains(entry.datagram.source) && (try? STUNMessage(parsing: entry.datagram.payload))?.messageType == type
        }.map(\.time.milliseconds)
    }
}
