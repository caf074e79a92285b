@testable import ExerciseChecks
import ExerciseInterfaces
import Exercises
import Solutions
import Testing

// Exercise 10: the reference checklist passes every check and the starter none; classic
// mistakes fail exactly the checks meant to catch them, with the candidates, the pairs and
// the rule in the message; the checks' reference model agrees with numbers worked out by
// hand; and a submission with exercise 10 solved earns exactly its points.

/// A wrapper that forwards to the reference answer unless a step is overridden below.
private protocol Forwarding: IceChecklistExercise {
    var inner: Solutions.IceChecklist { get set }
}

extension Forwarding {
    mutating func form(local: [IceChecklistCandidate], remote: [IceChecklistCandidate], controlling: Bool) throws {
        try inner.form(local: local, remote: remote, controlling: controlling)
    }
    var pairs: [IceChecklistPair] { inner.pairs }
    mutating func nextPairToCheck() throws -> IceChecklistPair? { try inner.nextPairToCheck() }
    mutating func checkSucceeded(_ pair: IceChecklistPair) throws { try inner.checkSucceeded(pair) }
    mutating func checkFailed(_ pair: IceChecklistPair) throws { try inner.checkFailed(pair) }
}

/// Computes every pair priority as if it were controlling: G is always its own candidate.
private struct AlwaysControlling: Forwarding {
    var inner = Solutions.IceChecklist()
    mutating func form(local: [IceChecklistCandidate], remote: [IceChecklistCandidate], controlling: Bool) throws {
        try inner.form(local: local, remote: remote, controlling: true)
    }
}

/// Never unfreezes when nothing is Waiting (§6.1.4.2 step 2 forgotten).
private struct NoIdleUnfreeze: Forwarding {
    var inner = Solutions.IceChecklist()
    mutating func nextPairToCheck() throws -> IceChecklistPair? {
        guard inner.pairs.contains(where: { $0.state == .waiting }) else { return nil }
        return try inner.nextPairToCheck()
    }
}

/// Takes any result for any pair it knows, whatever its state.
private struct LenientResults: Forwarding {
    var inner = Solutions.IceChecklist()
    var overrides: [IcePairID: IcePairState] = [:]
    var pairs: [IceChecklistPair] {
        get throws { inner.pairs.map { pair in var pair = pair; pair.state = overrides[pair.id] ?? pair.state; return pair } }
    }
    mutating func checkSucceeded(_ pair: IceChecklistPair) throws {
        do { try inner.checkSucceeded(pair) } catch { overrides[pair.id] = .succeeded }
    }
    mutating func checkFailed(_ pair: IceChecklistPair) throws {
        do { try inner.checkFailed(pair) } catch { overrides[pair.id] = .failed }
    }
}

/// Keeps server-reflexive locals in their pairs (§6.1.2.4 forgotten): pairs are formed from every candidate as given.
private struct NoPruning: Forwarding {
    var inner = Solutions.IceChecklist()
    mutating func form(local: [IceChecklistCandidate], remote: [IceChecklistCandidate], controlling: Bool) throws {
        // Disguise each srflx as a host at its own address: the reference then keeps its pairs.
        let disguised = local.map { candidate -> IceChecklistCandidate in
            guard candidate.type == .serverReflexive else { return candidate }
            var copy = candidate
            copy.base = copy.address
            return copy
        }
        try inner.form(local: disguised.map { var c = $0; if c.type == .serverReflexive { c.type = .host }; return c },
                       remote: remote, controlling: controlling)
    }
}

/// Each exercise-10 check's outcome on `Checklist`.
private func outcomes<Checklist: IceChecklistExercise>(_: Checklist.Type) -> [String: CheckOutcome] {
    Dictionary(uniqueKeysWithValues: IceChecklistChecks.checks(Checklist.self).map { ($0.descriptor.id, $0.run()) })
}

private func failing<Checklist: IceChecklistExercise>(_ type: Checklist.Type) -> Set<String> {
    Set(outcomes(type).filter { !$0.value.passed }.keys)
}

private func failure<Checklist: IceChecklistExercise>(_ type: Checklist.Type, _ id: String) throws -> CheckFailure {
    guard case .fail(let failure)? = outcomes(type)[id] else { throw ExerciseError.invalidInput("\(id) passed") }
    return failure
}

