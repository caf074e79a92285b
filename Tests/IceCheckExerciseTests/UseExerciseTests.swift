import ExerciseInterfaces
import Foundation
import ICE
import Simulation
import Solutions
import Testing
@testable import ice_check

/// `ice-check --use-exercise` on its success path. The tool runs the student's exercises by
/// default, which in this repository are the starters (exit 8, tested in IceCheckTests); here
/// the same code path gets the reference solutions, so exercise 10's checklist really chooses
/// every ordinary check of both agents behind the simulated NATs, and the outcome must be the
/// library's own.
@Suite("--use-exercise with the reference solutions (solutions/03, solutions/10)")
struct UseExerciseTests {
    static func solutions() throws -> ExercisePieces {
        try ExercisePieces.resolve(priority: Solutions.CandidatePriority.self, checklist: Solutions.IceChecklist.self)
    }

    static func simulate(_ left: NetworkEdge, _ right: NetworkEdge, turn: Bool = true,
                         pieces: ExercisePieces?) throws -> SessionRecord {
        try SimulatedSession.run(left: left, right: right, loss: 0, delay: .milliseconds(20), seed: 1,
                                 useTURN: turn, pcapPath: nil, pieces: pieces)
    }

    @Test("the solution's checklist connects through the NAT simulations with the library's outcome",
          arguments: [
              (NetworkEdge.fullCone, NetworkEdge.symmetric, true),
              (.portRestrictedCone, .portRestrictedCone, true),
              (.symmetric, .symmetric, true),
              (.portRestrictedCone, .symmetric, true),
              (.restrictedCone, .fullCone, true),
              (.open, .fullCone, true),
              (.symmetric, .symmetric, false),
          ])
    func sameOutcome(_ left: NetworkEdge, _ right: NetworkEdge, _ turn: Bool) throws {
        let library = try Self.simulate(left, right, turn: turn, pieces: nil)
        let exercise = try Self.simulate(left, right, turn: turn, pieces: try Self.solutions())
        #expect(exercise.connected == library.connected, "\(left),\(right): \(exercise.outcome) vs \(library.outcome)")
        #expect(exercise.selectedTypes == library.selectedTypes, "\(left),\(right): \(exercise.outcome) vs \(library.outcome)")
        let report = try #require(exercise.checklistExercise)
        #expect(report.problems.isEmpty, "\(report.problems)")
        #expect(report.sides.count == 2)
        // The student's checklist formed what the RFC forms and chose real checks on the wire.
        for side in report.sides {
            #expect(side.findings.formed && side.findings.studentRows == side.findings.libraryRows)
            #expect(!side.findings.checks.isEmpty, "\(side.name) chose no check")
        }
        let sent = exercise.timeline.filter { $0.kind == "check" }.count
        #expect(sent >= report.sides.map(\.findings.checks.count).reduce(0, +))
        if exercise.connected {
            try RunCommand.judge(exercise)
        } else {
            #expect(throws: IceCheckFailure.self) { try RunCommand.judge(exercise) }
        }
        #expect(exercise.exercise == nil) // exercise 03 is compared by RunCommand, not by the session
    }

    @Test("on loopback (127.0.0.1 and ::1) the solution's checklist connects and pairs no address families across")
    func loopback() throws {
        let record = try LoopbackSession.run(pcapPath: nil, pieces: try Self.solutions())
        #expect(record.connected, "\(record.outcome)")
        let report = try #require(record.checklistExercise)
        #expect(report.problems.isEmpty, "\(report.problems)")
        try RunCommand.judge(record)
    }

    @Test("the report lists the checks the student's checklist chose, in the human and the JSON form")
    func reported() throws {
        let record = try Self.simulate(.fullCone, .symmetric, pieces: try Self.solutions())
        let human = SessionReport.human(record)
        #expect(human.contains("Your checklist (exercises/10-ice-checklist) chose every ordinary check of both agents"))
        #expect(human.contains("check  1: host 10.0.1.2:5000 -> "))
        #expect(human.contains("no disagreement with the RFC's rules"))
        let json = try SessionReport.json(record)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let checklist = try #require(object["checklist_exercise"] as? [String: Any])
        #expect(checklist["agrees"] as? Bool == true)
        #expect((checklist["agents"] as? [[String: Any]])?.count == 2)
    }

    /// Walks its Waiting pairs lowest priority first: a checklist that checks relays before hosts.
    struct LowestFirst: IceChecklistExercise {
        var inner = Solutions.IceChecklist()
        init() {}
        mutating func form(local: [IceChecklistCandidate], remote: [IceChecklistCandidate], controlling: Bool) throws {
            try inner.form(local: local, remote: remote, controlling: controlling)
        }
        var pairs: [IceChecklistPair] { inner.pairs.reversed() }
        mutating func nextPairToCheck() throws -> IceChecklistPair? { try inner.nextPairToCheck() }
        mutating func checkSucceeded(_ pair: IceChecklistPair) throws { try inner.checkSucceeded(pair) }
        mutating func checkFailed(_ pair: IceChecklistPair) throws { try inner.checkFailed(pair) }
    }

    /// Forms, then never finishes the rest.
    struct HalfWritten: IceChecklistExercise {
        var inner = Solutions.IceChecklist()
        init() {}
        mutating func form(local: [IceChecklistCandidate], remote: [IceChecklistCandidate], controlling: Bool) throws {
            try inner.form(local: local, remote: remote, controlling: controlling)
        }
        var pairs: [IceChecklistPair] { inner.pairs }
        mutating func nextPairToCheck() throws -> IceChecklistPair? { try inner.nextPairToCheck() }
        mutating func checkSucceeded(_ pair: IceChecklistPair) throws { throw ExerciseError.notImplemented }
        mutating func checkFailed(_ pair: IceChecklistPair) throws { throw ExerciseError.notImplemented }
    }

    @Test("a checklist listing its pairs out of order is reported and exits with the mismatch code (9)")
    func wrongOrderReported() throws {
        let pieces = try ExercisePieces.resolve(priority: Solutions.CandidatePriority.self, checklist: LowestFirst.self)
        let record = try Self.simulate(.fullCone, .fullCone, pieces: pieces)
        let report = try #require(record.checklistExercise)
        #expect(report.problems.contains { $0.contains("another order") }, "\(report.problems)")
        do {
            try RunCommand.judge(record)
            Issue.record("a wrong order was accepted")
        } catch let failure as IceCheckFailure {
            #expect(failure.exit == .exerciseMismatch)
            #expect(failure.message.contains("exercise 10"))
        }
    }

    @Test("a partly written checklist is left out by the probe; the starter of exercise 10 too, with 03 still used")
    func partlyWritten() throws {
        let half = try ExercisePieces.resolve(priority: Solutions.CandidatePriority.self, checklist: HalfWritten.self)
        #expect(half.checklist == nil && half.skipped == [ExercisePieces.checklistFolder])
        let starter = try ExercisePieces.resolve(priority: Solutions.CandidatePriority.self)
        #expect(starter.checklist == nil && starter.priority != nil)
        let record = try Self.simulate(.fullCone, .fullCone, pieces: starter)
        #expect(record.connected && record.checklistExercise == nil)
        #expect(SessionReport.human(record).contains("Not used by --use-exercise (still the starter): exercises/10-ice-checklist"))
    }
}
