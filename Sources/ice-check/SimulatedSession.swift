import ICE
import PacketCapture
import Simulation
import STUN
import Wire

/// `--simulate LEFT,RIGHT`: the loopback story on Simulation's seeded network, in
/// virtual time. Topology (RFC 5737 documentation addresses, nothing real):
///
/// ```
///  left 10.0.1.2:5000 ── left-nat 203.0.113.1 ──┐                ┌── right-nat 198.51.100.1 ── right 10.0.2.2:6000
///                                               └─ internet ─────┘
///                                    servers: STUN 192.0.2.1:3478, TURN 192.0.2.2:3478
/// ```
///
/// Behind `open` or `udp-blocked` a host keeps a public address (203.0.113.10,
/// 198.51.100.10): those edges filter but do not translate. Public links get
/// `--delay` and `--loss`; the private LANs are perfect. Signaling is trickle
/// ICE (RFC 8838) done by the tool with no delay: credentials and host
/// candidates at once, each srflx candidate when it is gathered, then
/// end-of-candidates. Both agents know the TURN server (as a browser given a
/// `turn:` URL would) unless `--no-turn`: its relayed candidates have the lowest
/// priority, so a relay is selected only when the NATs leave no other path.
enum SimulatedSession {
    /// The STUN server both agents ask for their server-reflexive address.
    static let stunServer = TransportAddress(.v4(192, 0, 2, 1), 3478)
    /// The TURN server both agents allocate a relayed candidate on.
    static let turnServer = ICETURNServer(address: TransportAddress(.v4(192, 0, 2, 2), 3478),
                                          username: "lab", password: "lab-turn-password")
    /// The same TURN server's TCP listener, `turn:192.0.2.2:443?transport=tcp` (RFC 7065):
    /// what an agent behind `udp-blocked` is given too, because 443/TCP is what such networks let out.
    static let turnServerTCP = ICETURNServer(address: TransportAddress(.v4(192, 0, 2, 2), 443),
                                             username: "lab", password: "lab-turn-password", transport: .tcp)
    /// Virtual time after which an unfinished run counts as failed (checks give up after ~40 s).
    static let deadline = Instant.seconds(120)
    /// Ladder column spacing: wide enough for "#12 success 203.0.113.1:49152".
    static let ladderSpacing = 40

    /// One side's addresses.
    struct Site {
        let name: String
        let gateway: String
        let publicIP: IPAddress
        let privateBase: TransportAddress
        let openBase: TransportAddress
    }
    static let sites = [
        Site(name: "left", gateway: "left-nat", publicIP: .v4(203, 0, 113, 1),
             privateBase: TransportAddress(.v4(10, 0, 1, 2), 5000), openBase: TransportAddress(.v4(203, 0, 113, 10), 5000)),
        Site(name: "right", gateway: "right-nat", publicIP: .v4(198, 51, 100, 1),
             privateBase: TransportAddress(.v4(10, 0, 2, 2), 6000), openBase: TransportAddress(.v4(198, 51, 100, 10), 6000)),
    ]

    /// Parses "LEFT,RIGHT" into two presets; anything else is `.unknownPreset`.
    static func edges(_ text: String) throws -> (NetworkEdge, NetworkEdge) {
        let valid = NetworkEdge.allCases.map(\.rawValue).joined(separator: ", ")
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
        guard names.count == 2 else {
            throw IceCheckFailure(.unknownPreset, "--simulate needs two presets as LEFT,RIGHT, got \"\(SDPCommand.oneLine(text))\"; valid presets: \(valid)")
        }
        let edges = try names.map { name in
            guard let edge = NetworkEdge(rawValue: name) else {
                throw IceCheckFailure(.unknownPreset, "unknown NAT preset \"\(SDPCommand.oneLine(name))\"; valid presets: \(valid)")
            }
            return edge
        }
        return (edges[0], edges[1])
    }

