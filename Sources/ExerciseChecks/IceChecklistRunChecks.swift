// Checks of exercise 10, second half: the checklist as a state machine. Each check drives the
// student's checklist and the reference model (IceChecklistReference.swift) through the same
// steps and compares, after every step, the pair returned and the state of every pair. A
// failure shows the candidates, the steps so far, and the expected and actual pairs.
import ExerciseInterfaces

enum IceChecklistRunChecks {
    static let check = IceChecklistChecks.check

    static let next = check("next.highest-waiting", points: 2,
                            title: "nextPairToCheck returns the highest-priority Waiting pair, now In-Progress; nil when none",
                            rule: IceChecklistChecks.nextRule)
    static let results = check("results.transitions", points: 2,
                               title: "In-Progress goes to Succeeded or Failed; a result for any other pair throws invalidInput",
                               rule: IceChecklistChecks.resultRule)
    static let unfreezing = check("unfreeze.on-success", points: 3,
                                  title: "a success unfreezes the Frozen pairs of its foundation; a failure unfreezes nothing",
                                  rule: IceChecklistChecks.successRule)
    static let idle = check("next.unfreeze-when-idle", points: 2,
                            title: "with nothing Waiting, unfreezes one pair per foundation not in progress, then picks",
                            rule: IceChecklistChecks.idleRule)
    static let scripted = check("run.scripted", points: 3,
                                title: "a whole scripted run: every check, result and state as the RFC walks it",
                                rule: IceChecklistChecks.runRule)

    static let descriptors = [next, results, unfreezing, idle, scripted]

    static func checks<Checklist: IceChecklistExercise>(_: Checklist.Type) -> [ExerciseCheck] {
        let scenarios = IceChecklistScenarios.self
        return [
            ExerciseCheck(next) {
                drive(Checklist.self, scenarios.nat, rule: next.rule) { run in
                    for _ in 0...6 { if let failure = run.next() { return failure } }
                    return nil
                }
            },
            ExerciseCheck(results) {
                drive(Checklist.self, scenarios.nat, rule: results.rule) { run in
                    if let failure = run.next() ?? run.result(first: true, succeeded: true) { return failure }
                    if let failure = run.next() ?? run.result(first: true, succeeded: false) { return failure }
                    // Pair 3 is Waiting, pair 1 already Succeeded, and a pair that was never formed.
                    let waiting = run.reference.pairs[2], done = run.reference.pairs[0]
                    var stranger = done
                    stranger.remote.address = IceTransportAddress("192.0.2.99", 9)
                    return run.refused(waiting, succeeded: true) ?? run.refused(waiting, succeeded: false)
                        ?? run.refused(done, succeeded: true) ?? run.refused(stranger, succeeded: true)
                }
            },
            ExerciseCheck(unfreezing) {
                failing(Checklist.self, scenarios.components, rule: unfreezing.rule) { run in
                    run.next() ?? run.result(first: true, succeeded: true) ?? run.next() ?? run.result(first: true, succeeded: false)
                        ?? run.next() ?? run.next()
                } ?? drive(Checklist.self, scenarios.sameFoundation, rule: unfreezing.rule) { run in
                    run.next() ?? run.result(first: true, succeeded: true) ?? run.next()
                }
            },
            ExerciseCheck(idle) {
                failing(Checklist.self, scenarios.sameFoundation, rule: idle.rule) { run in
                    run.next() ?? run.next() ?? run.result(first: true, succeeded: false) ?? run.result(first: true, succeeded: false)
                        ?? run.next() ?? run.next() ?? run.next()
                } ?? drive(Checklist.self, scenarios.components, rule: idle.rule) { run in
                    run.next() ?? run.next() ?? run.next()
                }
            },
            ExerciseCheck(scripted) {
                scriptedRun(Checklist.self, scenarios.components) ?? scriptedRun(Checklist.self, scenarios.nat)
                    ?? scriptedRun(Checklist.self, scenarios.sameFoundation) ?? .pass
            },
        ]
    }

    /// Runs `body` on a fresh pair of checklists formed from `scenario`; `.pass` when no step disagreed.
    static func drive<Checklist: IceChecklistExercise>(
        _: Checklist.Type, _ scenario: IceChecklistScenarios.Scenario, rule: String,
        _ body: (inout Run<Checklist>) -> CheckFailure?
    ) -> CheckOutcome {
        var run = Run<Checklist>(scenario: scenario, rule: rule)
        if let failure = run.form() ?? body(&run) { return .fail(failure) }
        return .pass
    }

    /// `drive`'s verdict as an optional (nil for a pass), so several scenarios chain with `??`.
    static func failing<Checklist: IceChecklistExercise>(
        _: Checklist.Type, _ scenario: IceChecklistScenarios.Scenario, rule: String,
        _ body: (inout Run<Checklist>) -> CheckFailure?
    ) -> CheckOutcome? {
        let outcome: CheckOutcome = drive(Checklist.self, scenario, rule: rule, body)
        return outcome == .pass ? nil : outcome
    }

