import ExerciseHooks
import ExerciseInterfaces
import Exercises
import ICE

/// The student pieces `--use-exercise` swaps in: exercise 03's priority formulas (compared,
/// value by value, with the library's) and exercise 10's checklist (which decides the
/// agents' ordinary checks). The implementations are parameters, the student's by default,
/// so a test can run the same code path on the reference solutions.
///
/// A piece that is still the starter (it throws `notImplemented`) is left out and named in
/// the report, so a student who wrote exercise 10 can run it before exercise 03; with no
/// piece written at all the run stops before any network work (exit 8).
struct ExercisePieces {
    /// Exercise 03, when implemented.
    var priority: (any CandidatePriorityExercise.Type)?
    /// Exercise 10, when implemented.
    var checklist: (any IceChecklistExercise.Type)?
    /// "exercises/03-candidate-priority" and the like: pieces left out, still starters.
    var skipped: [String] = []

    static let priorityFolder = "exercises/03-candidate-priority/CandidatePriority.swift"
    static let checklistFolder = "exercises/10-ice-checklist/IceChecklist.swift"

    /// Probes each implementation on a small input; throws `.exerciseNotImplemented` when neither is written.
    static func resolve(priority: any CandidatePriorityExercise.Type = CandidatePriority.self,
                        checklist: any IceChecklistExercise.Type = IceChecklist.self) throws -> ExercisePieces {
        var pieces = ExercisePieces()
        if implemented(priority) { pieces.priority = priority } else { pieces.skipped.append(priorityFolder) }
        if implemented(checklist) { pieces.checklist = checklist } else { pieces.skipped.append(checklistFolder) }
        guard pieces.priority != nil || pieces.checklist != nil else {
            throw IceCheckFailure(.exerciseNotImplemented,
                                  "--use-exercise: \(priorityFolder) and \(checklistFolder) are not implemented yet "
                                  + "(they throw notImplemented); write one, then check it with `lab check 03` or `lab check 10`")
        }
        return pieces
    }

    /// The strategy that puts exercise 10 in charge of an agent's ordinary checks, if it is used.
    func checklistStrategy() -> (any ICEChecklistStrategy)? {
        checklist.map(IceChecklistProbe.strategy)
    }

    private static func implemented(_ exercise: any CandidatePriorityExercise.Type) -> Bool {
        do {
            _ = try exercise.typePreference(for: .host)
            _ = try exercise.candidatePriority(typePreference: 126, localPreference: 65_535, componentID: 1)
            _ = try exercise.pairPriority(controlling: 2_130_706_431, controlled: 2_130_706_430)
        } catch ExerciseError.notImplemented {
            return false
        } catch {
            // Other errors are judged value by value in the report.
        }
        return true
    }

    private static func implemented(_ exercise: any IceChecklistExercise.Type) -> Bool {
        IceChecklistProbe.isWritten(exercise)
    }
}