    static func run(left: NetworkEdge, right: NetworkEdge, loss: Double, delay: Duration, seed: UInt64,
                    useTURN: Bool, pcapPath: String?, pieces: ExercisePieces? = nil,
                    breakage: SimulatedBreakage? = nil, turnOverTCP: Bool = true) throws -> SessionRecord {
        let edges = [left, right]
        let network = SimulatedNetwork(seed: seed, conditions: LinkConditions(delay: delay, loss: loss))
        var random = SplitMix64(seed: seed)
        var handles: [EndpointHandle<ICEAgent>] = []
        var sides: [SessionSide] = []
        do {
            let servers = try network.addHost("servers", addresses: [stunServer.ip, turnServer.address.ip])
            var stunRandom = SplitMix64(seed: random.next())
            _ = try network.attach(STUNServer(random: &stunRandom), on: servers, at: [stunServer])
            let turnConfiguration = TURNServer.Configuration(realm: "webrtc-lab",
                                                             users: [turnServer.username: turnServer.password],
                                                             relayIP: turnServer.address.ip, relayPorts: 49_152...49_167)
            let turn = TURNStreamServer(TURNServer(configuration: turnConfiguration, random: SplitMix64(seed: random.next())),
                                        streamListeners: [turnServerTCP.address])
            // The TCP listener's traffic crosses the network as a stream, which a UDP firewall lets pass.
            network.carryAsStream(turnServerTCP.address)
            _ = try network.attach(turn, on: servers,
                                   at: [turnServer.address, turnServerTCP.address] + turnConfiguration.relayAddresses)
            for (site, edge) in zip(sites, edges) {
                let realm = try network.addRealm(behind: site.gateway, middlebox: edge.middlebox(publicAddress: site.publicIP))
                let base = edge.natConfiguration == nil ? site.openBase : site.privateBase
                let host = try network.addHost(site.name, addresses: [base.ip], in: realm)
                let role: ICERole = site.name == "left" ? .controlling : .controlled
                let configuration = ICEAgentConfiguration(role: role, credentials: .random(using: &random),
                                                          hostAddresses: [base], stunServers: [stunServer],
                                                          tieBreaker: random.next(),
                                                          turnServers: turnServers(for: edge, useTURN: useTURN, overTCP: turnOverTCP)
                                                              .map { SimulatedBreakage.agentTURNServer($0, breakage) },
                                                          checklistStrategy: pieces?.checklistStrategy())
                let agent = try ICEAgent(configuration: configuration, random: SplitMix64(seed: random.next()))
                handles.append(try network.attach(agent, on: host, at: [base]))
                sides.append(SessionSide(name: site.name, role: role, ufrag: configuration.credentials.ufrag,
                                         bases: [base], finalRole: role))
            }
        } catch let failure as IceCheckFailure {
            throw failure
        } catch {
            throw IceCheckFailure(.localFailure, "cannot build the simulated network: \(error)")
        }

        if let rule = SimulatedBreakage.rule(breakage) { network.addRule(rule) }
        for handle in handles { network.modify(handle) { agent, now in agent.start(at: now) } }
        var initial: [[ICECandidatePair]?] = [nil, nil]
        var signaled = [0, 0], endSignaled = [false, false]
        func signal() {
            for index in handles.indices {
                let source = network.endpoint(handles[index]), target = handles[1 - index]
                let fresh = Array(source.gatheredCandidates.dropFirst(signaled[index]))
                let first = signaled[index] == 0
                let end = source.isGatheringComplete && !endSignaled[index]
                guard first || !fresh.isEmpty || end else { continue }
                network.modify(target) { agent, now in
                    if first { agent.setRemoteCredentials(source.localCredentials, at: now) }
                    for candidate in fresh { agent.addRemoteCandidate(candidate, at: now) }
                    if end { agent.endOfRemoteCandidates(at: now) }
                }
                signaled[index] += fresh.count
                if end { endSignaled[index] = true }
            }
            for index in handles.indices where initial[index] == nil && endSignaled[1 - index] {
                initial[index] = network.endpoint(handles[index]).checklist.pairs
            }
        }
        func finished() -> Bool {
            let states = handles.map { network.endpoint($0).state }
            return states.contains(.failed)
                || (states.allSatisfy { $0 == .completed } && SimulatedBreakage.stopsAtCompletion(breakage))
        }
        signal()
        while !finished(), network.now < deadline, network.step() { signal() }

        var record = SessionRecord(mode: "simulate",
                                   headline: "two ICE agents (RFC 8445) on a simulated network, in virtual time",
                                   sides: sides)
        record.settings = [
            ("network", "left behind \(describe(left, site: sites[0])), right behind \(describe(right, site: sites[1]))"),
            ("links", "public links \(Int(delay.milliseconds)) ms one way, loss \(loss); private LANs perfect"),
            ("servers", "STUN \(stunServer), "
                + (useTURN ? "TURN \(turnServer.address) (user \(turnServer.username))" : "no TURN server (--no-turn)")
                + tcpNote(edges, useTURN: useTURN, overTCP: turnOverTCP)),
            ("seed", String(seed)),
        ]
        for index in handles.indices {
            let agent = network.endpoint(handles[index])
            record.sides[index].candidates = agent.gatheredCandidates
            record.sides[index].initialChecklist = initial[index] ?? agent.checklist.pairs
            record.sides[index].finalChecklist = agent.checklist.pairs
            record.sides[index].selected = agent.selectedPair
            record.sides[index].state = agent.state
            record.sides[index].finalRole = agent.role
            for event in network.events(of: handles[index]) {
                record.note(event.value, agent: sites[index].name, at: event.time.milliseconds)
            }
        }
        // Stable merge: by time, left before right at the same instant.
        record.timeline = record.timeline.enumerated()
            .sorted { ($0.element.milliseconds, $0.offset) < ($1.element.milliseconds, $1.offset) }
            .map(\.element)
        record.ladder = network.trace.ladder(columns: ["left", "left-nat", "servers", "right-nat", "right"],
                                             spacing: ladderSpacing, label: label)
        if let pieces {
            record.skippedExercises = pieces.skipped
            if pieces.checklist != nil {
                record.checklistExercise = ChecklistExerciseReport(agents: zip(sites, handles).map { ($0.name, network.endpoint($1)) })
            }
        }
        LoopbackSession.conclude(&record, deadline: .seconds(120))
        SimulatedBreakage.nameConsentLoss(&record)
        if !record.connected, let why = explanation(left, right, useTURN: useTURN, overTCP: turnOverTCP) {
            record.outcome += "; \(why)"
        }
        if record.connected, let how = relayOverTCP(record, edges: edges, useTURN: useTURN, overTCP: turnOverTCP) {
            record.outcome += "; \(how)"
        }
        if let pcapPath { try writePcap(network.trace, to: pcapPath) }
        return record
    }

