import ExerciseInterfaces
import Exercises
import STUN
import Wire

/// --use-exercise, exercise 09: the words the reports use about the student's transaction.
///
/// The transaction itself runs inside `BindingProbeClient`; the type is a parameter of
/// `ProbeMode` (the student's `Exercises.StunTransaction` by default) so tests can prove
/// the success path with the reference solution.
enum TransactionExercise {
    static let file = "exercises/09-stun-transaction/StunTransaction.swift"

    /// The student's transaction, as the tool runs it by default.
    static var student: any StunTransactionExercise.Type { Exercises.StunTransaction.self }

    /// The student's decoder (exercise 02), as the tool runs it by default.
    static var studentDecoder: any STUNCodingExercise.Type { Exercises.STUNCoding.self }

    /// Why the run exits 8 although the library's transaction did the work.
    static let notImplemented = "your StunTransaction is not implemented yet (\(file)): the library's transaction "
        + "ran this probe instead; write it, then run `lab check 09`"

    /// "+0, +50.1, +150.3 ms": when each send of `record` happened, dropped ones marked.
    static func sends(of record: TransactionRecord) -> String {
        let offsets = [Duration.zero] + record.retransmittedAt
        return offsets.enumerated().map { index, offset in
            "+" + format(offset.milliseconds, digits: 1) + (record.droppedSends.contains(index + 1) ? " (dropped)" : "")
        }.joined(separator: ", ") + " ms"
    }

    /// The RFC's send offsets for `policy`, for comparison: "0, 500, 1500 ms".
    static func schedule(_ policy: STUNRetransmissionPolicy, sends: Int) -> String {
        policy.schedule.sends.prefix(max(1, sends)).map { format($0.milliseconds, digits: 0) }.joined(separator: ", ") + " ms"
    }
}
