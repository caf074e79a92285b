// Exercise 03 — ICE candidate priority and pair priority (RFC 8445).
//
// Your task (details and hints in README.md next to this file):
//   1. typePreference(for:): the RFC's recommended type preference of each candidate type.
//   2. candidatePriority: the §5.1.2.1 formula, rejecting fields outside their ranges.
//   3. pairPriority: the §6.1.2.3 formula, rejecting priorities outside 1...2^31-1.
//   Throw ExerciseError.invalidInput("why") for input the RFC does not allow.
// Check your answer with:  lab check 03
//
// RFC 8445 §5.1.2.1, a candidate priority as a 32-bit number:
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  |type preference|        local preference       |256 - component|
//  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
//   priority = (2^24)*(type preference) + (2^8)*(local preference) + (2^0)*(256 - component ID)
//
// RFC 8445 §6.1.2.3, G = controlling agent's candidate priority, D = controlled agent's:
//
//   pair priority = 2^32*MIN(G,D) + 2*MAX(G,D) + (G>D?1:0)
import ExerciseInterfaces

/// The ICE priority formulas: candidates first, then pairs of them.
public enum CandidatePriority: CandidatePriorityExercise {
    /// The recommended type preference of `kind`: a number from 0 to 126.
    public static func typePreference(for kind: CandidateKind) throws -> Int {
        switch kind {
        case .host: throw ExerciseError.notImplemented
        case .peerReflexive: throw ExerciseError.notImplemented
        case .serverReflexive: throw ExerciseError.notImplemented
        case .relay: throw ExerciseError.notImplemented
        }
    }

    /// The priority of a candidate with these three fields; throws for a field out of range.
    public static func candidatePriority(typePreference: Int, localPreference: Int, componentID: Int) throws -> UInt32 {
        throw ExerciseError.notImplemented
    }

    /// The priority of a pair whose controlling side has priority `controlling` and controlled side `controlled`.
    public static func pairPriority(controlling: Int, controlled: Int) throws -> UInt64 {
        throw ExerciseError.notImplemented
    }
}