    /// "full-cone NAT 203.0.113.1" / "open (no NAT, public 203.0.113.10)".
    private static func describe(_ edge: NetworkEdge, site: Site) -> String {
        switch edge {
        case .open: return "open (no NAT, public \(site.openBase.ip))"
        case .udpBlocked: return "udp-blocked (a firewall dropping all UDP, public \(site.openBase.ip))"
        default: return "\(edge) NAT \(site.publicIP)"
        }
    }

    /// The theory of why these edges defeat ICE without a relay (RFC 4787 behaviours).
    static func explanation(_ left: NetworkEdge, _ right: NetworkEdge, useTURN: Bool, overTCP: Bool = true) -> String? {
        if left == .udpBlocked || right == .udpBlocked {
            let side = left == .udpBlocked ? "left" : "right"
            let remedy = !useTURN ? "drop --no-turn" : overTCP ? "the TURN server's TCP listener did not help either" : "drop --no-turn-tcp"
            return "\(side)'s firewall drops all UDP, so no UDP pair can work (not even to the TURN server): "
                + "only TURN over TCP/TLS could help (\(remedy))"
        }
        guard !useTURN else { return nil }
        let hard: Set<NetworkEdge> = [.symmetric, .portRestrictedCone]
        if (left == .symmetric && hard.contains(right)) || (right == .symmetric && hard.contains(left)) {
            let side = left == .symmetric ? "left" : "right"
            return "\(side)'s symmetric NAT gives each destination a new port, so its srflx address is not where "
                + "its checks come from, and the other side's NAT filters by port: only a TURN relay could connect them"
        }
        return nil
    }

    /// The TURN servers an agent behind `edge` is given: UDP always (unless
    /// `--no-turn`), plus TCP behind `udp-blocked` (unless `--no-turn-tcp`).
    /// Other edges get no TCP entry, so their runs stay as they were.
    static func turnServers(for edge: NetworkEdge, useTURN: Bool, overTCP: Bool) -> [ICETURNServer] {
        guard useTURN else { return [] }
        return edge == .udpBlocked && overTCP ? [turnServer, turnServerTCP] : [turnServer]
    }

