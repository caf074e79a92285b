// Exercise 03 — ICE candidate priority and pair priority (reference answer).
//
// Same file name, type name and public surface as exercises/03-candidate-priority/CandidatePriority.swift.
import ExerciseInterfaces

/// The ICE priority formulas: candidates first, then pairs of them.
public enum CandidatePriority: CandidatePriorityExercise {
    /// RFC 8445 §5.1.2.2: direct paths beat relayed ones (a relay adds a hop and costs the
    /// TURN operator bandwidth), and a peer-reflexive address, learned during the checks
    /// themselves, ranks above a server-reflexive one.
    public static func typePreference(for kind: CandidateKind) throws -> Int {
        switch kind {
        case .host: 126
        case .peerReflexive: 110
        case .serverReflexive: 100
        case .relay: 0
        }
    }

    /// Each field owns its own bits (8, 16 and 8 of them), so the sum is the three fields
    /// side by side; the ranges are checked first so one field can never spill into another.
    public static func candidatePriority(typePreference: Int, localPreference: Int, componentID: Int) throws -> UInt32 {
        guard (0...126).contains(typePreference) else {
            throw ExerciseError.invalidInput("type preference \(typePreference) is outside 0...126")
        }
        guard (0...65535).contains(localPreference) else {
            throw ExerciseError.invalidInput("local preference \(localPreference) is outside 0...65535")
        }
        guard (1...256).contains(componentID) else {
            throw ExerciseError.invalidInput("component ID \(componentID) is outside 1...256")
        }
        return UInt32(typePreference) << 24 | UInt32(localPreference) << 8 | UInt32(256 - componentID)
    }

    /// Both agents compute the same number for the same pair, because each knows which side
    /// is controlling; the last bit breaks ties between two pairs with the same MIN and MAX.
    /// With both priorities below 2^31 the result stays below 2^63: no overflow in UInt64.
    public static func pairPriority(controlling: Int, controlled: Int) throws -> UInt64 {
        for (name, priority) in [("controlling", controlling), ("controlled", controlled)]
        where !(1...0x7FFF_FFFF).contains(priority) {
            throw ExerciseError.invalidInput("\(name) priority \(priority) is outside 1...2^31-1")
        }
        let g = UInt64(controlling)
        let d = UInt64(controlled)
        return (min(g, d) << 32) + 2 * max(g, d) + (g > d ? 1 : 0)
    }
}
