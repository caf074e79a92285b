// The registry part of mesh-fuzz (selector 3): a short script of what two (or three)
// WebSocket connections do, fed to a `RegistryCore`, its actions checked after every
// step.
//
// Script format: steps separated by a newline byte, at most 48. A step's first byte is
// the opcode, the rest of the line its argument:
//   op % 8 == 0, 1, 6, 7   a text frame (the argument) on connection 1 (0, 6) or 2 (1, 7);
//                          an argument starting with "@" is first expanded: "@r" register,
//                          "@o"/"@a"/"@c" an offer/answer/candidate to the other peer,
//                          "@h" heartbeat, so short inputs reach the relay rules
//   op % 8 == 2            a binary frame on connection (op >> 3) % 3 + 1
//   op % 8 == 3            connection (op >> 3) % 3 + 1 closes
//   op % 8 == 4            connection (op >> 3) % 3 + 1 opens as alice, bob or carol
//                          ((op >> 5) % 3): a second connection of a peer replaces the first
//   op % 8 == 5            the clock moves on by (op >> 3) * 50 ms (the rate limiter refills)
// Connections 1 and 2 start open as alice and bob, not registered.
//
// Invariants, after every step:
// - every action names a connection that was open before the step or is open after it;
// - a frame sent is either the very text that arrived (a relay: nothing re-encoded) or
//   a frame of the registry's own, which parses and has peer_id "registry";
// - a relay goes only to a registered peer's current connection, never for a frame
//   whose peer_id is not its connection's peer;
// - the registered peers are peers of open connections, each at most once.
import MeshProtocol

struct MeshRegistryScript {
    private let steps: [ArraySlice<UInt8>]
    private var core = RegistryCore(limits: RegistryLimits(maxFrameBytes: 4096, framesPerSecond: 50, burst: 20, floodLimit: 40))
    private let start = ContinuousClock.now
    private var elapsed: Duration = .zero
    private static let peers = ["alice", "bob", "carol"]

    init(_ bytes: [UInt8]) {
        steps = Array(bytes.split(separator: 0x0A, omittingEmptySubsequences: false).prefix(48))
    }

    mutating func run() {
        _ = core.connectionOpened(RegistryConnectionID(1), peerID: "alice", now: start)
        _ = core.connectionOpened(RegistryConnectionID(2), peerID: "bob", now: start)
        for step in steps {
            guard let op = step.first else { continue }
            let argument = Array(step.dropFirst())
            let connection = RegistryConnectionID(UInt64((op >> 3) % 3 + 1))
            let openBefore = Set(core.openConnections)
            let now = start + elapsed
            var text: String?
            var sender: RegistryConnectionID?
            let actions: [RegistryAction]
            switch op % 8 {
            case 0, 1, 6, 7:
                let id = RegistryConnectionID(op % 2 == 0 ? 1 : 2)
                let frame = expand(String(decoding: argument, as: UTF8.self), on: id)
                (text, sender) = (frame, id)
                actions = core.textFrame(id, frame, now: now)
            case 2: actions = core.binaryFrame(connection, now: now)
            case 3: actions = core.connectionClosed(connection)
            case 4: actions = core.connectionOpened(connection, peerID: Self.peers[Int(op >> 5) % 3], now: now)
            default:
                elapsed += .milliseconds(Int(op >> 3) * 50)
                continue
            }
            check(actions, openBefore: openBefore, text: text, sender: sender)
        }
        for id in core.openConnections { _ = core.connectionClosed(id) }
        if !core.registeredPeers.isEmpty || !core.openConnections.isEmpty {
            fail("peers left registered after every connection closed: \(core.registeredPeers)")
        }
    }

    /// "@r", "@o", "@a", "@c", "@h" shorthands for well-formed frames from this connection's peer.
    private func expand(_ argument: String, on id: RegistryConnectionID) -> String {
        guard argument.hasPrefix("@"), argument.utf8.count >= 2, let peer = core.peerID(of: id) else { return argument }
        let other = peer == "alice" ? "bob" : "alice"
        let kind: SignalingMessage.Kind
        var payload: JSONValue = [:]
        switch argument.utf8.dropFirst().first {
        case UInt8(ascii: "r"): kind = .register
        case UInt8(ascii: "o"): kind = .offer; payload = SessionPayload(sdp: "v=0").json
        case UInt8(ascii: "a"): kind = .answer; payload = SessionPayload(sdp: "v=0").json
        case UInt8(ascii: "c"): kind = .iceCandidate; payload = CandidatePayload(candidate: "").json
        case UInt8(ascii: "h"): kind = .heartbeat
        default: return argument
        }
        let target: String? = kind.isRelayed ? other : nil
        return SignalingMessage(kind: kind, peerID: peer, targetID: target, payload: payload).jsonText
    }

    private func check(_ actions: [RegistryAction], openBefore: Set<RegistryConnectionID>, text: String?,
                       sender: RegistryConnectionID?) {
        let openAfter = Set(core.openConnections)
        for action in actions {
            switch action {
            case let .close(id, _, _):
                if !openBefore.contains(id) { fail("closed \(id), which was not open") }
            case let .send(sent, id):
                if !openBefore.contains(id), !openAfter.contains(id) { fail("sent to \(id), which is not open") }
                if let text, sent == text {
                    // A relay: the sender's peer_id must be its own, the receiver registered.
                    guard let frame = try? SignalingMessage.parse(text, maxBytes: .max), frame.kind.isRelayed,
                          let sender, frame.peerID == core.peerID(of: sender) ?? frame.peerID,
                          let target = frame.targetID, core.registeredPeers.contains(target),
                          core.peerID(of: id) == target else {
                        fail("relayed a frame the rules refuse: \(text)")
                    }
                    continue
                }
                guard let frame = try? SignalingMessage.parse(sent, maxBytes: .max),
                      frame.peerID == MeshDefaults.registryPeerID else {
                    fail("sent a frame that is neither the relayed text nor the registry's own: \(sent)")
                }
            }
        }
        let registered = core.registeredPeers
        if Set(registered).count != registered.count { fail("a peer is registered twice: \(registered)") }
        let openPeers = Set(core.openConnections.compactMap { core.peerID(of: $0) })
        if !Set(registered).isSubset(of: openPeers) { fail("registered peers \(registered) without a connection") }
    }

    private func fail(_ why: String) -> Never {
        fatalError("mesh-fuzz registry script: \(why)")
    }
}