    /// ", TURN over TCP 192.0.2.2:443 for left" when a side behind udp-blocked gets it.
    private static func tcpNote(_ edges: [NetworkEdge], useTURN: Bool, overTCP: Bool) -> String {
        let names = zip(sites, edges).filter { turnServers(for: $1, useTURN: useTURN, overTCP: overTCP).contains(turnServerTCP) }
            .map(\.0.name)
        if names.isEmpty {
            return useTURN && !overTCP && edges.contains(.udpBlocked) ? ", no TURN over TCP (--no-turn-tcp)" : ""
        }
        return ", TURN over TCP \(turnServerTCP.address) for \(names.joined(separator: " and "))"
    }

    /// "left's relayed candidate ... is reached over TCP" for every side whose selected pair uses its TCP allocation.
    private static func relayOverTCP(_ record: SessionRecord, edges: [NetworkEdge], useTURN: Bool, overTCP: Bool) -> String? {
        let notes = record.sides.enumerated().compactMap { index, side -> String? in
            guard turnServers(for: edges[index], useTURN: useTURN, overTCP: overTCP).contains(turnServerTCP),
                  let local = side.selected?.local, local.type == .relayed else { return nil }
            return "\(side.name)'s relayed candidate \(local.address) is reached over TCP"
        }
        guard !notes.isEmpty else { return nil }
        return notes.joined(separator: ", ") + " (RFC 8656 §3.1: agent -> TURN server is a TCP stream, "
            + "the relay -> peer leg stays UDP)"
    }

    /// What the ladder writes on each arrow: the check or transaction, and what a
    /// TURN server wraps (Send/Data indications, ChannelData) shown inside.
    /// Bytes on the TURN server's TCP connection are marked "TCP".
    static func label(_ datagram: Datagram) -> String {
        let overTCP = datagram.source == turnServerTCP.address || datagram.destination == turnServerTCP.address
        return (overTCP ? "TCP " : "") + label(datagram.payload, depth: 0)
    }

    private static func label(_ payload: [UInt8], depth: Int) -> String {
        if DemuxedProtocol.classify(payload) == .turnChannel, payload.count >= 4, depth == 0 {
            return "ChannelData(" + label(Array(payload.dropFirst(4)), depth: 1) + ")"
        }
        guard let message = try? STUNMessage(parsing: payload) else { return "\(payload.count) B data" }
        let type = message.messageType
        let binding = type.method == .binding
        switch type.messageClass {
        case .request where binding:
            guard message.contains(.username) else { return "STUN Binding request" }
            return message.contains(.useCandidate) ? "check USE-CANDIDATE" : "check"
        case .request:
            return "\(type.method) request"
        case .successResponse:
            // Inside a Send/Data indication the room on the arrow is shorter: "ok".
            let word = depth == 0 ? "success" : "ok"
            return (binding ? word : "\(type.method) \(word)") + (binding ? message.mappedAddress.map { " \($0)" } ?? "" : "")
        case .errorResponse:
            return (binding ? "error" : "\(type.method) error") + (message.errorCode.map { " \($0.code.rawValue)" } ?? "")
        case .indication:
            if depth == 0, let inner = message.rawAttribute(.data)?.value {
                return "\(type.method)(" + label(inner, depth: 1) + ")"
            }
            return "\(type.method) indication"
        }
    }

    /// Every datagram as it left a host and as each NAT rewrote it, with a fixed
    /// epoch (2026-01-01) so the same seed writes the same file.
    private static func writePcap(_ trace: Trace, to path: String) throws {
        do {
            let file = try PcapFile(path: path, unixNanosecondsAtInstantZero: 1_767_225_600 * 1_000_000_000)
            defer { file.close() }
            for entry in trace.entries {
                switch entry.event {
                case let .sent(datagram, _), let .forwarded(datagram, _, _, _, _): try file.write(datagram, at: entry.time)
                default: continue
                }
            }
        } catch {
            throw IceCheckFailure(.localFailure, "cannot write \(path): \(error)")
        }
    }
}

extension Substring {
    /// The text without leading and trailing spaces.
    var trimmingSpaces: String {
        var copy = self
        while copy.first == " " { copy = copy.dropFirst() }
        while copy.last == " " { copy = copy.dropLast() }
        return String(copy)
    }
}
