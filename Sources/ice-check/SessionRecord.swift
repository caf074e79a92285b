import ICE
import Wire

/// What one agent did during a run: the story the reports tell.
struct SessionSide {
    /// "left" or "right".
    let name: String
    /// The role it started in (left controls: it plays the offerer, RFC 8445 §6.1.1).
    let role: ICERole
    /// Its username fragment (the password is never printed).
    let ufrag: String
    /// The bases it was given (one bound UDP port each).
    let bases: [TransportAddress]
    /// Every local candidate it gathered, in order.
    var candidates: [ICECandidate] = []
    /// The checklist right after signaling (states as computed then).
    var initialChecklist: [ICECandidatePair] = []
    /// The checklist when the run ended.
    var finalChecklist: [ICECandidatePair] = []
    /// The pair it selected, if any.
    var selected: ICECandidatePair?
    /// Its overall state at the end.
    var state: ICEAgentState = .new
    /// Its role at the end (a role conflict could have changed it).
    var finalRole: ICERole
}

/// One line of the timeline: something an agent reported, and when.
struct SessionEvent {
    /// Milliseconds since the run started.
    let milliseconds: Double
    /// "left" or "right".
    let agent: String
    /// A machine-friendly kind: state, pair, check, selected, gathered, ...
    let kind: String
    /// What happened, for a reader.
    let text: String
}

/// A whole run (loopback or simulated), ready to be rendered as text or JSON.
struct SessionRecord {
    /// "loopback" or "simulate".
    let mode: String
    /// One line saying what ran where.
    let headline: String
    /// Settings worth repeating (NAT presets, loss, delay, seed); ordered.
    var settings: [(String, String)] = []
    /// The two agents.
    var sides: [SessionSide]
    /// Every reported event, in time order.
    var timeline: [SessionEvent] = []
    /// True when both agents selected the same path.
    var connected = false
    /// Milliseconds from start until both agents selected a pair (nil when they did not).
    var totalMilliseconds: Double?
    /// One sentence: the selected pair types, or the failure and why.
    var outcome = ""
    /// The ASCII ladder diagram (simulation only).
    var ladder: String?
    /// --use-exercise: the student's priorities against the library's.
    var exercise: PriorityExerciseReport?
    /// --use-exercise: what the student's checklist decided (exercise 10).
    var checklistExercise: ChecklistExerciseReport?
    /// --use-exercise: the pieces left out because they are still starters.
    var skippedExercises: [String] = []
    /// --stun/--turn: what each server did.
    var serverFindings: [ServerFinding] = []
    /// The last state reported for each "agent#pair" (to skip repeats).
    var lastPairStates: [String: ICEPairState] = [:]

    /// Records an agent event (events not worth a timeline line are skipped).
    mutating func note(_ event: ICEAgentEvent, agent: String, at milliseconds: Double) {
        // A pair reported again in the state it already had (a retransmission, a
        // re-sort) is not news: one line per real change.
        if case let .pairStateChanged(pairID, state) = event {
            let key = "\(agent)#\(pairID)"
            guard lastPairStates[key] != state else { return }
            lastPairStates[key] = state
        }
        guard let (kind, text) = Self.describe(event) else { return }
        timeline.append(SessionEvent(milliseconds: milliseconds, agent: agent, kind: kind, text: text))
    }

    /// A short sentence for each event kind (nil: not shown).
    static func describe(_ event: ICEAgentEvent) -> (String, String)? {
        switch event {
        case let .candidateGathered(candidate):
            return ("gathered", "gathered \(candidate.type) candidate \(candidate.address)")
        case .gatheringComplete:
            return ("gathering", "gathering complete")
        case let .peerReflexiveLearnt(candidate, isLocal):
            return ("prflx", "learnt \(isLocal ? "local" : "remote") peer-reflexive candidate \(candidate.address)")
        case let .checkSent(pairID, from, to, nominating):
            return ("check", "check pair #\(pairID) \(from) -> \(to)" + (nominating ? " with USE-CANDIDATE" : ""))
        case let .pairStateChanged(pairID, state):
            return ("pair", "pair #\(pairID) is \(state)")
        case let .pairRemoved(pairID):
            return ("pair", "pair #\(pairID) removed unchecked (a pair was nominated, §8.1.2)")
        case let .roleChanged(role):
            return ("role", "role conflict: now \(role)")
        case let .stateChanged(state):
            return ("state", "agent state \(state)")
        case let .selectedPairChanged(pair):
            return ("selected", "selected pair #\(pair.id) \(pair.local.base) -> \(pair.remote.address) "
                        + "(\(pair.local.type)/\(pair.remote.type))")
        case let .dataReceived(bytes, from, _):
            return ("data", "received \(bytes.count) B of data from \(from)")
        case let .dropped(from, reason):
            return ("dropped", "ignored a datagram from \(from): \(reason)")
        }
    }

    /// The candidate priority taken apart with the RFC 8445 §5.1.2.1 formula,
    /// e.g. "2^24×126 + 2^8×65535 + (256−1) = 2130706431".
    static func formula(_ priority: UInt32) -> String {
        let type = ICECandidatePriority.typePreference(of: priority)
        let local = ICECandidatePriority.localPreference(of: priority)
        let component = ICECandidatePriority.componentID(of: priority)
        return "2^24×\(type) + 2^8×\(local) + (256−\(component)) = \(priority)"
    }

    /// The selected pair types, "srflx/host" style, from the left agent's view.
    var selectedTypes: String? {
        sides.first?.selected.map { "\($0.local.type)/\($0.remote.type)" }
    }
}

/// What a configured STUN or TURN server did during a loopback run.
struct ServerFinding {
    /// "STUN 127.0.0.1:3478".
    let server: String
    /// The exit code this finding causes, nil when the server worked.
    let problem: IceCheckExit?
    /// What happened, for a reader.
    let text: String
}
