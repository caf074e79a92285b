import ExerciseInterfaces
import ICE
import Wire

// The lab's exercise 10 hook, shared by the tools that run an ICE agent (ice-check's
// simulations, datachannel-chat's PeerConnection for `lab check capstone`).

/// --use-exercise: the student's exercise 10 checklist (`Exercises.IceChecklist`, or any
/// `IceChecklistExercise` a test passes) decides every ordinary check of an agent, through
/// the agent's `ICEChecklistStrategy` hook.
///
/// The student's checklist is formed from the agent's final candidate lists; its Waiting
/// pairs are unfrozen in the agent's checklist; each Ta with no triggered check queued, the
/// pair it returns from `nextPairToCheck()` is the one the agent checks; every result, of
/// its checks or of the library's triggered checks on a pair it has In-Progress, goes back
/// to it. A pair a triggered check (§7.3.1.4, the library's part) already settled is not
/// checked twice: when the student's checklist picks it, the known result is handed back
/// at once. The formation is also compared, pair by pair, with the library's
/// (`ICEChecklist(local:remote:role:)` on the same candidates).
public struct ExerciseChecklistStrategy<Checklist: IceChecklistExercise>: ICEChecklistStrategy, ChecklistExerciseReporting {
    private var student = Checklist()
    private var idle = false
    /// What the report says about this side.
    public private(set) var findings = ChecklistExerciseFindings()

    /// A fresh strategy with a new `Checklist()`; the agent forms it when its lists are final.
    public init() {}

    /// Until the student's checklist answers nil, and again after each result it hears.
    public var hasOrdinaryCheck: Bool { findings.problem == nil && !idle }

    /// Forms the student's checklist and unfreezes its Waiting pairs in the agent's.
    public mutating func form(local: [ICECandidate], remote: [ICECandidate], role: ICERole,
                       checklist: ICEChecklist) -> ICEChecklistDecision {
        let ours = local.compactMap(ChecklistTranslation.candidate), theirs = remote.compactMap(ChecklistTranslation.candidate)
        findings.formed = true
        do {
            try student.form(local: ours, remote: theirs, controlling: role == .controlling)
            let formed = try student.pairs
            findings.compare(formed, with: ICEChecklist(local: local, remote: remote, role: role).pairs)
            let waiting = formed.filter { $0.state == .waiting }
            return ICEChecklistDecision(unfreeze: waiting.compactMap { ChecklistTranslation.libraryID($0.id, in: checklist) })
        } catch {
            findings.record(error, in: "form(local:remote:controlling:)")
            return ICEChecklistDecision()
        }
    }

    /// The student's `nextPairToCheck()`, mapped to the agent's pair ids.
    public mutating func nextOrdinaryCheck(checklist: ICEChecklist) -> ICEChecklistDecision {
        var unfrozen: [Int] = []
        // Each round moves one of the student's pairs out of Waiting, so this ends.
        for _ in 0...(checklist.pairs.count + 1) {
            guard findings.problem == nil else { break }
            do {
                let before = try ChecklistTranslation.states(student.pairs)
                let chosen = try student.nextPairToCheck()
                unfrozen += try ChecklistTranslation.newlyWaiting(before, student.pairs)
                    .compactMap { ChecklistTranslation.libraryID($0, in: checklist) }
                guard let chosen else { break }
                guard let id = ChecklistTranslation.libraryID(chosen.id, in: checklist), let state = checklist.pair(id)?.state else {
                    // A pair the agent never formed (another family or component): it cannot be checked.
                    findings.mismatches.append("nextPairToCheck() returned \(chosen.id), which is no pair of the agent's "
                                               + "checklist (RFC 8445 §6.1.2.2 does not form it): counted as failed")
                    unfrozen += try report(chosen, succeeded: false, checklist: checklist)
                    continue
                }
                switch state {
                case .frozen, .waiting:
                    findings.checks.append("\(chosen.local.type.rawValue) \(chosen.id.localBase) -> "
                                           + "\(chosen.remote.type.rawValue) \(chosen.id.remote)")
                    return ICEChecklistDecision(unfreeze: unfrozen, check: id)
                case .inProgress:
                    continue // a triggered check is on it: its result comes through checkEnded
                case .succeeded, .failed:
                    findings.settledByTriggeredChecks += 1
                    unfrozen += try report(chosen, succeeded: state == .succeeded, checklist: checklist)
                }
            } catch {
                findings.record(error, in: "nextPairToCheck()")
            }
        }
        idle = true
        return ICEChecklistDecision(unfreeze: unfrozen)
    }