@Suite("Exercise 10: ICE pair states")
struct Exercise10IceChecklistTests {
    @Test("the reference answer passes every check, the starter none, each failing on notImplemented")
    func solutionAndStarter() {
        let solved = outcomes(Solutions.IceChecklist.self)
        #expect(solved.count == IceChecklistChecks.descriptors.count && solved.values.allSatisfy(\.passed),
                "\(solved.filter { !$0.value.passed })")
        for (id, outcome) in outcomes(Exercises.IceChecklist.self) {
            guard case .fail(let failure) = outcome else { Issue.record("\(id) passed on the starter"); continue }
            #expect(failure.actual.contains("notImplemented"), "\(id): \(failure.actual)")
        }
        #expect(IceChecklistChecks.descriptors.reduce(0) { $0 + $1.points } == 21)
        #expect(ExerciseCatalog.find("10")?.checks.count == 9)
    }

    @Test("the reference model gives the pair priorities and order worked out by hand (host, srflx, relay both sides)")
    func referenceByHand() throws {
        let nat = IceChecklistScenarios.nat
        let model = try #require(IceChecklistReference(local: nat.local, remote: nat.remote, controlling: true))
        let h: UInt64 = 2_130_706_431, s: UInt64 = 1_694_498_815, r: UInt64 = 16_777_215, shift: UInt64 = 1 << 32
        // host→host, host→srflx, host→relay, relay→host, relay→srflx, relay→relay; the srflx locals pruned.
        #expect(model.pairs.map(\.priority) == [shift * h + 2 * h, shift * s + 2 * h + 1, shift * r + 2 * h + 1,
                                                shift * r + 2 * h, shift * r + 2 * s, shift * r + 2 * r])
        #expect(model.pairs.map(\.local.type) == [.host, .host, .host, .relay, .relay, .relay])
        #expect(model.pairs.allSatisfy { $0.state == .waiting }) // six foundations, one pair each
        let components = IceChecklistScenarios.components
        let rtp = try #require(IceChecklistReference(local: components.local, remote: components.remote, controlling: false))
        #expect(rtp.pairs.map(\.component) == [1, 2, 1, 2])
        #expect(rtp.pairs.map(\.state) == [.waiting, .frozen, .waiting, .frozen])
        #expect(IceChecklistReference(local: IceChecklistScenarios.orphanSrflx.local, remote: nat.remote, controlling: true) == nil)
    }

    @Test("G taken as our own candidate in both roles fails only the priority-order check, naming the rule")
    func alwaysControlling() throws {
        #expect(failing(AlwaysControlling.self) == ["10.form.priority-order"])
        let failure = try failure(AlwaysControlling.self, "10.form.priority-order")
        #expect(failure.input.contains("controlling: false") && failure.input.contains("srflx 203.0.113.1:40000 base 10.0.1.2:5000"))
        #expect(failure.rule.contains("§6.1.2.3") && failure.rule.contains("G the controlling agent's"))
    }

    @Test("forgetting to unfreeze when nothing waits fails the idle check and the scripted run")
    func noIdleUnfreeze() throws {
        #expect(failing(NoIdleUnfreeze.self) == ["10.next.unfreeze-when-idle", "10.run.scripted"])
        let failure = try failure(NoIdleUnfreeze.self, "10.next.unfreeze-when-idle")
        #expect(failure.expected.contains("returns 10.0.1.2:5002 -> "))
        #expect(failure.actual == "returns nil")
        #expect(failure.input.contains("checkFailed("))
        #expect(failure.rule.contains("§6.1.4.2 step 2"))
    }

    @Test("accepting results for pairs that are not In-Progress fails only the transitions check")
    func lenientResults() throws {
        #expect(failing(LenientResults.self) == ["10.results.transitions"])
        let failure = try failure(LenientResults.self, "10.results.transitions")
        #expect(failure.expected.contains("invalidInput"))
        #expect(failure.actual.contains("returned a value instead of throwing"))
        #expect(failure.input.contains("while it is Waiting"))
    }

    @Test("keeping srflx locals fails the pruning check with the leftover pair named, and not the pairing check")
    func noPruning() throws {
        let failed = failing(NoPruning.self)
        #expect(failed.contains("10.form.srflx-pruned") && !failed.contains("10.form.pairing"))
        let failure = try failure(NoPruning.self, "10.form.srflx-pruned")
        #expect(failure.actual.contains("203.0.113.1:40000") || failure.actual.contains("not expected"))
        #expect(failure.expected.contains("1. host 10.0.1.2:5000 -> 10.0.2.2:6000"))
        #expect(failure.rule.contains("§6.1.2.4"))
    }

    @Test("lab grade: a starter copy with only exercise 10 solved earns exactly exercise 10's points")
    func gradesASolvedCopy() throws {
        try GraderTestSupport.expectOnlySolvedExerciseEarns("10-ice-checklist", file: "IceChecklist.swift", checks: 9, points: 21)
    }
}
