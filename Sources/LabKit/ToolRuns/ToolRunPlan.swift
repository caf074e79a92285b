/// One run of a lab tool with `--use-exercise`: the student's code carrying real traffic.
///
/// Several exercises share a tool (stun-probe runs exercise 02's decoder and 09's
/// transaction at once), so a run is planned once and judged once per exercise it
/// covers (`ToolRunJudge`). Every run stays on loopback or in a simulation.
public enum ToolRunPlan: String, Sendable, CaseIterable, Hashable {
    /// `stun-probe --use-exercise` against coturn on a free loopback port (the tool's
    /// embedded server when coturn is not installed), dropping the first sends so the
    /// student's retransmission schedule has to work.
    case stunProbe = "stun-probe"
    /// `ice-check --use-exercise` through the NAT simulation (symmetric facing full cone).
    case iceCheck = "ice-check"
    /// `dtls-handshake --use-exercise`: a loopback handshake whose two fingerprints are the student's.
    case dtlsHandshake = "dtls-handshake"
    /// `sctp-streams --use-exercise`: the student's receiver delivers every message, 3 % loss on loopback.
    case sctpStreams = "sctp-streams"
    /// `datachannel-chat echo --use-exercise` against aiortc's echo server on loopback.
    case echoAiortc = "datachannel-chat/aiortc"
    /// The capstone: `datachannel-chat echo --use-exercise` against headless Chromium.
    case echoChromium = "datachannel-chat/chromium"

    /// The SwiftPM product to build and run.
    public var tool: String {
        switch self {
        case .echoAiortc, .echoChromium: return "datachannel-chat"
        default: return rawValue
        }
    }

    /// The exercises this run judges, by id.
    public var exerciseIDs: [String] {
        switch self {
        case .stunProbe: return ["02-stun-coding", "09-stun-transaction"]
        case .iceCheck: return ["03-candidate-priority", "10-ice-checklist"]
        case .dtlsHandshake: return ["05-dtls-fingerprint"]
        case .sctpStreams: return ["12-stream-receive"]
        case .echoAiortc: return ["07-dcep-open", "11-dcep-channel"]
        // The capstone takes every piece a PeerConnection can: 09 times the client's ICE
        // transactions, 10 chooses its checks, 12 delivers the messages beside usrsctp.
        case .echoChromium: return ["07-dcep-open", "09-stun-transaction", "10-ice-checklist", "11-dcep-channel", "12-stream-receive"]
        }
    }

    /// The peer the tool talks to, for the report.
    public var peerDescription: String {
        switch self {
        case .stunProbe: return "coturn on loopback (or stun-probe's embedded server)"
        case .iceCheck: return "two agents behind simulated NATs, in virtual time"
        case .dtlsHandshake: return "its own DTLS server on loopback"
        case .sctpStreams: return "its own SCTP receiver on loopback, 3 % loss"
        case .echoAiortc: return "aiortc's echo server on loopback"
        case .echoChromium: return "headless Chromium's echo server on loopback"
        }
    }

    /// The tool's arguments once the peer is up (`peer`: its address or offer URL, if it has one).
    public func arguments(peer: String?) -> [String] {
        switch self {
        case .stunProbe:
            // Three transactions, the first two sends of each dropped: the schedule is exercised.
            return (peer.map { [$0] } ?? []) + ["--use-exercise", "--json", "--rto", "50", "--count", "3", "--drop-requests", "2"]
        case .iceCheck:
            return ["--simulate", "symmetric,full-cone", "--use-exercise", "--json"]
        case .dtlsHandshake:
            return ["--use-exercise", "--json"]
        case .sctpStreams:
            return ["--use-exercise", "--json", "--messages", "100", "--timeout", "120"]
        case .echoAiortc:
            return ["echo"] + (peer.map { [$0] } ?? []) + ["--use-exercise", "--json", "--timeout", "90"]
        case .echoChromium:
            // One lost answer: the client's first ICE check completes only through a
            // retransmission, which exercise 09's transaction has to send.
            return ["echo"] + (peer.map { [$0] } ?? []) + ["--use-exercise", "--json", "--timeout", "90", "--drop-check-answers", "1"]
        }
    }

    /// The runs that judge `exerciseIDs`, each once, in the order of the exercises.
    public static func plans(for exerciseIDs: [String]) -> [ToolRunPlan] {
        var plans: [ToolRunPlan] = []
        for id in exerciseIDs {
            for plan in [ToolRunPlan.stunProbe, .iceCheck, .dtlsHandshake, .sctpStreams, .echoAiortc]
            where plan.exerciseIDs.contains(id) && !plans.contains(plan) {
                plans.append(plan)
            }
        }
        return plans
    }

    /// Whether exercise `id` has a tool run in `lab check`.
    public static func hasToolRun(_ id: String) -> Bool { !plans(for: [id]).isEmpty }
}
