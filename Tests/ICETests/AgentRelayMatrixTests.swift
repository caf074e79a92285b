import ICE
import Simulation
import STUN
import Testing
import Wire

/// The complete NAT matrix with a TURN server: every placement of the
/// controlling agent (left) against every placement of the controlled one
/// (right), in virtual time, seed 1, 10 ms one way on the internet.
///
/// What the theory predicts (RFC 8445 §6.1.2.3 pair priority, RFC 4787 NAT behaviour):
/// - An "open" peer or a cone NAT with endpoint-independent mapping is reachable at
///   its host or srflx address as soon as the other side's check opened its own NAT:
///   host/srflx/prflx pairs win, the relay is never needed (it has type preference 0).
/// - A symmetric NAT maps each destination anew: the peer sees its checks from an
///   unsignaled port (prflx). Against a full or restricted cone (filtering ignores
///   the port) the srflx/prflx pair works directly.
/// - Port-restricted × symmetric and symmetric × symmetric: every direct path is
///   filtered (the symmetric side's mapping toward the peer is unknown in advance, and
///   the port-restricted/symmetric side only admits the exact address and port it
///   sent to). Only a relay crosses: the symmetric side's host sends to the other's
///   relayed address (its TURN client asked a permission for the peer's IP, i.e. the
///   NAT's public IP), so the relay owner learns a prflx remote from the check and its
///   triggered check goes back through the relay. Two such pairs exist when both
///   relays are reachable: (relay, peer's prflx) and (own prflx, peer's relay). Both
///   have the same min (the equal relay priorities) and the same max (equal prflx
///   priorities); the tie is broken by the +1 for G > D (§6.1.2.3), so the controlling
///   agent nominates the pair whose controlling-side candidate is the prflx one:
///   left "prflx/relay" when left is symmetric, left "relay/prflx" when left is the
///   port-restricted one (the pair where left's srflx meets right's relay has a max of
///   srflx 100 < prflx 110 and loses). relay/relay pairs work as well (the simulated
///   server relays to its own relayed addresses) but rank below every relay/prflx one.
/// - A firewall that drops all UDP: TURN over UDP is blocked too, nothing is
///   gathered but the host candidate, every pair fails (TURN/TCP and TURN/TLS, which
///   could cross such firewalls, are out of scope). Both agents fail at about 39.6 s:
///   the gathering transactions (STUN and TURN, RFC 8489 schedule, 39.5 s) must give
///   up before failure can be declared, then the last check failures follow.
///
/// Timings: signaling at 100 ms. Where the best pair (host/host to the peer's
/// private address) cannot work, nomination waits the 1 s `nominationDelay` after
/// the first valid pair: completed = connected + 1000 + one round trip (20 ms
/// direct, 40 ms when one leg goes through the relay), the controlled side 10 or
/// 20 ms earlier, when the nominating check reaches it.
@Suite("ICE agent with TURN: the full NAT matrix")
struct AgentRelayMatrixTests {
    /// (left local/remote, right local/remote, left connected, left completed,
    /// right completed, left failed, right failed), times in ms; nil: never.
    typealias Cell = (left: String, right: String, connected: Double?, leftCompleted: Double?,
                      rightCompleted: Double?, leftFailed: Double?, rightFailed: Double?)