    /// A network with a round trip of two Ta: a check's answer comes back after the next two
    /// checks went out. Checks to a server-reflexive or relayed remote address succeed, the
    /// others (a private host address across NATs) fail.
    static func scriptedRun<Checklist: IceChecklistExercise>(
        _: Checklist.Type, _ scenario: IceChecklistScenarios.Scenario
    ) -> CheckOutcome? {
        failing(Checklist.self, scenario, rule: scripted.rule) { run in
            run.log.append("the network: answers come two Ta after their check; checks to srflx or relay addresses succeed, to hosts fail")
            var inFlight: [IcePairID] = []
            for _ in 0..<40 {
                if let failure = run.next() { return failure }
                if let sent = run.lastReturned { inFlight.append(sent) }
                if inFlight.count > 2 || (run.lastReturned == nil && !inFlight.isEmpty) {
                    let answered = inFlight.removeFirst()
                    let remote = run.reference.pairs.first { $0.id == answered }?.remote.type
                    if let failure = run.result(answered, succeeded: remote != .host) { return failure }
                } else if run.lastReturned == nil {
                    return nil
                }
            }
            return nil
        }
    }

    /// The student's checklist and the reference, driven in step; each step returns the failure, if any.
    struct Run<Checklist: IceChecklistExercise> {
        let scenario: IceChecklistScenarios.Scenario
        let rule: String
        var student = Checklist()
        var reference: IceChecklistReference
        /// The steps so far, for the failure's input.
        var log: [String] = []
        /// The pairs returned by `next()` and not yet answered, oldest first.
        var pending: [IcePairID] = []
        /// What the last `next()` returned.
        var lastReturned: IcePairID?

        init(scenario: IceChecklistScenarios.Scenario, rule: String) {
            self.scenario = scenario
            self.rule = rule
            // Every scenario is formable (orphanSrflx is used only by the pruning check).
            reference = IceChecklistReference(local: scenario.local, remote: scenario.remote, controlling: scenario.controlling)
                ?? IceChecklistReference(local: [], remote: [], controlling: true)!
        }

        var input: String {
            scenario.input + (log.isEmpty ? "" : "\n          then " + log.enumerated()
                .map { "\($0.offset + 1). \($0.element)" }.joined(separator: "\n               "))
        }

        func failure(expected: String, actual: String) -> CheckFailure {
            CheckFailure(input: input, expected: expected, actual: actual, rule: rule)
        }

        var expectedStates: [String] { reference.pairs.map(IceChecklistChecks.state) }

        /// Compares every pair's state after a step.
        func compareStates(_ what: String) -> CheckFailure? {
            let expected = expectedStates
            do {
                let actual = try student.pairs.map(IceChecklistChecks.state)
                guard actual == expected else {
                    return failure(expected: what + IceChecklistChecks.rows(expected),
                                   actual: what + IceChecklistChecks.rows(actual) + IceChecklistChecks.difference(expected, actual))
                }
                return nil
            } catch {
                return failure(expected: what + IceChecklistChecks.rows(expected), actual: "pairs " + Describe.thrown(error))
            }
        }

        mutating func form() -> CheckFailure? {
            do {
                try student.form(local: scenario.local, remote: scenario.remote, controlling: scenario.controlling)
            } catch {
                return failure(expected: "the checklist formed:\n          " + IceChecklistChecks.rows(expectedStates),
                               actual: "form " + Describe.thrown(error))
            }
            return compareStates("after form, the pairs:\n          ")
        }

        mutating func next() -> CheckFailure? {
            log.append("nextPairToCheck()")
            let expected = reference.nextPairToCheck()
            lastReturned = expected?.id
            if let expected { pending.append(expected.id) }
            let shownExpected = expected.map { "returns \($0.id)" } ?? "returns nil"
            do {
                let actual = try student.nextPairToCheck()
                guard actual?.id == expected?.id else {
                    return failure(expected: shownExpected + ", then the pairs:\n          " + IceChecklistChecks.rows(expectedStates),
                                   actual: (actual.map { "returns \($0.id)" } ?? "returns nil"))
                }
            } catch {
                return failure(expected: shownExpected, actual: Describe.thrown(error))
            }
            return compareStates(shownExpected + ", then the pairs:\n          ")
        }

        /// Reports the result of the oldest pending check (`first`), so scripts need not name pairs.
        mutating func result(first: Bool, succeeded: Bool) -> CheckFailure? {
            guard !pending.isEmpty else { return nil }
            return result(pending[0], succeeded: succeeded)
        }

        mutating func result(_ id: IcePairID, succeeded: Bool) -> CheckFailure? {
            pending.removeAll { $0 == id }
            let call = succeeded ? "checkSucceeded" : "checkFailed"
            log.append("\(call)(\(id))")
            guard let pair = reference.pairs.first(where: { $0.id == id }) else { return nil }
            _ = succeeded ? reference.checkSucceeded(id) : reference.checkFailed(id)
            do {
                if succeeded { try student.checkSucceeded(pair) } else { try student.checkFailed(pair) }
            } catch {
                return failure(expected: "\(call) accepted, then the pairs:\n          " + IceChecklistChecks.rows(expectedStates),
                               actual: Describe.thrown(error))
            }
            return compareStates("after \(call)(\(id)), the pairs:\n          ")
        }

        /// A result for a pair that is not In-Progress (or not in the checklist) must be refused, changing nothing.
        mutating func refused(_ pair: IceChecklistPair, succeeded: Bool) -> CheckFailure? {
            let call = succeeded ? "checkSucceeded" : "checkFailed"
            log.append("\(call)(\(pair.id)) while it is \(reference.pairs.first { $0.id == pair.id }?.state.description ?? "not in the checklist")")
            if let failure = Verdict.rejects(input, rule: rule, {
                if succeeded { try student.checkSucceeded(pair) } else { try student.checkFailed(pair) }
            }) { return failure }
            return compareStates("after the refused \(call), the pairs unchanged:\n          ")
        }
    }
}
