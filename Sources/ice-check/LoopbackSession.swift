import ICE
import PacketCapture
import SocketDriver
import STUN
import Wire

/// The default run: two ICE agents in this process, each on real loopback UDP
/// sockets (127.0.0.1 and, when the host has it, ::1; port 0 so the kernel picks
/// free ports), driven by one `EventLoop`. The tool plays the signaling server:
/// it hands each agent the other's credentials and candidates directly.
/// Nothing is sent anywhere but loopback: the bases are loopback addresses
/// (the "loopback only" interface policy), so `--stun`/`--turn` servers must be
/// on loopback too. Candidates gathered from them are trickled to the peer.
enum LoopbackSession {
    /// How long the agents get before the run is declared failed.
    static let deadline: Duration = .seconds(15)
    /// Gathering gives up on a silent server after 2.75 s (not RFC 8489's 39.5 s):
    /// on loopback an answer takes microseconds.
    static let gatheringPolicy = STUNRetransmissionPolicy(initialRTO: .milliseconds(250), maxTransmissions: 4,
                                                          finalWaitMultiplier: 4)

    /// Real servers to gather from (`--stun`, `--turn`).
    struct Servers {
        var stun: TransportAddress?
        var turn: ICETURNServer?
    }

    static func run(pcapPath: String?, servers: Servers = Servers(), pieces: ExercisePieces? = nil) throws -> SessionRecord {
        let leftSockets = try bindLoopback(), rightSockets = try bindLoopback()
        var random = SystemRandomNumberGenerator()
        let configurations = [
            ICEAgentConfiguration(role: .controlling, credentials: .random(using: &random),
                                  hostAddresses: leftSockets.map(\.localAddress), stunServers: servers.stun.map { [$0] } ?? [],
                                  gatheringPolicy: gatheringPolicy, turnServers: servers.turn.map { [$0] } ?? [],
                                  checklistStrategy: pieces?.checklistStrategy()),
            ICEAgentConfiguration(role: .controlled, credentials: .random(using: &random),
                                  hostAddresses: rightSockets.map(\.localAddress), stunServers: servers.stun.map { [$0] } ?? [],
                                  gatheringPolicy: gatheringPolicy, turnServers: servers.turn.map { [$0] } ?? [],
                                  checklistStrategy: pieces?.checklistStrategy()),
        ]
        let names = ["left", "right"]
        let agents = try configurations.map { configuration in
            do { return try ICEAgent(configuration: configuration) } catch {
                throw IceCheckFailure(.localFailure, "cannot create an ICE agent: \(error)")
            }
        }
        let loop = EventLoop()
        let start = loop.clock()
        func elapsed(_ instant: Instant) -> Double { (instant - start).milliseconds }

        var pcap: PcapFile?
        if let pcapPath {
            do {
                pcap = try PcapFile(path: pcapPath, unixNanosecondsAtInstantZero: SystemClock.unixOffsetOfMonotonicZero())
            } catch {
                throw IceCheckFailure(.localFailure, "cannot write \(pcapPath): \(error)")
            }
        }
        var pcapError: (any Error)?
        // Both agents are in this process: every datagram is sent by one and received
        // by the other, so only the sent side is written (no duplicates in the capture).
        var heardFrom = Set<TransportAddress>()
        loop.tap = { tapped in
            if tapped.direction == .received { heardFrom.insert(tapped.datagram.source) }
            guard tapped.direction == .sent, let file = pcap else { return }
            do { try file.write(tapped.datagram, at: tapped.at) } catch { pcapError = pcapError ?? error }
        }

        let recorder = Recorder()
        var record = SessionRecord(
            mode: "loopback",
            headline: "two ICE agents (RFC 8445) in one process, over real loopback UDP",
            sides: zip(names, configurations).map { name, configuration in
                SessionSide(name: name, role: configuration.role, ufrag: configuration.credentials.ufrag,
                            bases: configuration.hostAddresses, finalRole: configuration.role)
            })
        recorder.record = record
        // Trickle (RFC 8838): once the first signaling is done, every candidate gathered
        // later (srflx, relay) and the end of gathering go to the peer at once.
        var peers: [EndpointHandle<ICEAgent>] = []
        var trickling = false
        func observe(_ event: ICEAgentEvent, _ at: Instant, side: Int) {
            recorder.record.note(event, agent: names[side], at: elapsed(at))
            guard trickling, peers.count == 2 else { return }
            switch event {
            case let .candidateGathered(candidate):
                loop.withEndpoint(peers[1 - side]) { $0.addRemoteCandidate(candidate, at: loop.clock()) }
            case .gatheringComplete:
                loop.withEndpoint(peers[1 - side]) { $0.endOfRemoteCandidates(at: loop.clock()) }
            default:
                break
            }
        }
        let handles = [
            loop.attach(agents[0], sockets: leftSockets) { event, at in observe(event, at, side: 0) },
            loop.attach(agents[1], sockets: rightSockets) { event, at in observe(event, at, side: 1) },
        ]
        peers = handles
        for handle in handles { loop.withEndpoint(handle) { $0.start(at: loop.clock()) } }
        // Signaling, done in-process: every candidate and end-of-candidates first, so the
        // checklists can be shown as formed; then the credentials, which let checks start.
        for (index, handle) in handles.enumerated() {
            let peer = loop.endpoint(handles[1 - index])
            loop.withEndpoint(handle) { agent in
                let now = loop.clock()
                for candidate in peer.gatheredCandidates { agent.addRemoteCandidate(candidate, at: now) }
                if peer.isGatheringComplete { agent.endOfRemoteCandidates(at: now) }
            }
        }
        trickling = true
        let initial = handles.map { loop.endpoint($0).checklist.pairs }
        for (index, handle) in handles.enumerated() {
            let credentials = loop.endpoint(handles[1 - index]).localCredentials
            loop.withEndpoint(handle) { $0.setRemoteCredentials(credentials, at: loop.clock()) }
        }

        func finished() -> Bool {
            let states = handles.map { loop.endpoint($0).state }
            let gathered = handles.allSatisfy { loop.endpoint($0).isGatheringComplete }
            return states.contains(.failed) || (gathered && states.allSatisfy { $0 == .completed })
        }
        do {
            _ = try loop.run(until: start + deadline, stopWhen: finished)
        } catch {
            throw IceCheckFailure(.localFailure, "the event loop failed: \(error)")
        }
        pcap?.close()
        if let pcapError { throw IceCheckFailure(.localFailure, "cannot write \(pcapPath ?? "the pcap"): \(pcapError)") }
        for socket in leftSockets + rightSockets { socket.close() }

        record = recorder.record
        // A trickled candidate makes the peer report its events from inside this
        // agent's callback: sort by time (stably) so the timeline reads in order.
        record.timeline = record.timeline.enumerated()
            .sorted { ($0.element.milliseconds, $0.offset) < ($1.element.milliseconds, $1.offset) }
            .map(\.element)
        for index in handles.indices {
            let agent = loop.endpoint(handles[index])
            record.sides[index].candidates = agent.gatheredCandidates
            record.sides[index].initialChecklist = initial[index]
            record.sides[index].finalChecklist = agent.checklist.pairs
            record.sides[index].selected = agent.selectedPair
            record.sides[index].state = agent.state
            record.sides[index].finalRole = agent.role
        }
        if let pieces {
            record.skippedExercises = pieces.skipped
            if pieces.checklist != nil {
                record.checklistExercise = ChecklistExerciseReport(agents: zip(names, handles).map { ($0, loop.endpoint($1)) })
            }
        }
        conclude(&record, deadline: deadline)
        record.serverFindings = findings(servers, candidates: record.sides.flatMap(\.candidates), heardFrom: heardFrom)
        return record
    }

