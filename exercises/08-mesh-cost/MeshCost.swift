// Exercise 08 — the cost of setup: a full mesh of agents, in numbers.
//
// Your task (details and hints in README.md next to this file):
//   1. connections: how many peer connections a full mesh of N agents needs.
//   2. sequentialSetupMilliseconds: the whole mesh set up one pair after another.
//   3. parallelSetupLowerBoundMilliseconds: the least it can take when each agent runs k setups at once.
//   4. overheadPerMessageMilliseconds: one pair's setup spread over the M messages it carries.
//   5. breakEvenMessages: after how many messages that beats a fixed cost per request (HTTP).
// Check your answer with:  lab check 08
// (it also compares your model with a recorded `datachannel-chat demo --json`, and with a live
// run of the demo when datachannel-chat is built).
//
// Rules every function follows (Sources/ExerciseInterfaces/MeshCostExercise.swift):
//   - times are milliseconds (Double), finite and not negative; counts are Int, not negative;
//   - anything else throws ExerciseError.invalidInput("…why…"), and so does an Int answer too big for Int;
//   - zero messages has no overhead per message: return nil.
import ExerciseInterfaces

/// The cost model of an agent mesh.
public enum MeshCost: MeshCostExercise {
    /// Connections in a full mesh of `agents` agents (one per pair); throws invalidInput for a negative count or an overflow.
    public static func connections(agents: Int) throws -> Int {
        throw ExerciseError.notImplemented
    }

    /// The whole mesh set up one pair at a time, each pair taking `perPairMilliseconds`.
    public static func sequentialSetupMilliseconds(agents: Int, perPairMilliseconds: Double) throws -> Double {
        throw ExerciseError.notImplemented
    }

    /// At least how long the mesh takes when every agent runs up to `setupsAtOnce` setups at the same time.
    public static func parallelSetupLowerBoundMilliseconds(agents: Int, perPairMilliseconds: Double, setupsAtOnce: Int) throws -> Double {
        throw ExerciseError.notImplemented
    }

    /// One pair's setup divided over `messages` messages; nil for zero messages.
    public static func overheadPerMessageMilliseconds(setupMilliseconds: Double, messages: Int) throws -> Double? {
        throw ExerciseError.notImplemented
    }

    /// The fewest messages for which setup / messages is at most `requestMilliseconds`.
    public static func breakEvenMessages(setupMilliseconds: Double, requestMilliseconds: Double) throws -> Int {
        throw ExerciseError.notImplemented
    }
}
