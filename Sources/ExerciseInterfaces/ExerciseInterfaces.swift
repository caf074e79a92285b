// ExerciseInterfaces: the contract between a student's code and the lab's checks.
//
// Theory of operation: every exercise is a protocol here (its "public surface"). The
// student's starter in exercises/ and the reference answer in solutions/ each declare a
// type conforming to it, with the SAME file names and type names, so the checks in
// ExerciseChecks are written once, generically over the protocol, and run unchanged on
// either module. The vocabulary the exercises share (stack layers, responsibilities,
// decoded addresses) lives here too, so the checks and the student agree on names.
//
// This module has no dependencies on purpose: it is compiled into the grader's scratch
// workspace next to every student's submission, and the less it pulls in, the faster an
// instructor's `lab grade` builds each student.

/// Why an exercise function could not produce an answer.
///
/// Starters throw `.notImplemented`, so an untouched exercise fails its checks with a
/// clear message instead of a wrong value; solutions throw `.invalidInput` for input
/// the RFC says to reject (truncated values, unknown families, wrong lengths).
public enum ExerciseError: Error, Equatable, Sendable {
    /// The student has not written this function yet.
    case notImplemented
    /// The input breaks a rule of the protocol; the string says which.
    case invalidInput(String)
}
