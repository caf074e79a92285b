import ExerciseInterfaces
import ICE

/// --use-exercise: the student's exercise 03 (`Exercises.CandidatePriority`, or the
/// implementation `ExercisePieces` was given) against the library, on the candidates
/// and pairs of a real run.
///
/// `ICEAgentConfiguration` has no hook to inject a priority function, so the
/// agent itself always uses the library's formulas; what this does is recompute
/// every gathered candidate's priority and every checklist pair's priority with
/// the student's code and say, value by value, whether it agrees.
struct PriorityExerciseReport {
    /// One value computed both ways.
    struct Comparison {
        /// "left host [::1]:40000" or "left pair #1".
        let subject: String
        /// The formula inputs, for the reader.
        let inputs: String
        /// What the library (and so the agent) used.
        let library: UInt64
        /// What the student's code returned, or nil when it threw.
        let student: UInt64?
        /// The error the student's code threw, if any.
        let error: String?

        var matches: Bool { student == library }
    }

    /// Every comparison, candidates first then pairs.
    let comparisons: [Comparison]

    /// How many values agree.
    var matchCount: Int { comparisons.filter(\.matches).count }
    /// True when every value agrees.
    var allMatch: Bool { matchCount == comparisons.count }

    /// Compares the student's values with the candidates and pairs of `sides`.
    init(sides: [SessionSide], using exercise: any CandidatePriorityExercise.Type) {
        var comparisons: [Comparison] = []
        for side in sides {
            for candidate in side.candidates {
                let kind = CandidateKind(rawValue: candidate.type.rawValue)
                let local = Int(candidate.localPreference)
                let component = candidate.componentID
                var student: UInt64?
                var failure: String?
                do {
                    guard let kind else { throw ExerciseError.invalidInput("no exercise kind for \(candidate.type)") }
                    let type = try exercise.typePreference(for: kind)
                    student = UInt64(try exercise.candidatePriority(typePreference: type, localPreference: local,
                                                                            componentID: component))
                } catch {
                    failure = Self.describe(error)
                }
                comparisons.append(Comparison(
                    subject: "\(side.name) \(candidate.type) \(candidate.address)",
                    inputs: "type \(candidate.type), local preference \(local), component \(component)",
                    library: UInt64(candidate.priority), student: student, error: failure))
            }
            for pair in side.initialChecklist {
                let role = side.role
                let g = role == .controlling ? pair.local.priority : pair.remote.priority
                let d = role == .controlling ? pair.remote.priority : pair.local.priority
                var student: UInt64?
                var failure: String?
                do {
                    student = try exercise.pairPriority(controlling: Int(g), controlled: Int(d))
                } catch {
                    failure = Self.describe(error)
                }
                comparisons.append(Comparison(subject: "\(side.name) pair #\(pair.id)", inputs: "G \(g), D \(d)",
                                              library: pair.priority, student: student, error: failure))
            }
        }
        self.comparisons = comparisons
    }

    private static func describe(_ error: any Error) -> String {
        switch error as? ExerciseError {
        case .notImplemented?: return "not implemented"
        case let .invalidInput(why)?: return "threw invalidInput(\(why))"
        case nil: return "threw \(error)"
        }
    }
}