    /// Hands a result to the student's checklist when it has that pair In-Progress.
    public mutating func checkEnded(pair id: Int, succeeded: Bool, checklist: ICEChecklist) -> ICEChecklistDecision {
        guard findings.problem == nil, let pair = checklist.pair(id) else { return ICEChecklistDecision() }
        let key = ChecklistTranslation.pairID(pair)
        do {
            // Only a pair the student's checklist has In-Progress hears of it; a triggered check on
            // any other pair is handed over when the student's checklist picks that pair.
            guard let mine = try student.pairs.first(where: { $0.id == key }), mine.state == .inProgress else {
                return ICEChecklistDecision()
            }
            return ICEChecklistDecision(unfreeze: try report(mine, succeeded: succeeded, checklist: checklist))
        } catch {
            findings.record(error, in: succeeded ? "checkSucceeded(_:)" : "checkFailed(_:)")
            return ICEChecklistDecision()
        }
    }

    /// Gives the student's checklist a result; returns the agent's ids of the pairs it unfroze.
    private mutating func report(_ pair: IceChecklistPair, succeeded: Bool, checklist: ICEChecklist) throws -> [Int] {
        let before = try ChecklistTranslation.states(student.pairs)
        if succeeded { try student.checkSucceeded(pair) } else { try student.checkFailed(pair) }
        idle = false
        return try ChecklistTranslation.newlyWaiting(before, student.pairs)
            .compactMap { ChecklistTranslation.libraryID($0, in: checklist) }
    }
}

/// Translating between the library's ICE values and the exercise's; pairs are matched by
/// (local base, remote address, component), the key §6.1.2.4 uses for redundancy.
enum ChecklistTranslation {
    /// The exercise's view of a candidate; nil for a type the exercise does not name.
    static func candidate(_ candidate: ICECandidate) -> IceChecklistCandidate? {
        guard let kind = CandidateKind(rawValue: candidate.type.rawValue) else { return nil }
        return IceChecklistCandidate(type: kind, address: address(candidate.address), base: address(candidate.base),
                                     component: candidate.componentID, foundation: candidate.foundation,
                                     priority: candidate.priority)
    }

    /// "10.0.1.2" and 5000, or "::1" and 5000.
    static func address(_ address: TransportAddress) -> IceTransportAddress {
        IceTransportAddress(address.ip.description, Int(address.port))
    }

    /// The exercise's id of a library pair.
    static func pairID(_ pair: ICECandidatePair) -> IcePairID {
        IcePairID(localBase: address(pair.local.base), remote: address(pair.remote.address), component: pair.componentID)
    }

    /// The agent checklist's id of the pair the exercise names, if the agent has it.
    static func libraryID(_ id: IcePairID, in checklist: ICEChecklist) -> Int? {
        checklist.pairs.first { pairID($0) == id }?.id
    }

    /// Each pair's state, by id.
    static func states(_ pairs: [IceChecklistPair]) -> [IcePairID: IcePairState] {
        Dictionary(pairs.map { ($0.id, $0.state) }, uniquingKeysWith: { first, _ in first })
    }

    /// The pairs Waiting now that were not before a call.
    static func newlyWaiting(_ before: [IcePairID: IcePairState], _ after: [IceChecklistPair]) -> [IcePairID] {
        after.filter { $0.state == .waiting && before[$0.id] != .waiting }.map(\.id)
    }
}

/// Read access to a side's findings whatever the student's type (the strategy is generic).
public protocol ChecklistExerciseReporting {
    /// What the student's checklist did so far.
    var findings: ChecklistExerciseFindings { get }
}

