// Exercise 10 — ICE pair states (RFC 8445 §6.1.2, §6.1.4.2, §7.2.5.3.3).
//
// Your task (details, a worked example and hints in README.md next to this file):
//   1. form: pair the candidates, compute pair priorities, replace srflx locals by their
//      bases and prune, sort, then set the initial states (one Waiting pair per foundation).
//   2. nextPairToCheck: unfreeze when nothing waits, then the best Waiting pair goes In-Progress.
//   3. checkSucceeded / checkFailed: In-Progress -> Succeeded (unfreezing its foundation) or Failed.
// Check your answer with:  lab check 10
// Then let it drive a real agent behind simulated NATs:
//   ice-check --simulate full-cone,symmetric --use-exercise
//
//   Frozen ──unfreeze──▶ Waiting ──nextPairToCheck──▶ In-Progress ──checkSucceeded──▶ Succeeded
//                                                          └─────────checkFailed──▶ Failed
//
//   pair priority = 2^32*MIN(G,D) + 2*MAX(G,D) + (G>D?1:0)   (G: the controlling side's candidate)
import ExerciseInterfaces

/// A checklist: its pairs in priority order, each with its state.
public struct IceChecklist: IceChecklistExercise {
    /// An empty checklist.
    public init() {}

    /// Forms the pairs of `local` and `remote` (see IceChecklistExercise for the five rules).
    public mutating func form(local: [IceChecklistCandidate], remote: [IceChecklistCandidate], controlling: Bool) throws {
        throw ExerciseError.notImplemented
    }

    /// Every pair with its state, highest priority first.
    public var pairs: [IceChecklistPair] {
        get throws { throw ExerciseError.notImplemented }
    }

    /// The pair to check now (already In-Progress), or nil.
    public mutating func nextPairToCheck() throws -> IceChecklistPair? {
        throw ExerciseError.notImplemented
    }

    /// The check of `pair` succeeded.
    public mutating func checkSucceeded(_ pair: IceChecklistPair) throws {
        throw ExerciseError.notImplemented
    }

    /// The check of `pair` failed.
    public mutating func checkFailed(_ pair: IceChecklistPair) throws {
        throw ExerciseError.notImplemented
    }
}