    /// What each configured server did, judged from what came back from it.
    static func findings(_ servers: Servers, candidates: [ICECandidate], heardFrom: Set<TransportAddress>) -> [ServerFinding] {
        var findings: [ServerFinding] = []
        if let stun = servers.stun {
            if !heardFrom.contains(stun) {
                findings.append(ServerFinding(server: "STUN \(stun)", problem: .serverUnreachable,
                                              text: "never answered (4 Binding requests over 2.75 s)"))
            } else {
                let srflx = candidates.filter { $0.type == .serverReflexive }
                findings.append(ServerFinding(server: "STUN \(stun)", problem: nil, text: srflx.isEmpty
                    ? "answered with each base's own address: no NAT on loopback, so the srflx candidate is redundant (§5.1.3) and dropped"
                    : "answered: \(srflx.count) srflx candidate(s)"))
            }
        }
        if let turn = servers.turn {
            let relays = candidates.filter { $0.type == .relayed }
            if !relays.isEmpty {
                findings.append(ServerFinding(server: "TURN \(turn.address)", problem: nil,
                                              text: "allocated \(relays.map(\.address.description).joined(separator: ", "))"))
            } else if !heardFrom.contains(turn.address) {
                findings.append(ServerFinding(server: "TURN \(turn.address)", problem: .serverUnreachable,
                                              text: "never answered the Allocate requests"))
            } else {
                findings.append(ServerFinding(server: "TURN \(turn.address)", problem: .turnRefused,
                                              text: "answered but allocated nothing: wrong --turn-user/--turn-pass, or it refuses this client"))
            }
        }
        return findings
    }

