// Exercise 08 — the cost of setup: a full mesh of agents, in numbers. Reference answer.
//
// Why each answer is what it is: solutions/08-mesh-cost/README.md.
import ExerciseInterfaces

/// The cost model of an agent mesh.
public enum MeshCost: MeshCostExercise {
    /// Connections in a full mesh of `agents` agents (one per pair); throws invalidInput for a negative count or an overflow.
    public static func connections(agents: Int) throws -> Int {
        guard agents >= 0 else { throw ExerciseError.invalidInput("a mesh cannot have \(agents) agents") }
        guard agents >= 2 else { return 0 }
        // Halve the even factor first: N × (N − 1) can overflow where the answer itself fits.
        let (even, other) = agents % 2 == 0 ? (agents, agents - 1) : (agents - 1, agents)
        let (product, overflow) = (even / 2).multipliedReportingOverflow(by: other)
        guard !overflow else {
            throw ExerciseError.invalidInput("a mesh of \(agents) agents has more connections than Int can count")
        }
        return product
    }

    /// The whole mesh set up one pair at a time, each pair taking `perPairMilliseconds`.
    public static func sequentialSetupMilliseconds(agents: Int, perPairMilliseconds: Double) throws -> Double {
        try requireTime(perPairMilliseconds, "per-pair time")
        return try finite(Double(connections(agents: agents)) * perPairMilliseconds)
    }

    /// At least how long the mesh takes when every agent runs up to `setupsAtOnce` setups at the same time.
    public static func parallelSetupLowerBoundMilliseconds(agents: Int, perPairMilliseconds: Double, setupsAtOnce: Int) throws -> Double {
        guard setupsAtOnce >= 1 else {
            throw ExerciseError.invalidInput("an agent must be able to run at least one setup at a time, not \(setupsAtOnce)")
        }
        guard agents >= 0 else { throw ExerciseError.invalidInput("a mesh cannot have \(agents) agents") }
        try requireTime(perPairMilliseconds, "per-pair time")
        guard agents >= 2 else { return 0 }
        // Each agent has agents − 1 setups to take part in, at most setupsAtOnce at a time.
        let setupsPerAgent = agents - 1
        let rounds = setupsPerAgent / setupsAtOnce + (setupsPerAgent % setupsAtOnce == 0 ? 0 : 1)
        return try finite(Double(rounds) * perPairMilliseconds)
    }

    /// One pair's setup divided over `messages` messages; nil for zero messages.
    public static func overheadPerMessageMilliseconds(setupMilliseconds: Double, messages: Int) throws -> Double? {
        try requireTime(setupMilliseconds, "setup time")
        guard messages >= 0 else { throw ExerciseError.invalidInput("cannot send \(messages) messages") }
        guard messages > 0 else { return nil }
        return setupMilliseconds / Double(messages)
    }

    /// The fewest messages for which setup / messages is at most `requestMilliseconds`.
    public static func breakEvenMessages(setupMilliseconds: Double, requestMilliseconds: Double) throws -> Int {
        try requireTime(setupMilliseconds, "setup time")
        guard requestMilliseconds > 0, requestMilliseconds.isFinite else {
            throw ExerciseError.invalidInput("a request must cost a positive, finite time, not \(requestMilliseconds) ms")
        }
        guard let messages = Int(exactly: (setupMilliseconds / requestMilliseconds).rounded(.up)) else {
            throw ExerciseError.invalidInput("\(setupMilliseconds) ms / \(requestMilliseconds) ms is more messages than Int can count")
        }
        return messages
    }

    /// Refuses a time that is negative, infinite or NaN.
    private static func requireTime(_ milliseconds: Double, _ what: String) throws {
        guard milliseconds >= 0, milliseconds.isFinite else {
            throw ExerciseError.invalidInput("a \(what) must be finite and not negative, not \(milliseconds) ms")
        }
    }

    /// Refuses a product too large for a Double.
    private static func finite(_ milliseconds: Double) throws -> Double {
        guard milliseconds.isFinite else { throw ExerciseError.invalidInput("the total is too large for a Double") }
        return milliseconds
    }
}
