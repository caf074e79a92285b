// Exercise 03 — ICE candidate and pair priorities (RFC 8445 §5.1.2, §6.1.2.3).
//
// The inputs are plain `Int`s on purpose: the RFC bounds every field (type preference
// 0…126, local preference 0…65535, component ID 1…256, candidate priority 1…2^31−1), and
// a student's code must reject what falls outside instead of letting a fixed-width type
// silently truncate it. Results are unsigned and wide enough that the formulas cannot
// overflow: a candidate priority fits in 31 bits, a pair priority in 63.

/// The four ICE candidate types (RFC 8445 §5.1.1), spelled as SDP spells them after `typ`.
public enum CandidateKind: String, CaseIterable, Codable, Sendable {
    /// An address on one of the host's own interfaces.
    case host
    /// The address a NAT mapped the host to, learned from a STUN server ("srflx").
    case serverReflexive = "srflx"
    /// An address learned from a peer's connectivity check during ICE ("prflx").
    case peerReflexive = "prflx"
    /// An address allocated on a TURN server, which forwards traffic to and from the host.
    case relay
}

/// Exercise 03: the priority formulas ICE uses to order candidates and candidate pairs.
///
/// Implemented by `Exercises.CandidatePriority` (exercises/03-candidate-priority/CandidatePriority.swift)
/// and `Solutions.CandidatePriority`.
public protocol CandidatePriorityExercise {
    /// The RFC 8445 §5.1.2.2 recommended type preference of `kind` (0…126).
    static func typePreference(for kind: CandidateKind) throws -> Int
    /// RFC 8445 §5.1.2.1: 2^24·typePreference + 2^8·localPreference + (256 − componentID).
    /// Throws `ExerciseError.invalidInput` when a field is outside its range
    /// (type preference 0…126, local preference 0…65535, component ID 1…256).
    static func candidatePriority(typePreference: Int, localPreference: Int, componentID: Int) throws -> UInt32
    /// RFC 8445 §6.1.2.3: 2^32·MIN(G,D) + 2·MAX(G,D) + (G>D ? 1 : 0), where G is the
    /// controlling agent's candidate priority and D the controlled agent's.
    /// Throws `ExerciseError.invalidInput` when a priority is outside 1…2^31−1 (RFC 8445 §5.1.2).
    static func pairPriority(controlling: Int, controlled: Int) throws -> UInt64
}