/// What one agent's student checklist did in a run, for the report.
public struct ChecklistExerciseFindings: Sendable {
    /// The checklist was formed (both candidate lists became final).
    public var formed = false
    /// The formation as the student's code made it ("pair  priority  state" rows) and the library's.
    public var studentRows: [String] = []
    /// The same rows as RFC 8445 §6.1.2 forms them (the library's checklist).
    public var libraryRows: [String] = []
    /// Every ordinary check it chose, in order.
    public var checks: [String] = []
    /// Picks whose result a triggered check had already settled.
    public var settledByTriggeredChecks = 0
    /// Where it disagreed with the RFC's rules as the library applies them.
    public var mismatches: [String] = []
    /// The first error its code threw; from then on it decided nothing.
    public var problem: String?
    /// That error was `notImplemented`.
    public var notImplemented = false

    /// True when the formation matched and nothing went wrong.
    public var agrees: Bool { formed && problem == nil && mismatches.isEmpty }

    mutating func record(_ error: any Error, in function: String) {
        guard problem == nil else { return }
        if case ExerciseError.notImplemented? = error as? ExerciseError {
            notImplemented = true
            problem = "\(function) is not implemented yet (it throws notImplemented)"
        } else if case let ExerciseError.invalidInput(why)? = error as? ExerciseError {
            problem = "\(function) threw invalidInput(\(why))"
        } else {
            problem = "\(function) threw \(error)"
        }
    }

    /// Compares the student's formed pairs with the library's, row by row.
    mutating func compare(_ formed: [IceChecklistPair], with library: [ICECandidatePair]) {
        studentRows = formed.map { "\($0.id)  priority \($0.priority)  \($0.state)" }
        libraryRows = library.map { pair in
            let id = ChecklistTranslation.pairID(pair)
            return "\(id)  priority \(pair.priority)  \(IcePairState(library: pair.state))"
        }
        guard studentRows != libraryRows else { return }
        let missing = libraryRows.filter { !studentRows.contains($0) }, extra = studentRows.filter { !libraryRows.contains($0) }
        var text = "your checklist formed \(studentRows.count) pairs, RFC 8445 §6.1.2 forms \(libraryRows.count)"
        if let first = missing.first { text += "; expected \(first)" }
        if let first = extra.first { text += "; yours has \(first)" }
        if missing.isEmpty && extra.isEmpty { text += "; the same rows in another order (§6.1.2.3: highest priority first)" }
        mismatches.append(text)
    }
}

extension IcePairState {
    /// The exercise's spelling of a library state.
    init(library state: ICEPairState) {
        switch state {
        case .frozen: self = .frozen
        case .waiting: self = .waiting
        case .inProgress: self = .inProgress
        case .succeeded: self = .succeeded
        case .failed: self = .failed
        }
    }
}

/// Whether an exercise 10 checklist is written yet: a starter throws `notImplemented`
/// on a two-candidate checklist; anything else (right, wrong or refusing) is written,
/// and judged by the run.
public enum IceChecklistProbe {
    public static func isWritten(_ exercise: any IceChecklistExercise.Type) -> Bool {
        func probe<Checklist: IceChecklistExercise>(_: Checklist.Type) -> Bool {
            let host = { (ip: String, port: Int) in
                IceChecklistCandidate(type: .host, address: IceTransportAddress(ip, port), foundation: "1", priority: 2_130_706_431)
            }
            var checklist = Checklist()
            do {
                try checklist.form(local: [host("10.0.1.2", 5000)], remote: [host("10.0.2.2", 6000)], controlling: true)
                _ = try checklist.pairs
                if let pair = try checklist.nextPairToCheck() { try checklist.checkSucceeded(pair) }
                var other = Checklist()
                try other.form(local: [host("10.0.1.2", 5000)], remote: [host("10.0.2.2", 6000)], controlling: true)
                if let pair = try other.nextPairToCheck() { try other.checkFailed(pair) }
            } catch ExerciseError.notImplemented {
                return false
            } catch {
                // Wrong answers and refusals are the run's and the report's business.
            }
            return true
        }
        return probe(exercise)
    }

    /// The strategy that puts `exercise` in charge of an agent's ordinary checks.
    public static func strategy(_ exercise: any IceChecklistExercise.Type) -> any ICEChecklistStrategy {
        func make<Checklist: IceChecklistExercise>(_: Checklist.Type) -> any ICEChecklistStrategy {
            ExerciseChecklistStrategy<Checklist>()
        }
        return make(exercise)
    }
}