    static let expected: [String: Cell] = [
        "open|open": ("host/host", "host/host", 120, 170, 160, nil, nil),
        "open|full-cone": ("host/srflx", "srflx/host", 170, 1190, 1180, nil, nil),
        "open|restricted-cone": ("host/srflx", "srflx/host", 170, 1190, 1180, nil, nil),
        "open|port-restricted-cone": ("host/srflx", "srflx/host", 170, 1190, 1180, nil, nil),
        "open|symmetric": ("host/prflx", "prflx/host", 170, 1190, 1180, nil, nil),
        "open|udp-blocked": ("-", "-", nil, nil, nil, 39650, 39650),
        "full-cone|open": ("srflx/host", "host/srflx", 120, 170, 170, nil, nil),
        "full-cone|full-cone": ("srflx/srflx", "srflx/srflx", 170, 1190, 1180, nil, nil),
        "full-cone|restricted-cone": ("srflx/srflx", "srflx/srflx", 170, 1190, 1180, nil, nil),
        "full-cone|port-restricted-cone": ("srflx/srflx", "srflx/srflx", 170, 1190, 1180, nil, nil),
        "full-cone|symmetric": ("srflx/prflx", "prflx/srflx", 220, 1240, 1230, nil, nil),
        "full-cone|udp-blocked": ("-", "-", nil, nil, nil, 39650, 39700),
        "restricted-cone|open": ("srflx/host", "host/srflx", 120, 170, 170, nil, nil),
        "restricted-cone|full-cone": ("srflx/srflx", "srflx/srflx", 170, 1190, 1180, nil, nil),
        "restricted-cone|restricted-cone": ("srflx/srflx", "srflx/srflx", 170, 1190, 1180, nil, nil),
        "restricted-cone|port-restricted-cone": ("srflx/srflx", "srflx/srflx", 170, 1190, 1180, nil, nil),
        "restricted-cone|symmetric": ("srflx/prflx", "prflx/srflx", 220, 1240, 1230, nil, nil),
        "restricted-cone|udp-blocked": ("-", "-", nil, nil, nil, 39650, 39700),
        "port-restricted-cone|open": ("srflx/host", "host/srflx", 120, 170, 170, nil, nil),
        "port-restricted-cone|full-cone": ("srflx/srflx", "srflx/srflx", 170, 1190, 1180, nil, nil),
        "port-restricted-cone|restricted-cone": ("srflx/srflx", "srflx/srflx", 170, 1190, 1180, nil, nil),
        "port-restricted-cone|port-restricted-cone": ("srflx/srflx", "srflx/srflx", 170, 1190, 1180, nil, nil),
        "port-restricted-cone|symmetric": ("relay/prflx", "prflx/relay", 240, 1280, 1260, nil, nil),
        "port-restricted-cone|udp-blocked": ("-", "-", nil, nil, nil, 39650, 39700),
        "symmetric|open": ("prflx/host", "host/prflx", 120, 170, 170, nil, nil),
        "symmetric|full-cone": ("prflx/srflx", "srflx/prflx", 170, 1190, 1180, nil, nil),
        "symmetric|restricted-cone": ("prflx/srflx", "srflx/prflx", 170, 1190, 1180, nil, nil),
        "symmetric|port-restricted-cone": ("prflx/relay", "relay/prflx", 240, 1280, 1260, nil, nil),
        "symmetric|symmetric": ("prflx/relay", "relay/prflx", 240, 1280, 1260, nil, nil),
        "symmetric|udp-blocked": ("-", "-", nil, nil, nil, 39650, 39700),
        "udp-blocked|open": ("-", "-", nil, nil, nil, 39650, 39650),
        "udp-blocked|full-cone": ("-", "-", nil, nil, nil, 39700, 39650),
        "udp-blocked|restricted-cone": ("-", "-", nil, nil, nil, 39700, 39650),
        "udp-blocked|port-restricted-cone": ("-", "-", nil, nil, nil, 39700, 39650),
        "udp-blocked|symmetric": ("-", "-", nil, nil, nil, 39700, 39650),
        "udp-blocked|udp-blocked": ("-", "-", nil, nil, nil, 39600, 39600),
    ]

    @Test("every cell selects the predicted pair types at the exact instants, and repeats exactly",
          arguments: RelayLab.edges, RelayLab.edges)
    func matrix(left: String, right: String) throws {
        let cell = try #require(Self.expected["\(left)|\(right)"])
        let lab = try RelayLab.run(left, right)
        let outcome = RelayLab.outcome(of: lab)
        #expect(outcome.left == cell.left && outcome.right == cell.right)
        #expect(outcome.leftConnectedAt == cell.connected)
        #expect(outcome.leftCompletedAt == cell.leftCompleted && outcome.rightCompletedAt == cell.rightCompleted)
        #expect(outcome.leftFailedAt == cell.leftFailed && outcome.rightFailedAt == cell.rightFailed)
        let connects = cell.leftCompleted != nil
        #expect(outcome.leftState == (connects ? .completed : .failed))
        #expect(outcome.rightState == (connects ? .completed : .failed))
        if connects {
            // What one side sees as its local address is the other's remote.
            let l = try #require(lab.agent("left").selectedPair), r = try #require(lab.agent("right").selectedPair)
            #expect(l.local.address == r.remote.address && r.local.address == l.remote.address)
        }
        // A relay is involved exactly in the two cells no direct path crosses.
        let relayed = outcome.left.contains("relay") || outcome.right.contains("relay")
        let needsRelay = Set(["port-restricted-cone", "symmetric"]).contains(left) && right == "symmetric"
            || left == "symmetric" && right == "port-restricted-cone"
        #expect(relayed == needsRelay)
        let again = try RelayLab.run(left, right)
        #expect(again.network.trace == lab.network.trace)
    }

    @Test("with 5 % loss each way the relay cells and two direct ones still connect over the same pair types, reproducibly",
          arguments: [("open", "open", UInt64(1), 670.0), ("open", "open", 4, 220),
                      ("full-cone", "full-cone", 2, 1190),
                      ("port-restricted-cone", "symmetric", 1, 1380), ("port-restricted-cone", "symmetric", 3, 1280),
                      ("symmetric", "symmetric", 1, 1880), ("symmetric", "symmetric", 4, 1280),
                      ("symmetric", "port-restricted-cone", 2, 1680)])
    func lossy(left: String, right: String, seed: UInt64, completedAt: Double) throws {
        let lab = try RelayLab.run(left, right, seed: seed, loss: 0.05)
        let outcome = RelayLab.outcome(of: lab)
        let cell = try #require(Self.expected["\(left)|\(right)"])
        #expect(outcome.leftState == .completed && outcome.rightState == .completed)
        #expect(outcome.left == cell.left && outcome.right == cell.right)
        // A lost check or nomination costs a retransmission (500 ms RTO): later than lossless, never earlier.
        #expect(outcome.leftCompletedAt == completedAt)
        #expect(try #require(outcome.leftCompletedAt) >= cell.leftCompleted!)
        #expect(lab.network.trace.drops(.loss).count > 0)
        let again = try RelayLab.run(left, right, seed: seed, loss: 0.05)
        #expect(again.network.trace == lab.network.trace)
    }
}
