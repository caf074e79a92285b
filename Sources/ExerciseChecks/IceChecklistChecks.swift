// Checks of exercise 10: the ICE checklist (RFC 8445 §6.1.2, §6.1.4.2, §7.2.5.3.3). This file
// declares every check and holds the formation ones; the state-machine ones (transitions,
// unfreezing, the next pair, a scripted run) are in IceChecklistRunChecks.swift. Every
// expectation is the reference model's (IceChecklistReference.swift) on the same input, and a
// failure shows the candidates, the expected and actual pairs with their states, and the rule.
import ExerciseInterfaces

enum IceChecklistChecks {
    static let exerciseID = "10-ice-checklist"
    static let check = DescriptorMaker(exerciseID: exerciseID)

    static let pairingRule = "RFC 8445 §6.1.2.2: each local candidate is paired with each remote candidate of the same "
        + "component and the same address family (IPv4 with IPv4, IPv6 with IPv6)"
    static let pruningRule = "RFC 8445 §6.1.2.4: a server-reflexive local candidate is replaced by its base (the host "
        + "candidate it was learnt from); a pair is then removed when a higher-priority pair has the same local base and "
        + "the same remote candidate"
    static let priorityRule = "RFC 8445 §6.1.2.3: pairs are sorted by priority, highest first: "
        + "2^32*MIN(G,D) + 2*MAX(G,D) + (G>D?1:0), G the controlling agent's candidate priority, D the controlled agent's"
    static let initialRule = "RFC 8445 §6.1.2.6: every pair starts Frozen; then for each pair foundation (local foundation "
        + "\":\" remote foundation) the pair with the lowest component ID, and among those the highest priority, is set to Waiting"
    static let nextRule = "RFC 8445 §6.1.4.2 step 3: when Ta fires the agent checks the highest-priority Waiting pair "
        + "(equal priorities: the lowest component ID) and sets it to In-Progress"
    static let resultRule = "RFC 8445 §6.1.2.6, §7.2.5: a check's result moves its pair from In-Progress to Succeeded or "
        + "Failed; a result for a pair that is not In-Progress (or not in the checklist) is a caller's mistake: invalidInput"
    static let successRule = "RFC 8445 §7.2.5.3.3: when a check succeeds, every Frozen pair with the same foundation is set "
        + "to Waiting (a path like it now looks promising); a failure unfreezes nothing"
    static let idleRule = "RFC 8445 §6.1.4.2 step 2: if no pair is Waiting, then for each foundation with no pair Waiting or "
        + "In-Progress one Frozen pair is set to Waiting (lowest component ID, then highest priority), before step 3 picks one"
    static let runRule = "RFC 8445 §6.1.2, §6.1.4.2, §7.2.5.3.3 together: the checklist formed, then one check per Ta, "
        + "the results coming back as the network delivers them"

    static let pairing = check("form.pairing", points: 2,
                               title: "pairs candidates of the same component and address family, and no others",
                               rule: pairingRule)
    static let pruning = check("form.srflx-pruned", points: 2,
                               title: "replaces srflx locals by their host base and drops the redundant pairs",
                               rule: pruningRule)
    static let ordering = check("form.priority-order", points: 2,
                                title: "gives each pair the §6.1.2.3 priority for its role and sorts highest first",
                                rule: priorityRule)
    static let initial = check("form.initial-states", points: 3,
                               title: "one Waiting pair per foundation (lowest component, highest priority), the rest Frozen",
                               rule: initialRule)

    static let descriptors = [pairing, pruning, ordering, initial] + IceChecklistRunChecks.descriptors

    static func checks<Checklist: IceChecklistExercise>(_: Checklist.Type) -> [ExerciseCheck] {
        let scenarios = IceChecklistScenarios.self
        return [
            // Without srflx locals, so that a missing §6.1.2.4 replacement fails the pruning check, not this one.
            formation(Checklist.self, pairing, [scenarios.families, scenarios.componentHosts]) { $0.id.description },
            ExerciseCheck(pruning) { pruned(Checklist.self) },
            formation(Checklist.self, ordering, [scenarios.nat, scenarios.nat.role(false), scenarios.sameFoundation]) {
                "\($0.id) priority \($0.priority)"
            },
            formation(Checklist.self, initial, [scenarios.components, scenarios.sameFoundation, scenarios.nat]) {
                "\($0.id) \($0.state) (foundation \($0.foundation))"
            },
        ] + IceChecklistRunChecks.checks(Checklist.self)
    }

    // MARK: - Formation