    /// Sets `connected`, the total time and the outcome sentence from the sides and timeline.
    static func conclude(_ record: inout SessionRecord, deadline: Duration) {
        let selections = record.timeline.filter { $0.kind == "selected" }
        let bothSelected = record.sides.allSatisfy { $0.selected != nil }
        let left = record.sides[0].selected, right = record.sides[1].selected
        record.connected = bothSelected && record.sides.allSatisfy { $0.state == .completed }
        if record.connected {
            record.totalMilliseconds = record.sides.compactMap { side in
                selections.last { $0.agent == side.name }?.milliseconds
            }.max()
            record.outcome = "connected: selected pair \(record.selectedTypes ?? "?") "
                + "(left \(left?.local.address.description ?? "?") <-> right \(right?.local.address.description ?? "?"))"
        } else if record.sides.contains(where: { $0.state == .failed }) {
            let pairs = record.sides.map(\.finalChecklist.count).max() ?? 0
            let failedAt = record.timeline.last { $0.kind == "state" && $0.text.hasSuffix("failed") }?.milliseconds
            record.outcome = "failed: all \(pairs) candidate pairs failed after end-of-candidates (checks got no answer)"
                + (failedAt.map { " at \(Int($0)) ms" } ?? "")
        } else {
            record.outcome = "failed: no pair selected within \(Int(deadline.milliseconds / 1000)) s"
        }
    }

    /// 127.0.0.1 always; ::1 too when the host has IPv6 loopback.
    private static func bindLoopback() throws -> [UDPSocket] {
        var sockets: [UDPSocket] = []
        do {
            sockets.append(try UDPSocket(bindingTo: TransportAddress(.v4(127, 0, 0, 1), 0)))
        } catch {
            throw IceCheckFailure(.localFailure, "cannot bind a UDP socket on 127.0.0.1: \(error)")
        }
        if let ipv6 = try? UDPSocket(bindingTo: TransportAddress(.v6(high: 0, low: 1), 0)) { sockets.append(ipv6) }
        return sockets
    }

    /// Lets the event closures append to the record the caller owns.
    private final class Recorder {
        var record = SessionRecord(mode: "", headline: "", sides: [])
    }
}