    /// Forms each scenario and compares the pairs, rendered by `row` (the part the check is about), in order.
    static func formation<Checklist: IceChecklistExercise>(
        _: Checklist.Type, _ descriptor: CheckDescriptor, _ scenarios: [IceChecklistScenarios.Scenario],
        row: @escaping (IceChecklistPair) -> String
    ) -> ExerciseCheck {
        ExerciseCheck(descriptor) {
            for scenario in scenarios {
                guard let reference = IceChecklistReference(local: scenario.local, remote: scenario.remote,
                                                            controlling: scenario.controlling) else { continue }
                let expected = reference.pairs.map(row)
                do {
                    var checklist = Checklist()
                    try checklist.form(local: scenario.local, remote: scenario.remote, controlling: scenario.controlling)
                    let actual = try checklist.pairs.map(row)
                    if actual != expected {
                        return .fail(CheckFailure(input: scenario.input, expected: rows(expected),
                                                  actual: rows(actual) + difference(expected, actual), rule: descriptor.rule))
                    }
                } catch {
                    return .fail(CheckFailure(input: scenario.input, expected: rows(expected), actual: Describe.thrown(error),
                                              rule: descriptor.rule))
                }
            }
            return .pass
        }
    }

    /// The srflx pairs collapse into their hosts' (no srflx local survives), and a srflx without its host is refused.
    static func pruned<Checklist: IceChecklistExercise>(_: Checklist.Type) -> CheckOutcome {
        for scenario in [IceChecklistScenarios.nat, IceChecklistScenarios.components] {
            guard let reference = IceChecklistReference(local: scenario.local, remote: scenario.remote,
                                                        controlling: scenario.controlling) else { continue }
            let row = { (pair: IceChecklistPair) in "\(pair.local.type.rawValue) \(pair.id)" }
            let expected = reference.pairs.map(row)
            do {
                var checklist = Checklist()
                try checklist.form(local: scenario.local, remote: scenario.remote, controlling: scenario.controlling)
                let actual = try checklist.pairs.map(row)
                guard actual == expected else {
                    var note = difference(expected, actual)
                    if actual.contains(where: { $0.hasPrefix("srflx") }) {
                        note += "\n          (a srflx local candidate is still in a pair: checks leave from a base, so it "
                            + "must be replaced by its host)"
                    }
                    return .fail(CheckFailure(input: scenario.input, expected: rows(expected), actual: rows(actual) + note,
                                              rule: pruningRule))
                }
            } catch {
                return .fail(CheckFailure(input: scenario.input, expected: rows(expected), actual: Describe.thrown(error),
                                          rule: pruningRule))
            }
        }
        let orphan = IceChecklistScenarios.orphanSrflx
        var checklist = Checklist()
        if let failure = Verdict.rejects(orphan.input, rule: pruningRule + "; without its host it has no base to send from",
                                         { try checklist.form(local: orphan.local, remote: orphan.remote, controlling: true) }) {
            return .fail(failure)
        }
        return .pass
    }

    // MARK: - Rendering

    /// One pair per line, numbered, aligned under "expected: " in `lab check`'s output.
    static func rows(_ rows: [String]) -> String {
        guard !rows.isEmpty else { return "(no pairs)" }
        return rows.enumerated().map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n          ")
    }

    /// What is missing, extra, or only in the wrong place.
    static func difference(_ expected: [String], _ actual: [String]) -> String {
        let missing = expected.filter { !actual.contains($0) }, extra = actual.filter { !expected.contains($0) }
        var notes: [String] = []
        if !missing.isEmpty { notes.append("missing: " + missing.joined(separator: "; ")) }
        if !extra.isEmpty { notes.append("not expected: " + extra.joined(separator: "; ")) }
        if notes.isEmpty { notes.append("the same rows in another order") }
        return "\n          (" + notes.joined(separator: "; ") + ")"
    }

    /// A pair as the failure messages name it: "10.0.1.2:5000 -> 10.0.2.2:6000 Waiting".
    static func state(_ pair: IceChecklistPair) -> String { "\(pair.id) \(pair.state)" }
}

extension CheckSuite {
    /// Exercise 10's checks bound to `checklist` (the student's `IceChecklist` in exercise-runner,
    /// `Solutions.IceChecklist` in the tests), in catalog order.
    public static func iceChecklistChecks<Checklist: IceChecklistExercise>(_ checklist: Checklist.Type) -> [ExerciseCheck] {
        IceChecklistChecks.checks(checklist)
    }
}
